/**
 * Writes every generated page of docs/ from its sources (for now docs/checks.md, from the checks' declarations).
 * A page is a file and a render function; add one to GENERATED_PAGES and tests/docs/generated.test.ts holds it to
 * its sources too.
 *
 *   npx tsx src/docs/generate.ts        (npm run docs:generate)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../contract/load';
import { ALL_CHECKS } from '../conformance/checks/registry';
import { conformanceFacts } from '../conformance/facts';
import { loadValidators } from '../validation/validators';
import { renderChecksPage } from './checks-page';

export interface GeneratedPage {
  /** Relative to the project root, with forward slashes. */
  readonly file: string;
  readonly render: () => Promise<string>;
}

export const GENERATED_PAGES: readonly GeneratedPage[] = [
  { file: 'docs/checks.md', render: async () => renderChecksPage(ALL_CHECKS, conformanceFacts(await loadValidators())) },
];

/** What regenerates the pages, for messages. */
export const REGENERATE = '`npm run docs:generate` (npx tsx src/docs/generate.ts)';

export async function writePages(root: string = PROJECT_ROOT, pages: readonly GeneratedPage[] = GENERATED_PAGES): Promise<string[]> {
  const written: string[] = [];
  for (const page of pages) {
    const text = await page.render();
    const target = path.join(root, page.file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
    written.push(page.file);
  }
  return written;
}

export interface StalePage {
  readonly file: string;
  /** `missing`, or the first line that differs: its number and both texts. */
  readonly problem: string;
}

/** The pages whose file in `root` is not what their generator renders now. */
export async function stalePages(root: string = PROJECT_ROOT, pages: readonly GeneratedPage[] = GENERATED_PAGES): Promise<StalePage[]> {
  const stale: StalePage[] = [];
  for (const page of pages) {
    const target = path.join(root, page.file);
    const wanted = await page.render();
    if (!fs.existsSync(target)) {
      stale.push({ file: page.file, problem: 'missing' });
      continue;
    }
    const found = fs.readFileSync(target, 'utf8');
    if (found !== wanted) stale.push({ file: page.file, problem: firstDifference(found, wanted) });
  }
  return stale;
}

function firstDifference(found: string, wanted: string): string {
  const a = found.split('\n');
  const b = wanted.split('\n');
  const i = a.findIndex((line, n) => line !== b[n]);
  const at = i === -1 ? a.length : i;
  return `line ${at + 1} is ${JSON.stringify(a[at] ?? '(end of file)')}, the generator now gives ${JSON.stringify(b[at] ?? '(end of file)')}`;
}

if (require.main === module) {
  writePages().then(
    (files) => {
      for (const file of files) process.stdout.write(`wrote ${file}\n`);
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
