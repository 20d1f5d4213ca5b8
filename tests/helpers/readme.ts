/** What tests read from the README and the docs pages: install lines, and the example files of a page. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../../src/contract/load';

/** The `npm install` lines of the README's Install section, each as its words, its trailing comment dropped. */
export function readmeInstallLines(): string[][] {
  const readme = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
  const section = /^## Install\n([\s\S]*?)^## /m.exec(readme)?.[1] ?? '';
  const block = /^```sh\n([\s\S]*?)^```$/m.exec(section)?.[1] ?? '';
  return block
    .split('\n')
    .map((line) => line.replace(/\s+#\s.*$/, '').trim())
    .filter((line) => line.startsWith('npm install '))
    .map((line) => line.split(/\s+/));
}

/**
 * The example files of a docs page: each fenced block whose first line is a comment naming a file
 * (`// conformance.test.js`), by that name.
 */
export function pageExamples(page: string): Map<string, string> {
  const text = fs.readFileSync(path.join(PROJECT_ROOT, page), 'utf8');
  const examples = new Map<string, string>();
  for (const match of text.matchAll(/^```[a-z]+\n\/\/ ([\w.-]+)\n([\s\S]*?)^```$/gm)) examples.set(match[1]!, match[2]!);
  return examples;
}
