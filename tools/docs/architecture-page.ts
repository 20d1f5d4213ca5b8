/**
 * The architecture, for the person about to change the code: the run's flow, every folder of src/ and what lives
 * there, and every module with the first sentence of its header comment. Two renderings: the README's block (the
 * flow and the top-level folders) and docs/architecture.md (all of it). The folders and files are read from src/
 * itself, so a folder without a description here, or a description without its folder, stops the generator.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GROUPS } from '../../src/run/plan';
import { renderImportRules } from './layers';
import { cell, generatedNotice, table } from './markdown';

/** What lives in each folder of src/ (relative to src/), top-level first. */
export const FOLDERS: Readonly<Record<string, string>> = {
  arbitraries: 'fast-check arbitraries derived from the contract (field values, bodies, ids, credentials), each input with the outcome BEHAVIOUR.md requires',
  bench: '`npm run bench`: the run\'s overhead, wall time and quota use, measured from the provider\'s side (not in the package)',
  cli: 'the command and its subcommands: parse, resolve, call, print, exit code',
  client: 'the typed client of `PUT /v2/jobs/{jobId}` the pacts describe',
  'client/generated': 'its types, generated from the contract (`npm run client:generate`)',
  config: 'flags and environment into one validated `RunConfig`; the key kept apart',
  case: 'what a case is: a Case (sends, judges through its ledger), its lane and the run\'s services, findings, records, the watch of live properties, the baseline, the clock',
  'checks/schema': 'group 1: response conformance, judged on every response (one check a file)',
  'checks/semantics': 'group 2: the semantics of a valid update (one check a file)',
  'checks/negative': 'group 3: refusals of invalid data (one check a file)',
  'checks/ids': 'group 4: the path id (one check a file)',
  'checks/auth': 'group 5: credentials (one check a file)',
  cases: 'the cases of each group: what each sends and what it expects',
  checks: 'the checks, each a declaration (id, group, rule, sources, what it applies to, examples), their registry and the contract facts they read',
  contract: 'the OpenAPI document: loaded and validated once, and the one model of the operation',
  coverage:
    'the coverage phase\'s curated datasets (naughty strings, date-times, integers as text, request combinations), each value with its expectation and source',
  http: 'the one transport (undici, pacing, timeouts, 429 waits), requests with symbolic auth, URLs and `curl` lines',
  jest: 'the adapter that runs the groups inside a team\'s own jest (`lilt-conformance/jest`)',
  lint: 'the spec lint of the document, its rules and the baseline',
  'lint/rules': 'one rule a file',
  pact: 'provider verification, broker settings, the Pact CLI runner, the pact against the document',
  provider: 'the reference provider: Fastify, in memory, exactly as the contract and BEHAVIOUR.md say',
  'provider/fixtures': 'its default key and jobs',
  run: 'the run: its plan, its stop, its ledger, the marker, the job guard, the end (watch, restore, verdict)',
  'run/schedule': 'where each case runs: lanes (one per job written), probe sections (one read-back a round), the scheduler of property examples',
  'run/session': 'the run\'s session with its target: the target and its transport, the first reads, the restore',
  reports: 'progress, the summary, terminal output, `report.md`, `findings.json`, `junit.xml`, the key scan',
  validation: 'ajv for OpenAPI 3.0, strict RFC 3339 date-times, compiled validators, errors as data',
};

/** The run's flow, one call a line, with where each lives. */
const FLOW_STEPS: ReadonlyArray<readonly [string, string]> = [
  ['lilt-conformance [flags]', 'src/cli/main.ts, src/cli/conformance.ts'],
  ['  resolveRunConfig(flags, env) -> RunConfig, the key apart', 'src/config/'],
  ['  runConformance(config, { onProgress, signal })', 'src/run/run.ts'],
  ['    openSession: target, transport, first read, snapshot', 'src/run/session/'],
  [`    planOf: groups 1-${GROUPS.length} and their cases (shard, replay)`, 'src/run/plan.ts'],
  ['    each group: its cases over the lanes', 'src/run/schedule/'],
  ['      each case: requests -> checks -> CaseRecord', 'src/case/, src/cases/, src/checks/'],
  ['    watch, restore the job and read it back, verdict', 'src/run/finish.ts'],
  ['  reports, key scan, verdict -> exit code', 'src/reports/'],
];
const FLOW_WIDTH = Math.max(...FLOW_STEPS.map(([what]) => what.length)) + 2;
const FLOW = FLOW_STEPS.map(([what, where]) => `${what.padEnd(FLOW_WIDTH)}${where}`);

function folders(srcDir: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (!entry.isDirectory()) continue;
      const full = path.join(dir, entry.name);
      out.push(path.relative(srcDir, full).split(path.sep).join('/'));
      walk(full);
    }
  };
  walk(srcDir);
  return out;
}

/** The folders of src/, checked against FOLDERS both ways. */
export function describedFolders(srcDir: string): string[] {
  const found = folders(srcDir);
  const undescribed = found.filter((folder) => FOLDERS[folder] === undefined);
  const gone = Object.keys(FOLDERS).filter((folder) => !found.includes(folder));
  if (undescribed.length > 0 || gone.length > 0) {
    throw new Error(
      `tools/docs/architecture-page.ts FOLDERS is out of step with src/: ${[
        ...undescribed.map((folder) => `src/${folder} has no description`),
        ...gone.map((folder) => `src/${folder} is described but does not exist`),
      ].join('; ')}`,
    );
  }
  return found;
}

/** The first sentence of a module's header comment (`/** ... *\/` at its top), or undefined. */
export function leadSentence(text: string): string | undefined {
  const comment = /^\/\*\*([\s\S]*?)\*\//.exec(text)?.[1];
  if (comment === undefined) return undefined;
  const flat = comment
    .split('\n')
    .map((line) => line.replace(/^\s*\*?\s?/, ''))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
  const end = flat.search(/(?<!\be\.g|\bi\.e)\.(\s|$)/);
  return end < 0 ? flat : flat.slice(0, end + 1);
}

const FOLDER_HEADER = ['folder', 'what lives there'];

/** The README's architecture block: the flow, and the top-level folders. */
export function renderArchitectureBlock(srcDir: string): string {
  const top = describedFolders(srcDir).filter((folder) => !folder.includes('/'));
  return [
    '```text',
    ...FLOW,
    '```',
    '',
    `Each of the ${top.length} folders of \`src/\`, what it holds and which may import which: [docs/architecture.md](docs/architecture.md).`,
  ].join('\n');
}

export function renderArchitecturePage(srcDir: string): string {
  const all = describedFolders(srcDir);
  const lines: string[] = [
    ...generatedNotice('the folders and module headers of src/', 'tools/docs/architecture-page.ts'),
    '# Architecture',
    '',
    'For the person about to change the code. A conformance run is one function call in one process: options in,',
    'progress out through a callback, the result returned as values. Nothing passes through a file or an environment',
    'variable between its parts (a test holds the engine to that). The contract is read once into one model of the',
    'operation, which the provider, the arbitraries, the cases, the checks and the configuration all take.',
    '',
    '```text',
    ...FLOW,
    '```',
    '',
    'The run takes the groups in order; within a group, cases that never touch the job (the id probes) overlap, up to',
    '`--concurrency`, the probes of a lane share one read-back a round (a probe section), and the cases that write go',
    'over the lanes (one per job written), in order on each. A case gets the run\'s services, which never change while',
    'it runs, and its lane, which owns what is known of its job. Every request goes through the one transport, which',
    'puts the key on the wire and nowhere else. A check is a declaration, one a file: what it applies to, its rule and',
    'its sources, and examples that its unit tests run and [the checks page](checks.md) shows.',
    '',
    ...renderImportRules(),
    '',
    '## Folders',
    '',
    ...table(FOLDER_HEADER, all.map((folder) => [`\`src/${folder}/\``, cell(FOLDERS[folder] ?? '')])),
    '',
    'Beside src/: `contracts/` (the provider\'s OpenAPI document and `BEHAVIOUR.md`, the team\'s reading of it where it',
    'is silent), `pacts/` (the consumer pact, reviewed like code), `tests/` (mirrors src/; `tests/proof/` is',
    '[the proof](proof.md)), `tools/docs/` (the generators of these pages; they read the tests\' fault catalogue, so they',
    'live outside src/), `bin/` (the command), `scripts/` (build, installed size), `action.yml` and',
    '`.github/workflows/` ([CI](ci.md)).',
    '',
    '## Modules',
  ];
  for (const folder of ['', ...all]) {
    const dir = path.join(srcDir, folder);
    const files = fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
      .map((entry) => entry.name)
      .sort();
    if (files.length === 0) continue;
    lines.push('', `### \`src/${folder === '' ? '' : `${folder}/`}\``, '');
    lines.push(
      ...table(
        ['module', 'what it is'],
        files.map((file) => [`\`${file}\``, cell(leadSentence(fs.readFileSync(path.join(dir, file), 'utf8')) ?? '')]),
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}
