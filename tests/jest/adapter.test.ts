/**
 * The jest adapter: the engine's groups as jest tests, configured by LILT_* variables. Registered for real against
 * the in-process reference provider (they must pass), and called as plain functions against a provider with one fault
 * (the group that judges it must fail, naming the check; the job is restored either way). Every variable the CLI
 * honours is honoured: those the CLI acts on itself (the reports, the baseline written, the dry run) each with a test,
 * the others because each changes the configuration the adapter hands the engine.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { OPTION_ENV, resolveRunConfig } from '../../src/config/run-config';
import { loadContract } from '../../src/contract/load';
import { conformanceTests, defineConformanceSuites } from '../../src/jest/adapter';
import { baselineFileText } from '../../src/reports/baseline-file';
import { referenceDefaults } from '../../src/run/session/reference';
import { FAULTS, startFaulty } from '../conformance/faulty-provider';
import { tempDir } from '../helpers/temp';

defineConformanceSuites({ env: { LILT_RUNS: '5', LILT_SEED: '11' }, timeoutMs: 60_000 });

test('against a provider that loses name updates, the semantics group fails naming the check, and the job is put back', async () => {
  const provider = await startFaulty(FAULTS.lostNameUpdate);
  const { apiKey, jobId } = referenceDefaults();
  try {
    const { tests, finish } = conformanceTests({
      env: { LILT_TARGET_URL: provider.url, LILT_API_KEY: apiKey, LILT_JOB_ID: String(jobId), LILT_RUNS: '5', LILT_SEED: '11' },
    });
    const byTitle = new Map(tests.map((t) => [t.title, t]));
    await expect(byTitle.get('the first read returns the job')?.run()).resolves.toBeUndefined();
    await expect(byTitle.get('group 4: ids')?.run()).resolves.toBeUndefined();
    await expect(byTitle.get('group 2: semantics')?.run()).rejects.toThrow(/semantics\.fields-round-trip/);
    const result = await finish();
    expect(result?.restore.kind).toBe('restored');
    expect(result?.verdict).toMatchObject({ kind: 'not-conformant' });
  } finally {
    await provider.close();
  }
}, 60_000);

/** Runs every test of a ConformanceTests in order, as jest would, and finishes; each test's outcome by title. */
async function runAll({ tests, finish }: ReturnType<typeof conformanceTests>): Promise<{ outcomes: Map<string, string>; result: Awaited<ReturnType<typeof finish>> }> {
  const outcomes = new Map<string, string>();
  for (const t of tests) {
    if (t.skip === true) {
      outcomes.set(t.title, 'skipped');
      continue;
    }
    outcomes.set(t.title, await t.run().then(() => 'passed', (error: unknown) => `failed: ${String(error)}`));
  }
  return { outcomes, result: await finish() };
}

describe('the variables the CLI honours, honoured here', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir('lilt-adapter-');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('LILT_REPORT_DIR: the reports the CLI writes, in that directory, for the whole run', async () => {
    const reportDir = path.join(dir, 'reports');
    const lines: string[] = [];
    const { outcomes, result } = await runAll(
      conformanceTests({ env: { LILT_REPORT_DIR: reportDir, LILT_CHECKS: 'schema', LILT_RUNS: '5', LILT_SEED: '11' }, log: (line) => lines.push(line) }),
    );
    expect([...outcomes.values()].every((o) => o === 'passed')).toBe(true);
    expect(fs.readdirSync(reportDir).sort()).toEqual(['findings.json', 'junit.xml', 'report.html', 'report.md']);
    expect(fs.readFileSync(path.join(reportDir, 'report.md'), 'utf8')).toMatch(/Verdict: conformant\. Job 241: restored/);
    expect(JSON.parse(fs.readFileSync(path.join(reportDir, 'findings.json'), 'utf8'))).toMatchObject({ seed: 11 });
    expect(result?.verdict.kind).toBe('conformant');
    expect(lines).toEqual([`reports: ${['report.md', 'report.html', 'findings.json', 'junit.xml'].map((f) => path.join(reportDir, f)).join(', ')}`]);
  }, 60_000);

  test('LILT_REPORT_DIR that cannot be written: the first test fails at once, naming it, and nothing is sent', async () => {
    const file = path.join(dir, 'a-file');
    fs.writeFileSync(file, '');
    let requests = 0;
    const counting = http.createServer((_req, res) => {
      requests += 1;
      res.end();
    });
    try {
      await new Promise<void>((resolve) => counting.listen(0, '127.0.0.1', resolve));
      const { apiKey, jobId } = referenceDefaults();
      const target = `http://127.0.0.1:${(counting.address() as AddressInfo).port}`;
      const reportDir = path.join(file, 'reports');
      const { tests, finish } = conformanceTests({ env: { LILT_TARGET_URL: target, LILT_API_KEY: apiKey, LILT_JOB_ID: String(jobId), LILT_REPORT_DIR: reportDir } });
      await expect(tests[0]!.run()).rejects.toThrow(reportDir);
      expect(requests).toBe(0);
      await expect(finish()).rejects.toThrow(reportDir);
    } finally {
      await new Promise<void>((resolve) => counting.close(() => resolve()));
    }
  });

  test('LILT_WRITE_BASELINE: a baseline of the findings; LILT_MAX_FAILURES: the groups after the stop fail, saying their cases did not run', async () => {
    const provider = await startFaulty(FAULTS.serverErrorOnMalformedJson);
    const { apiKey, jobId } = referenceDefaults();
    const baseline = path.join(dir, 'baseline.json');
    try {
      const { outcomes, result } = await runAll(
        conformanceTests({
          env: { LILT_TARGET_URL: provider.url, LILT_API_KEY: apiKey, LILT_JOB_ID: String(jobId), LILT_RUNS: '5', LILT_SEED: '11', LILT_WRITE_BASELINE: baseline, LILT_MAX_FAILURES: '1' },
          log: () => undefined,
        }),
      );
      expect(outcomes.get('the first read returns the job')).toBe('passed');
      expect(outcomes.get('group 1: response conformance')).toMatch(/^failed: .*schema\.no-server-error/);
      expect(outcomes.get('group 2: semantics')).toMatch(/^failed: .*8 of 8 cases did not run: the run stopped before them \(LILT_MAX_FAILURES/);
      expect(result?.stoppedEarly).toMatchObject({ kind: 'max-failures', limit: 1 });
      const { acknowledged } = JSON.parse(fs.readFileSync(baseline, 'utf8')) as { acknowledged: Array<{ check: string }> };
      expect(acknowledged.map((e) => e.check)).toContain('schema.no-server-error');
      expect(result?.restore.kind).toBe('restored');
    } finally {
      await provider.close();
    }
  }, 60_000);

  test('LILT_DRY_RUN: the plan is printed, every group skipped, nothing sent', async () => {
    const lines: string[] = [];
    const { tests, finish } = conformanceTests({ env: { LILT_DRY_RUN: 'true', LILT_CHECKS: 'schema,ids' }, log: (line) => lines.push(line) });
    expect(tests.map((t) => [t.title, t.skip === true])).toEqual([
      ['the plan (dry run: nothing is sent)', false],
      ['group 1: response conformance', true],
      ['group 4: ids', true],
      ['group 6: coverage (curated values and request combinations)', true],
      ['group 7: properties (fast-check)', true],
    ]);
    await tests[0]!.run();
    expect(lines.join('\n')).toMatch(/^Plan \(dry run: nothing is sent\)\n {2}target: {6}the reference provider/);
    expect(lines.join('\n')).toMatch(/group 4: ids \(\d+ cases\)/);
    await expect(finish()).resolves.toBeUndefined();
  });

  // The rest reach the engine through resolveRunConfig, which the adapter calls with its env as the CLI does: each
  // changes the configuration the run gets (the three the CLI acts on itself, above, too). A new variable must be
  // added here, and honoured by the adapter.
  // The document and its operation are read by the adapter itself (the test below); the rest change the configuration.
  type ConfigVariable = Exclude<keyof typeof OPTION_ENV, 'contract' | 'operation'>;
  const SAMPLES: Record<ConfigVariable, (dir: string) => string> = {
    target: () => 'http://127.0.0.1:10',
    apiKey: () => 'other-key',
    jobId: () => '8',
    missingJobId: () => '99',
    checks: () => 'ids',
    excludeChecks: () => 'auth',
    maxFailures: () => '2',
    baseline: (dir) => {
      const file = path.join(dir, 'baseline.json');
      fs.writeFileSync(file, baselineFileText([], undefined));
      return file;
    },
    writeBaseline: (dir) => path.join(dir, 'new-baseline.json'),
    header: () => 'X-Team: a',
    runs: () => '3',
    seed: () => '9',
    rate: () => '60',
    concurrency: () => '2',
    timeoutMs: () => '500',
    maxWait: () => '5',
    maxDuration: () => '30',
    restoreTimeout: () => '9',
    reportDir: (dir) => path.join(dir, 'reports'),
    har: (dir) => path.join(dir, 'run.har'),
    allowProduction: () => 'true',
    allowSharedJob: () => 'true',
    failOnAdvisory: () => 'true',
    dryRun: () => 'true',
    shard: () => '1/2',
  };
  const BASE = { LILT_TARGET_URL: 'http://127.0.0.1:9', LILT_API_KEY: 'base-key', LILT_JOB_ID: '7' };
  test.each(Object.entries(OPTION_ENV).filter(([key]) => key in SAMPLES))('%s (%s) changes the configuration of the run', async (key, variable) => {
    const contract = await loadContract();
    const resolved = (env: NodeJS.ProcessEnv) => JSON.stringify(resolveRunConfig({}, env, contract, () => 1));
    expect(resolved({ ...BASE, [variable]: SAMPLES[key as ConfigVariable](dir) })).not.toEqual(resolved(BASE));
  });

  test('LILT_CONTRACT and LILT_OPERATION: the adapter reads that document and operation (the plan shows it)', async () => {
    const swagger = path.join(__dirname, '..', 'contract', 'documents', 'jobs.swagger.yaml');
    const planOf = async (env: NodeJS.ProcessEnv) => {
      const lines: string[] = [];
      await conformanceTests({ env: { LILT_DRY_RUN: 'true', ...env }, log: (line) => lines.push(line) }).tests[0]!.run();
      return lines.join('\n');
    };
    expect(await planOf({})).toMatch(/contract: +contracts\/lilt-update-job\.openapi\.yaml, updateJob \(PUT \/v2\/jobs\/\{jobId\}\)/);
    expect(await planOf({ LILT_CONTRACT: swagger })).toMatch(/contract: +.*jobs\.swagger\.yaml, updateJob \(PUT \/2\/jobs\/\{jobId\}\), Swagger 2\.0/);
    await expect(planOf({ LILT_CONTRACT: swagger, LILT_OPERATION: 'deleteJob' })).rejects.toThrow(/deleteJob/);
  });

  test('every variable has a sample above, or is the document\'s (read by the adapter itself)', () => {
    expect([...Object.keys(SAMPLES), 'contract', 'operation'].sort()).toEqual(Object.keys(OPTION_ENV).sort());
  });
});
