/**
 * The conformance groups inside a team's own jest run (`lilt-conformance/jest`; docs/jest.md), one test a group.
 *
 *   // conformance.test.ts
 *   import { defineConformanceSuites } from 'lilt-conformance/jest';
 *   defineConformanceSuites();
 *
 * Configured by the same LILT_* variables as the CLI, every one of them: those of the run itself (LILT_TARGET_URL,
 * LILT_API_KEY, LILT_JOB_ID, LILT_CHECKS, LILT_RATE, ...) go to the engine as they do from the CLI; LILT_REPORT_DIR
 * writes the CLI's reports (the directory probed before the first request, the files scanned for the key after),
 * LILT_WRITE_BASELINE a baseline of the findings, and LILT_DRY_RUN prints the plan and skips the groups. One test for
 * the first read, then one per group of the engine's plan; the job is restored in afterAll. jest must be installed (it
 * is an optional peer dependency of this package).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, test } from '@jest/globals';
import { OPTION_ENV, resolveCheckSelection, resolveRunConfig, type RunConfig } from '../config/run-config';
import { loadContractOption } from '../config/options';
import type { CaseRecord } from '../case/record';
import { groupsFor } from '../run/plan';
import { openRun, type ConformanceRun, type RunResult } from '../run/run';
import { failsTheRun } from '../case/baseline';
import { ALL_CHECKS } from '../checks/registry';
import { printPlan } from '../cli/conformance';
import { baselineFileText } from '../reports/baseline-file';
import { prepareReportDir, writeReports } from '../reports/files';
import { formatPattern } from '../reports/format';
import { patternsOf } from '../reports/patterns';
import { redactor, scanPaths, scanSecret } from '../http/key-scan';
import { restoreLine, summaryOf } from '../reports/summary';

export interface AdapterOptions {
  /** Where the LILT_* settings are read; default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Each test's timeout; default 30 minutes (a property group at a slow --rate takes long). */
  readonly timeoutMs?: number;
  /** Where the lines the CLI prints on stderr go (the reports written, the plan of a dry run); default stderr. */
  readonly log?: (line: string) => void;
}

export interface GroupTest {
  readonly title: string;
  /** True when it is not to run (LILT_DRY_RUN: every group); jest registers it as skipped. */
  readonly skip?: boolean;
  /** Resolves when the group passed; rejects with every failing case's findings. */
  run(): Promise<void>;
}

export interface ConformanceTests {
  readonly tests: readonly GroupTest[];
  /**
   * Restores the job and closes the run, then writes the reports (LILT_REPORT_DIR) and the baseline
   * (LILT_WRITE_BASELINE) and scans them for the key. Rejects when the restore failed, a file could not be written or
   * the key was found in one; resolves at once (undefined) if nothing ran.
   */
  finish(): Promise<RunResult | undefined>;
}

/** Fails with the findings grouped (one check broken one way is one entry) and the cases cut short; acknowledged ones pass. */
function failIfAny(records: readonly CaseRecord[]): void {
  const groups = patternsOf(
    records.flatMap((r) => r.findings.filter(failsTheRun)),
    ALL_CHECKS.map((c) => c.id),
  );
  const cut = records.filter((r) => r.error !== undefined).map((r) => `${r.group} › ${r.case}: cut short: ${r.error}`);
  if (groups.length > 0 || cut.length > 0) throw new Error([...groups.map((g) => formatPattern(g)), ...cut].join('\n\n'));
}

/** LILT_DRY_RUN as the CLI reads it (a bad value is left to the run's own check, which names it). */
function dryRunIn(env: NodeJS.ProcessEnv): boolean {
  return /^(1|true|yes)$/i.test(env[OPTION_ENV.dryRun]?.trim() ?? '');
}

interface Opened {
  readonly run: ConformanceRun;
  readonly config: RunConfig;
  readonly apiKey: string | undefined;
}

/** The reports and the baseline, as the CLI writes them after a run, and the key scan over them; the files written. */
async function writeRunFiles(opened: Opened, result: RunResult, log: (line: string) => void): Promise<string[]> {
  const { config, apiKey } = opened;
  const secretHeaders = config.headers.flatMap((h) => (h.secret ? [{ value: h.value.reveal(), label: `header ${h.name}` }] : []));
  const redact = apiKey === undefined && secretHeaders.length === 0 ? (text: string) => text : redactor(apiKey ?? '', secretHeaders);
  const summary = summaryOf(result);
  const written: string[] = [];
  if (config.reportDir !== undefined) {
    const dir = path.resolve(config.reportDir);
    const reports = await writeReports(dir, summary, redact);
    written.push(...reports.files);
    if (reports.kind === 'failed') throw new Error(`${OPTION_ENV.reportDir}: the reports could not be written to ${dir} (${reports.reason})`);
    log(`reports: ${reports.files.join(', ')}`);
  }
  if (config.writeBaseline !== undefined) {
    const file = path.resolve(config.writeBaseline);
    fs.writeFileSync(file, redact(baselineFileText(summary.findingPatterns, config.baseline)));
    written.push(file);
    log(`baseline: ${summary.findingPatterns.length === 0 ? 'no finding; an empty baseline' : 'the findings'} written to ${file}; review each entry's reason before you use it`);
  }
  // The HAR the run wrote (LILT_HAR) is scanned with the rest.
  if (config.har !== undefined && fs.existsSync(config.har)) written.push(config.har);
  const leaks = [
    ...(apiKey === undefined ? [] : scanPaths(apiKey, written).map((leak) => `${leak.where}: ${leak.form}`)),
    ...secretHeaders.flatMap(({ value, label }) => written.flatMap((file) => scanSecret(value, label, fs.readFileSync(file, 'utf8'), file).map((leak) => `${leak.where}: ${label}`))),
  ];
  if (leaks.length > 0) throw new Error(`a secret was found in what this run wrote (${leaks.join('; ')}); treat it as leaked and rotate it`);
  return written;
}

/** The tests as plain functions (what `defineConformanceSuites` registers with jest). */
export function conformanceTests(options: AdapterOptions = {}): ConformanceTests {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  // The groups are known before the contract loads (jest collects tests synchronously); the cases are not.
  const checks = resolveCheckSelection({}, env);
  if (dryRunIn(env)) {
    const plan: GroupTest = {
      title: 'the plan (dry run: nothing is sent)',
      run: async () => {
        const contract = await loadContractOption({}, env);
        const { config } = resolveRunConfig({}, env, contract);
        await printPlan(config, (text) => log(text.replace(/\n$/, '')), contract);
      },
    };
    const skipped = groupsFor(checks).map((group): GroupTest => ({ title: group.title, skip: true, run: async () => undefined }));
    return { tests: [plan, ...skipped], finish: async () => undefined };
  }
  let opening: Promise<Opened> | undefined;
  const open = () =>
    (opening ??= (async () => {
      const contract = await loadContractOption({}, env);
      const { config, secrets } = resolveRunConfig({}, env, contract);
      // As the CLI: a report directory that cannot be written costs nothing, not even the first request.
      if (config.reportDir !== undefined) await prepareReportDir(path.resolve(config.reportDir));
      const run = await openRun({ config, apiKey: secrets.apiKey, contract });
      return { run, config, apiKey: secrets.apiKey };
    })());
  const firstRead: GroupTest = {
    title: 'the first read returns the job',
    run: async () => failIfAny([(await open()).run.startUp]),
  };
  const groups = groupsFor(checks).map(
    (group): GroupTest => ({
      title: group.title,
      run: async () => {
        const { run } = await open();
        if (run.plan.length === 0 && run.startUp.findings.length > 0) {
          throw new Error('not run: the first read did not return a Job, so nothing is written (see that test)');
        }
        const records = await run.runGroup(group.id);
        failIfAny(records);
        const planned = run.plan.find((s) => s.id === group.id)?.cases.length ?? 0;
        if (records.length < planned) {
          throw new Error(
            `${planned - records.length} of ${planned} cases did not run: the run stopped before them ` +
              `(${OPTION_ENV.maxFailures}, ${OPTION_ENV.maxDuration}, or a target that stopped answering; see the tests before)`,
          );
        }
      },
    }),
  );
  return {
    tests: [firstRead, ...groups],
    async finish() {
      if (opening === undefined) return undefined;
      const opened = await opening;
      const result = await opened.run.finish();
      const problems: string[] = [];
      if (result.restore.kind === 'failed') problems.push(`job ${result.jobId}: ${restoreLine(result)}`);
      try {
        await writeRunFiles(opened, result, log);
      } catch (error) {
        problems.push(error instanceof Error ? error.message : String(error));
      }
      if (problems.length > 0) throw new Error(problems.join('\n'));
      return result;
    },
  };
}

/** Registers the conformance groups as jest tests in the calling test file. */
export function defineConformanceSuites(options: AdapterOptions = {}): void {
  const timeout = options.timeoutMs ?? 30 * 60_000;
  const { tests, finish } = conformanceTests(options);
  describe('lilt-conformance: PUT /v2/jobs/{jobId}', () => {
    for (const group of tests) (group.skip === true ? test.skip : test)(group.title, () => group.run(), timeout);
  });
  afterAll(async () => {
    await finish();
  }, timeout);
}
