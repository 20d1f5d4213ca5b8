/**
 * A `type: string` body field with no format or enum (name, processingErrorMsg). BEHAVIOUR.md: any JSON string is
 * stored exactly as sent; any other type is refused. The accepted strings lean on what breaks servers: astral
 * characters (UTF-16 surrogate pairs, 4-byte UTF-8), quotes and backslashes (hand-made escaping), control characters
 * and NUL (C strings, some databases), 10 kB values (column sizes), the empty string; and what "stored exactly" rules
 * out: trimming (leading, trailing and only whitespace), Unicode normalization (a combining mark or its precomposed
 * character, NFC and NFD, compatibility characters NFKC would fold), stripping bidi and zero-width characters,
 * rewriting line breaks (CRLF, CR, LF, NEL, U+2028, U+2029).
 */
import fc from 'fast-check';
import { cases, constantCases, nonStringCases, pick, type ExpectationConstraints } from './expectations';
import type { FieldCase } from './types';

export interface StringFieldConstraints extends ExpectationConstraints {
  /**
   * Longest "long string", in repetitions of one unit (a unit is one or two UTF-16 code units).
   * @defaultValue 10_240 (10 kB of ASCII)
   */
  readonly maxLongLength?: number;
}

const fromCodePoints = (min: number, max: number): fc.Arbitrary<string> =>
  fc.integer({ min, max }).map((cp) => String.fromCodePoint(cp));

/** Characters that hand-rolled JSON, SQL or shell escaping gets wrong. */
const escapingUnit = fc.constantFrom('"', '\\', "'", '`', '/', '\\u0000', '\\n', '{', '}', '%', '$', '<', '>', '&', ';');

/** C0 and C1 controls, DEL, NUL, the JavaScript line terminators, BOM, zero-width and bidi controls. */
const controlUnit = fc.oneof(
  fromCodePoints(0x00, 0x1f),
  fromCodePoints(0x7f, 0x9f),
  fc.constantFrom('\u2028', '\u2029', '\ufeff', '\u200b', '\u200d', '\u202e', '\u0000'),
);

/** Strings that look like something else to a sloppy server. */
const LOOKALIKES: ReadonlyArray<readonly [string, string]> = [
  ['empty string', ''],
  ['single space', ' '],
  ['surrounding whitespace', '  padded  '],
  ['the word null', 'null'],
  ['a number spelled as a string', '0'],
  ['the word true', 'true'],
  ['JSON object text', '{"name":"x"}'],
  ['HTML', '<script>alert(1)</script>'],
  ['SQL', "'; DROP TABLE jobs; --"],
  ['format specifiers', '%s%n%d'],
  ['template syntax', '${jndi:ldap://x}{{7*7}}'],
  ['combining mark', 'e\u0301'],
  ['precomposed character (NFC)', 'Caf\u00e9'],
  ['decomposed character (NFD)', 'Cafe\u0301'],
  ['only whitespace', ' \t\n '],
  ['zero-width space', 'zero\u200bwidth'],
  ['line separator', 'line\u2028break'],
  ['ZWJ emoji sequence', '\u{1f3f3}\ufe0f\u200d\u{1f308}'],
  ['right-to-left override', '\u202eevil'],
  ['CRLF', 'line1\r\nline2'],
  ['NUL', 'a\u0000b'],
  ['BOM', '\ufeffname'],
  ['U+FFFF noncharacter', '\uffff'],
  ['highest code point', '\u{10ffff}'],
];

/** Whitespace a trimming server removes (String.prototype.trim, Java's strip, Python's strip all differ a little). */
const whitespaceUnit = fc.constantFrom(' ', '\t', '\n', '\r\n', '\r', '\u00a0', '\u2003', '\u3000', '\u0085', '\u2028', '\u2029', '\u000b', '\u000c');

/**
 * Units a server that does not store a string exactly changes: both normalization forms of the same text (a
 * combining mark and its precomposed character, Hangul jamo and syllable, the Angstrom sign), compatibility
 * characters (a ligature, full-width letters), bidi controls, zero-width characters and every line break.
 */
const exactnessUnit = fc.constantFrom(
  'a',
  'e\u0301',
  '\u00e9',
  'A\u030a',
  '\u212b',
  '\u1100\u1161',
  '\uac00',
  'o\u0308\u0304',
  '\ufb01',
  '\uff21',
  '\u200b',
  '\u200c',
  '\u200d',
  '\u2060',
  '\ufeff',
  '\u200e',
  '\u200f',
  '\u202a',
  '\u202b',
  '\u202c',
  '\u202e',
  '\u2066',
  '\u2067',
  '\u2069',
  '\u061c',
  '\r\n',
  '\r',
  '\n',
  '\u0085',
  '\u2028',
  '\u2029',
  ' ',
);

/** Text with whitespace around it (or only whitespace), and units that normalization or stripping would change. */
const exactnessString: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(
      fc.string({ unit: whitespaceUnit, maxLength: 3 }),
      fc.string({ unit: exactnessUnit, minLength: 1, maxLength: 12 }),
      fc.string({ unit: whitespaceUnit, maxLength: 3 }),
    )
    .map(([before, core, after]) => `${before}${core}${after}`),
  fc.string({ unit: whitespaceUnit, minLength: 1, maxLength: 6 }),
);

/** A long run of one unit: shrinks by its length (the repetition count), so a failure points at the real bound. */
function longString(max: number): fc.Arbitrary<string> {
  const unit = fc.constantFrom('a', 'é', '\u{1f600}', '"', '\\', '\u0000', '中');
  return fc.tuple(unit, fc.integer({ min: 1, max })).map(([u, n]) => u.repeat(n));
}

/**
 * Lone surrogates: an escaped `"\ud800"` is a JSON string by the grammar, but RFC 8259 section 8.2 says its handling
 * is unpredictable, and a UTF-8 store cannot hold it exactly. So: open.
 */
const loneSurrogate = fc
  .tuple(fc.string({ maxLength: 4 }), fromCodePoints(0xd800, 0xdfff), fc.string({ maxLength: 4 }))
  .map(([a, s, b]) => a + s + b);

export function stringFieldCase(constraints: StringFieldConstraints = {}): fc.Arbitrary<FieldCase<unknown>> {
  const maxLong = constraints.maxLongLength ?? 10_240;
  const accepted = fc.oneof(
    cases<unknown>('accept', 'printable ASCII', fc.string({ maxLength: 40 })),
    cases<unknown>('accept', 'full Unicode', fc.string({ unit: 'grapheme', maxLength: 20 })),
    cases<unknown>('accept', 'any code point', fc.string({ unit: 'binary', maxLength: 20 })),
    cases<unknown>('accept', 'astral characters', fc.string({ unit: fromCodePoints(0x10000, 0x10ffff), minLength: 1, maxLength: 10 })),
    cases<unknown>('accept', 'quotes and backslashes', fc.string({ unit: escapingUnit, minLength: 1, maxLength: 20 })),
    cases<unknown>('accept', 'control characters', fc.string({ unit: controlUnit, minLength: 1, maxLength: 10 })),
    cases<unknown>('accept', 'long string', longString(maxLong)),
    cases<unknown>('accept', 'stored exactly: whitespace, normalization forms, bidi, zero-width, line breaks', exactnessString),
    constantCases<unknown>('accept', LOOKALIKES),
  );
  return pick(
    {
      accept: accepted,
      reject: nonStringCases(),
      open: cases<unknown>('open', 'lone surrogate', loneSurrogate).map((c) => ({ ...c, rule: 'envelope.reader-limits' as const })),
    },
    constraints,
    'string field',
  );
}
