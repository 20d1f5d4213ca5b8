/**
 * The README is one screen a newcomer acts on, and the docs it links to are there: at most 8 KB; the sections it
 * promises; every relative link of the README and of docs/ resolves; every page of docs/ is linked from the README;
 * examples export the key rather than pass it on a command line; no history (commit hashes, "before the fixes");
 * and the failure it annotates has the lines, in the order, that the run prints.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../../src/contract/load';
import type { Finding } from '../../src/case/finding';
import { formatFinding } from '../../src/reports/format';

const README = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
const DOCS_DIR = path.join(PROJECT_ROOT, 'docs');
const DOCS = fs.readdirSync(DOCS_DIR).filter((name) => name.endsWith('.md')).sort();
const PAGES: ReadonlyArray<readonly [string, string]> = [
  ['README.md', README],
  ...DOCS.map((name) => [`docs/${name}`, fs.readFileSync(path.join(DOCS_DIR, name), 'utf8')] as const),
];

/** The fenced code blocks of a Markdown text. */
const codeBlocks = (text: string): string[] => [...text.matchAll(/^```[a-z]*\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);

test('the README is at most 8 KB', () => {
  expect(Buffer.byteLength(README, 'utf8')).toBeLessThanOrEqual(8 * 1024);
});

test('the README has what a newcomer acts on', () => {
  const headings = README.split('\n').filter((line) => line.startsWith('## '));
  expect(headings).toEqual(
    expect.arrayContaining(['## Install', '## The main job', '## Against your staging', '## Exit codes', '## One failure, annotated', '## CI']),
  );
  expect(README).toMatch(/npm install .*lilt-conformance/);
  expect(README).toMatch(/From a clone: `npm ci`/);
  expect(README).toMatch(/\*\*The run writes that job\.\*\*/);
});

test.each(PAGES.map(([name]) => name))('every relative link of %s resolves', (name) => {
  const text = PAGES.find(([n]) => n === name)![1];
  const dir = path.dirname(path.join(PROJECT_ROOT, name));
  const broken = [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1]!)
    .filter((target) => !/^[a-z]+:/.test(target) && !target.startsWith('#'))
    .filter((target) => !fs.existsSync(path.join(dir, target.split('#')[0]!)));
  expect(broken).toEqual([]);
});

test('every page of docs/ is linked from the README', () => {
  expect(DOCS.filter((name) => !README.includes(`(docs/${name})`))).toEqual([]);
});

test.each(PAGES.map(([name]) => name))('the examples of %s export the key, never pass it on a command line', (name) => {
  const text = PAGES.find(([n]) => n === name)![1];
  const inline = codeBlocks(text)
    .flatMap((block) => block.split('\n'))
    .filter((line) => /(^|\s)LILT_API_KEY=\S+\s+\S/.test(line.replace(/^\s*export\s+LILT_API_KEY=.*$/, '')) || /--api-key\s+\S/.test(line));
  expect(inline).toEqual([]);
});

test.each(PAGES.map(([name]) => name))('%s tells no history', (name) => {
  const text = PAGES.find(([n]) => n === name)![1];
  expect(text.match(/\b(before the (F\d|fixes?)|fixed in [0-9a-f]{7,}|commit [0-9a-f]{7,})\b/gi) ?? []).toEqual([]);
  expect(text.match(/(?<![\w-])[0-9a-f]{7,40}(?![\w-])/g)?.filter((word) => /[a-f]/.test(word) && /\d/.test(word)) ?? []).toEqual([]);
});

test('the failure the README annotates has the lines the run prints, in order', () => {
  const block = codeBlocks(README).find((b) => b.startsWith('✗ '));
  expect(block).toBeDefined();
  const finding: Finding = {
    checkId: 'semantics.fields-round-trip',
    checkGroup: 'semantics',
    rule: 'r',
    rules: ['update.round-trip'],
    sources: ['s1', 's2'],
    expected: 'e',
    actual: 'a',
    group: 's',
    case: 'c',
    request: { method: 'PUT', url: 'http://x/v2/jobs/1', auth: 'Basic auth with the API key', contentType: 'application/json', body: '{}' },
    response: { status: 200, contentType: 'application/json', body: '{}', durationMs: 1 },
    curl: 'curl',
  };
  const label = (line: string) => /^(✗ |\s+[a-z]+:)/.exec(line)?.[0]?.trim() ?? '(continued)';
  expect(block!.trimEnd().split('\n').map(label)).toEqual(formatFinding(finding).split('\n').map(label));
});
