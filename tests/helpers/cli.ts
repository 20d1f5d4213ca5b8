/**
 * The tests' one way to run the `lilt-conformance` command line: a child process started from the TypeScript sources
 * through tsx (never the build in dist/, which may be older than the sources under test), in a clean environment,
 * with a kill timer, optional stdin, a signal sent when the output says so, and a report folder read back.
 *
 * `cleanEnv()` is the tests' one clean environment, for the CLI and for any other child (npm, npx, prism, pact): it
 * keeps nothing the project's commands read (LILT_*, PACT_*, the CI's branch variables) and nothing of the jest or
 * npm run that started the tests (JEST_*, npm_*, NODE_OPTIONS).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from './temp';

export const PROJECT_ROOT = path.join(__dirname, '..', '..');

/** tsx's own entry, run by this Node: the same in every test, whatever shell or PATH a test gives its children. */
const TSX_CLI = path.join(PROJECT_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const MAIN = path.join(PROJECT_ROOT, 'src', 'cli', 'main.ts');

/** The command that starts the CLI from its sources (`entry` instead of src/cli/main.ts: a wrapper around it). */
export function cliCommand(entry: readonly string[] = [MAIN]): { readonly command: string; readonly args: readonly string[] } {
  return { command: process.execPath, args: [TSX_CLI, ...entry] };
}

/** The same as one shell line, for a script that stands in for the installed `lilt-conformance`. */
export function cliShellLine(): string {
  const { command, args } = cliCommand();
  return [command, ...args].map((part) => `"${part}"`).join(' ');
}

/** Read by the project's commands (pact's git branch falls back on these in CI). */
const CI_BRANCH_VARIABLES = new Set(['GITHUB_HEAD_REF', 'GITHUB_REF_NAME', 'CI_COMMIT_REF_NAME', 'BRANCH_NAME']);

/**
 * This process's environment without what the project's commands read or the test run set, colours off, and `extra`
 * on top (a test's own LILT_API_KEY, say).
 */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(LILT_|PACT_|JEST_|npm_)/.test(name) || name === 'NODE_OPTIONS' || CI_BRANCH_VARIABLES.has(name)) continue;
    env[name] = value;
  }
  env['NO_COLOR'] = '1';
  env['FORCE_COLOR'] = '0';
  return { ...env, ...extra };
}

/** A CLI process while it runs: the child (for signals) and its output so far. */
export interface RunningCli {
  readonly child: ChildProcess;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  /** Added to the clean environment. */
  readonly env?: NodeJS.ProcessEnv;
  /** Default: the project's root. */
  readonly cwd?: string;
  /** Killed (SIGKILL) after this long; default 90 s. */
  readonly killAfterMs?: number;
  /** Written to the CLI's stdin, which is then closed; default: no stdin. */
  readonly stdin?: string;
  /** Sent `signal` (default SIGINT) once, as soon as `when` holds for the output so far. */
  readonly interrupt?: { readonly when: (running: RunningCli) => boolean; readonly signal?: NodeJS.Signals };
  /** Passes `--report-dir` with a fresh temporary folder (after `entry`, before the arguments) and reads it back. */
  readonly reportDir?: boolean;
  /** Runs this file through tsx instead of src/cli/main.ts (a wrapper that measures the run). */
  readonly entry?: readonly string[];
  /** Called once the child is spawned. */
  readonly onChild?: (child: ChildProcess) => void;
  /** Called after each chunk of stdout, and of stderr. */
  readonly onStdout?: (running: RunningCli) => void;
  readonly onStderr?: (running: RunningCli) => void;
}

export interface CliResult {
  /** null when the process was ended by a signal (see `signal`). */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly wallMs: number;
  /** Killed by the kill timer. */
  readonly timedOut: boolean;
  /** The `interrupt` signal was sent. */
  readonly interrupted: boolean;
  /** With `reportDir`: each file of the report folder by name, with its text (read before the folder is removed). */
  readonly reports: Readonly<Record<string, string>>;
}

/** Runs `lilt-conformance ...args` and resolves when it has exited. */
export async function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  const reportDir = options.reportDir === true ? tempDir('lilt-conformance-test-') : undefined;
  try {
    const { command, args: entry } = cliCommand(options.entry);
    const fullArgs = [...entry, ...(reportDir === undefined ? [] : ['--report-dir', reportDir]), ...args];
    const ran = await spawnAndWait(command, fullArgs, options);
    return { ...ran, reports: reportDir === undefined ? {} : readReports(reportDir) };
  } finally {
    if (reportDir !== undefined) fs.rmSync(reportDir, { recursive: true, force: true });
  }
}

/** The same, blocking: for a command that needs nothing of the test's process while it runs (no server in it). */
export function runCliSync(args: readonly string[], options: Pick<CliOptions, 'env' | 'cwd' | 'stdin'> = {}): Pick<CliResult, 'code' | 'stdout' | 'stderr'> {
  const { command, args: entry } = cliCommand();
  const result = spawnSync(command, [...entry, ...args], {
    cwd: options.cwd ?? PROJECT_ROOT,
    env: cleanEnv(options.env),
    encoding: 'utf8',
    ...(options.stdin === undefined ? { stdio: ['ignore', 'pipe', 'pipe'] } : { input: options.stdin }),
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function readReports(dir: string): Record<string, string> {
  const names = fs.readdirSync(dir).sort();
  return Object.fromEntries(names.map((name) => [name, fs.readFileSync(path.join(dir, name), 'utf8')]));
}

type Ran = Omit<CliResult, 'reports'>;

/** Spawns the child with the options' environment, stdin, callbacks, interrupt and kill timer; resolves on close. */
function spawnAndWait(command: string, args: readonly string[], options: CliOptions): Promise<Ran> {
  const started = Date.now();
  const child = spawn(command, args, {
    cwd: options.cwd ?? PROJECT_ROOT,
    env: cleanEnv(options.env),
    stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  const output = { stdout: '', stderr: '' };
  const running: RunningCli = {
    child,
    get stdout() {
      return output.stdout;
    },
    get stderr() {
      return output.stderr;
    },
  };
  let interrupted = false;
  const interruptIfDue = () => {
    if (interrupted || options.interrupt === undefined || !options.interrupt.when(running)) return;
    interrupted = true;
    child.kill(options.interrupt.signal ?? 'SIGINT');
  };
  options.onChild?.(child);
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    output.stdout += chunk;
    options.onStdout?.(running);
    interruptIfDue();
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    output.stderr += chunk;
    options.onStderr?.(running);
    interruptIfDue();
  });
  if (options.stdin !== undefined) child.stdin?.end(options.stdin);
  let timedOut = false;
  const killer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, options.killAfterMs ?? 90_000);
  return new Promise((resolve, reject) => {
    child.on('error', (error) => {
      clearTimeout(killer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stdout: output.stdout, stderr: output.stderr, wallMs: Date.now() - started, timedOut, interrupted });
    });
  });
}
