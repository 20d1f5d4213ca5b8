/** The README's check table lists every check of the registry, with its failure text; and nothing that is not one. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALL_CHECKS } from '../../src/conformance/checks/registry';

test('every check is in the README table, and every check id in the table exists', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('<!-- section: check-table -->'), readme.indexOf('<!-- /section: check-table -->'));
  const rows = section.split('\n').filter((line) => /^\| `[a-z]+\.[a-z0-9-]+` \|/.test(line));
  const listed = rows.map((row) => /^\| `([^`]+)`/.exec(row)![1]);
  expect(listed.sort()).toEqual(ALL_CHECKS.map((c) => c.id).sort());
  for (const row of rows) expect(row).toMatch(/expected .* \/ actual /);
});
