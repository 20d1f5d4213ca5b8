/**
 * Writes every generated page of docs/ (and the README's generated block) from its sources: the checks'
 * declarations, the CLI's command line, the fault catalogue, src/ itself, package.json, action.yml and the workflow.
 * A page is a file and a render function; add one to GENERATED_PAGES and tests/docs/generated.test.ts holds it to
 * its sources too. A page with a `block` is generated only between that block's markers in its file
 * (`<!-- generated: NAME -->` ... `<!-- /generated: NAME -->`); the rest of the file is written by hand.
 *
 *   npx tsx tools/docs/generate.ts        (npm run docs:generate)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../../src/contract/load';
import { ALL_CHECKS } from '../../src/checks/registry';
import { conformanceFacts } from '../../src/checks/facts';
import { loadValidators } from '../../src/validation/validators';
import { renderArchitectureBlock, renderArchitecturePage } from './architecture-page';
import { renderChecksPage } from './checks-page';
import { renderCiPage } from './ci-page';
import { renderContractPage } from './contract-page';
import { CHANGES } from '../../src/contract/diff';
import { DEFAULT_BASELINE_FILE, loadBaseline } from '../../src/lint/baseline';
import { lintRules } from '../../src/lint/rules';
import { renderDependenciesPage } from './dependencies-page';
import { renderFlagsPage } from './flags-page';
import { renderProofPage } from './proof-page';
import { renderRuleSources } from './rules-block';
import { loadContract } from '../../src/contract/load';

export interface GeneratedPage {
  /** Relative to the project root, with forward slashes. */
  readonly file: string;
  readonly render: () => Promise<string>;
  /** Only the text between this block's markers in the file is generated. */
  readonly block?: string;
}

const read = (file: string) => fs.readFileSync(path.join(PROJECT_ROOT, file), 'utf8');
const SRC = path.join(PROJECT_ROOT, 'src');

export const GENERATED_PAGES: readonly GeneratedPage[] = [
  { file: 'README.md', block: 'architecture', render: async () => renderArchitectureBlock(SRC) },
  { file: 'contracts/BEHAVIOUR.md', block: 'rule-sources', render: async () => renderRuleSources() },
  { file: 'docs/checks.md', render: async () => renderChecksPage(ALL_CHECKS, conformanceFacts(await loadValidators())) },
  { file: 'docs/targets-and-flags.md', render: async () => renderFlagsPage(await loadContract()) },
  { file: 'docs/proof.md', render: async () => renderProofPage(ALL_CHECKS) },
  { file: 'docs/contract.md', render: async () => renderContractPage(lintRules, loadBaseline(DEFAULT_BASELINE_FILE), CHANGES) },
  { file: 'docs/architecture.md', render: async () => renderArchitecturePage(SRC) },
  { file: 'docs/dependencies.md', render: async () => renderDependenciesPage(JSON.parse(read('package.json'))) },
  {
    file: 'docs/ci.md',
    render: async () =>
      renderCiPage(read('action.yml'), read('.github/workflows/conformance.yml'), (JSON.parse(read('package.json')) as { version: string }).version),
  },
];

function markers(block: string): { readonly start: string; readonly end: string } {
  return { start: `<!-- generated: ${block} -->`, end: `<!-- /generated: ${block} -->` };
}

/** The generated text of a block inside `text`, or undefined when its markers are missing. */
export function blockOf(text: string, block: string): string | undefined {
  const { start, end } = markers(block);
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) return undefined;
  return text.slice(from + start.length, to).replace(/^\n/, '').replace(/\n$/, '');
}

function withBlock(text: string, block: string, content: string, file: string): string {
  const { start, end } = markers(block);
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${file} has no ${start} ... ${end} markers; add them where the block goes`);
  return `${text.slice(0, from + start.length)}\n${content}\n${text.slice(to)}`;
}

/** What regenerates the pages, for messages. */
export const REGENERATE = '`npm run docs:generate` (npx tsx tools/docs/generate.ts)';

export async function writePages(root: string = PROJECT_ROOT, pages: readonly GeneratedPage[] = GENERATED_PAGES): Promise<string[]> {
  const written: string[] = [];
  for (const page of pages) {
    const rendered = await page.render();
    const target = path.join(root, page.file);
    const text = page.block === undefined ? rendered : withBlock(fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '', page.block, rendered, page.file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
    written.push(page.block === undefined ? page.file : `${page.file} (${page.block})`);
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
    const text = fs.readFileSync(target, 'utf8');
    const found = page.block === undefined ? text : blockOf(text, page.block);
    if (found === undefined) stale.push({ file: page.file, problem: `no ${markers(page.block ?? '').start} block` });
    else if (found !== wanted) stale.push({ file: page.file, problem: `${page.block === undefined ? '' : `block ${page.block}: `}${firstDifference(found, wanted)}` });
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
