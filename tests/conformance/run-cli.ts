/**
 * Runs the conformance CLI as a child process (as CI does), with a clean environment, a report dir, and a kill
 * switch; returns its exit code, output and findings.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const ROOT = path.join(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

/** An example of a group in findings.json, with its group's check id. */
export interface FindingJson {
  checkId: string;
  seed: number;
  path?: string;
  counterexample?: string;
  replay?: string;
  curl: string;
}

/** A group of findings.json: one check broken one way. */
export interface GroupJson {
  checkId: string;
  count: number;
  expected: string;
  actual: string;
  examples: Array<Omit<FindingJson, 'checkId'>>;
  cases: Array<{ group: string; case: string; count: number; property?: string; seed?: number; path?: string; counterexample?: string }>;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  wallMs: number;
  /** Every group's examples, with their group's check id. */
  findings: FindingJson[];
  /** Every property counterexample of the groups' cases, with their group's check id. */
  replays: Array<{ checkId: string; property: string; seed: number; path: string; counterexample: string }>;
  groups: GroupJson[];
  reportFiles: string[];
  /** Each report file's text, by name (read before the report dir is removed). */
  reports: Record<string, string>;
  failedChecks: string[];
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  killAfterMs?: number;
  /** Called with the child once it is spawned (to send it signals). */
  onChild?: (child: ChildProcess) => void;
  /** Called with all of stderr so far, after each chunk. */
  onStderr?: (stderr: string, child: ChildProcess) => void;
  /** Runs this file through tsx instead of src/cli/main.ts (a wrapper that measures the run). */
  entry?: readonly string[];
}

export async function runConformance(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lilt-conformance-test-'));
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('LILT_') && !name.startsWith('JEST_') && name !== 'NODE_OPTIONS') env[name] = value;
  }
  Object.assign(env, options.env ?? {});
  const started = Date.now();
  // The TypeScript sources through tsx, never a possibly stale build in dist/.
  const entry = options.entry ?? [path.join(ROOT, 'src', 'cli', 'main.ts')];
  const child = spawn(TSX, [...entry, '--report-dir', reportDir, ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  options.onChild?.(child);
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
    options.onStderr?.(stderr, child);
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 90_000);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  clearTimeout(killer);
  try {
    const reportFiles = fs.readdirSync(reportDir).sort();
    const reports = Object.fromEntries(reportFiles.map((name) => [name, fs.readFileSync(path.join(reportDir, name), 'utf8')]));
    const parsed = reports['findings.json'] === undefined ? undefined : (JSON.parse(reports['findings.json']) as { seed: number; patterns: GroupJson[] });
    const groups = parsed?.patterns ?? [];
    const findings: FindingJson[] = groups.flatMap((g) => g.examples.map((e) => ({ ...e, checkId: g.checkId })));
    const replays = groups.flatMap((g) =>
      g.cases.flatMap((c) =>
        c.property === undefined || c.path === undefined || c.counterexample === undefined
          ? []
          : [{ checkId: g.checkId, property: c.property, seed: c.seed ?? parsed?.seed ?? -1, path: c.path, counterexample: c.counterexample }],
      ),
    );
    return {
      code,
      stdout,
      stderr,
      wallMs: Date.now() - started,
      findings,
      replays,
      groups,
      reportFiles,
      reports,
      failedChecks: [...new Set(groups.map((g) => g.checkId))].sort(),
    };
  } finally {
    fs.rmSync(reportDir, { recursive: true, force: true });
  }
}
