/**
 * The conformance groups inside a team's own jest run (the CLI does not run this way; it calls the engine directly):
 *
 *   // conformance.test.ts
 *   import { defineConformanceSuites } from 'lilt-conformance/jest';
 *   defineConformanceSuites();
 *
 * Configured by the same LILT_* variables as the CLI (LILT_TARGET_URL, LILT_API_KEY, LILT_JOB_ID, LILT_CHECKS, LILT_EXCLUDE_CHECKS, ...).
 * One test for the first read, then one per group of the engine's plan; the job is restored in afterAll. jest must
 * be installed (it is an optional peer dependency of this package).
 */
import { afterAll, describe, test } from '@jest/globals';
import { resolveCheckSelection, resolveRunConfig } from '../config/run-config';
import { loadContract } from '../contract/load';
import type { CaseRecord } from '../case/record';
import { suitesFor } from '../run/plan';
import { openRun, type ConformanceRun, type RunResult } from '../run/run';
import { failsTheRun } from '../case/baseline';
import { ALL_CHECKS } from '../checks/registry';
import { formatGroup } from '../reports/format';
import { groupFindings } from '../reports/groups';
import { restoreLine } from '../reports/summary';

export interface AdapterOptions {
  /** Where the LILT_* settings are read; default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Each test's timeout; default 30 minutes (a property group at a slow --rate takes long). */
  readonly timeoutMs?: number;
}

export interface GroupTest {
  readonly title: string;
  /** Resolves when the group passed; rejects with every failing case's findings. */
  run(): Promise<void>;
}

export interface ConformanceTests {
  readonly tests: readonly GroupTest[];
  /** Restores the job and closes the run (rejects when the restore failed); resolves at once if nothing ran. */
  finish(): Promise<RunResult | undefined>;
}

/** Fails with the findings grouped (one check broken one way is one entry) and the cases cut short; acknowledged ones pass. */
function failIfAny(records: readonly CaseRecord[]): void {
  const groups = groupFindings(
    records.flatMap((r) => r.findings.filter(failsTheRun)),
    ALL_CHECKS.map((c) => c.id),
  );
  const cut = records.filter((r) => r.error !== undefined).map((r) => `${r.suite} › ${r.scenario}: cut short: ${r.error}`);
  if (groups.length > 0 || cut.length > 0) throw new Error([...groups.map((g) => formatGroup(g)), ...cut].join('\n\n'));
}

/** The tests as plain functions (what `defineConformanceSuites` registers with jest). */
export function conformanceTests(options: AdapterOptions = {}): ConformanceTests {
  const env = options.env ?? process.env;
  // The groups are known before the contract loads (jest collects tests synchronously); the cases are not.
  const checks = resolveCheckSelection({}, env);
  let opening: Promise<ConformanceRun> | undefined;
  const open = () =>
    (opening ??= (async () => {
      const contract = await loadContract();
      const { config, secrets } = resolveRunConfig({}, env, contract);
      return openRun({ config, apiKey: secrets.apiKey, contract });
    })());
  const firstRead: GroupTest = {
    title: 'the first read returns the job',
    run: async () => failIfAny([(await open()).startUp]),
  };
  const groups = suitesFor(checks).map(
    (suite): GroupTest => ({
      title: suite.title,
      run: async () => {
        const run = await open();
        if (run.plan.length === 0 && run.startUp.findings.length > 0) {
          throw new Error('not run: the first read did not return a Job, so nothing is written (see that test)');
        }
        failIfAny(await run.runGroup(suite.id));
      },
    }),
  );
  return {
    tests: [firstRead, ...groups],
    async finish() {
      if (opening === undefined) return undefined;
      const result = await (await opening).finish();
      if (result.restore.kind === 'failed') throw new Error(`job ${result.jobId}: ${restoreLine(result)}`);
      return result;
    },
  };
}

/** Registers the conformance groups as jest tests in the calling test file. */
export function defineConformanceSuites(options: AdapterOptions = {}): void {
  const timeout = options.timeoutMs ?? 30 * 60_000;
  const { tests, finish } = conformanceTests(options);
  describe('lilt-conformance: PUT /v2/jobs/{jobId}', () => {
    for (const group of tests) test(group.title, () => group.run(), timeout);
  });
  afterAll(async () => {
    await finish();
  }, timeout);
}
