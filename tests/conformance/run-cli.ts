/**
 * Runs the conformance CLI as a child process (as CI does), through the tests' one runner (tests/helpers/cli.ts: a
 * clean environment, a report dir, a kill switch), and reads back its exit code, output and findings.json.
 */
import type { ChildProcess } from 'node:child_process';
import { PROJECT_ROOT, runCli } from '../helpers/cli';

export const ROOT = PROJECT_ROOT;

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
  const { env, killAfterMs, entry, onChild, onStderr } = options;
  const run = await runCli(args, {
    reportDir: true,
    env,
    killAfterMs,
    entry,
    onChild,
    onStderr: onStderr === undefined ? undefined : (running) => onStderr(running.stderr, running.child),
  });
  const { reports } = run;
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
    code: run.code,
    stdout: run.stdout,
    stderr: run.stderr,
    wallMs: run.wallMs,
    findings,
    replays,
    groups,
    reportFiles: Object.keys(reports),
    reports: { ...reports },
    failedChecks: [...new Set(groups.map((g) => g.checkId))].sort(),
  };
}
