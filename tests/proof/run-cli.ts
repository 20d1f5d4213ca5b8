/**
 * Runs the conformance CLI (`lilt-conformance`) as a child process, the way CI runs it, against a target URL, and reads
 * back what it decided: the exit code and the ids of the checks that failed (from `findings.json` in --report-dir).
 * The child gets a clean environment: no LILT_* variable of the parent leaks into it.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const PROJECT_DIR = path.join(__dirname, '..', '..');

export interface CliOutcome {
  /** null when the run was killed for taking too long. */
  readonly exitCode: number | null;
  /** Check ids with at least one finding, sorted, without repeats. */
  readonly failedChecks: readonly string[];
  /** Each group's examples: its check id and the response it judged. */
  readonly findings: readonly FindingSummary[];
  readonly findingsCount: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly wallMs: number;
  readonly timedOut: boolean;
}

export interface CliRun {
  /** Omitted: no --target (the CLI starts the reference provider itself). */
  readonly target?: string;
  readonly args?: readonly string[];
  /** Killed after this long (the test then fails with what it printed). */
  readonly killAfterMs?: number;
}

/**
 * The command that starts the CLI: its TypeScript entry through tsx (a dev dependency), never the build in dist/,
 * which may be older than the sources under test.
 */
export function cliCommand(): { command: string; args: string[] } {
  return { command: path.join(PROJECT_DIR, 'node_modules', '.bin', 'tsx'), args: [path.join(PROJECT_DIR, 'src', 'cli', 'main.ts')] };
}

export function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('LILT_') && !name.startsWith('JEST_') && name !== 'NODE_OPTIONS') env[name] = value;
  }
  env.NO_COLOR = '1';
  env.FORCE_COLOR = '0';
  return env;
}

export interface FindingSummary {
  readonly checkId: string;
  readonly status: number | undefined;
  readonly body: string | undefined;
  /** The request's body as findings.json holds it (trimmed). */
  readonly requestBody: string | undefined;
}

interface ExampleLike {
  readonly request?: { readonly body?: unknown };
  readonly response?: { readonly status?: unknown; readonly body?: unknown };
}

interface GroupLike {
  readonly checkId?: unknown;
  readonly count?: unknown;
  readonly examples?: readonly ExampleLike[];
}

/** findings.json holds the findings grouped (one check broken one way), each group with its first examples. */
function readFailedChecks(reportDir: string): { ids: string[]; count: number; findings: FindingSummary[] } {
  const file = path.join(reportDir, 'findings.json');
  if (!fs.existsSync(file)) return { ids: [], count: 0, findings: [] };
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { patterns?: unknown };
  const groups: GroupLike[] = Array.isArray(parsed.patterns) ? (parsed.patterns as GroupLike[]) : [];
  const ids = [...new Set(groups.map((g) => g.checkId).filter((id): id is string => typeof id === 'string'))].sort();
  const findings = groups.flatMap((g) =>
    (g.examples ?? []).map((e) => ({
      checkId: String(g.checkId),
      status: typeof e.response?.status === 'number' ? e.response.status : undefined,
      body: typeof e.response?.body === 'string' ? e.response.body : undefined,
      requestBody: typeof e.request?.body === 'string' ? e.request.body : undefined,
    })),
  );
  const count = groups.reduce((n, g) => n + (typeof g.count === 'number' ? g.count : 0), 0);
  return { ids, count, findings };
}

export async function runCli(run: CliRun): Promise<CliOutcome> {
  const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lilt-proof-'));
  const { command, args } = cliCommand();
  const fullArgs = [
    ...args,
    ...(run.target === undefined ? [] : ['--target', run.target]),
    '--report-dir',
    reportDir,
    ...(run.args ?? []),
  ];
  const started = Date.now();
  try {
    const child = spawn(command, fullArgs, { cwd: PROJECT_DIR, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    let timedOut = false;
    const killer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, run.killAfterMs ?? 120_000);
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => resolve(code));
    });
    clearTimeout(killer);
    const { ids, count, findings } = readFailedChecks(reportDir);
    return { exitCode, failedChecks: ids, findings, findingsCount: count, stdout, stderr, wallMs: Date.now() - started, timedOut };
  } finally {
    fs.rmSync(reportDir, { recursive: true, force: true });
  }
}

/** Runs `work` over `items`, at most `limit` at a time, results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
