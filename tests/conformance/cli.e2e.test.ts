/**
 * The CLI end to end, as a child process: against a standalone reference provider it exits 0; against copies with one
 * fault each it exits 1 and names the check (3 for the slow one); a property failure replays from its seed and path.
 */
import { referenceDefaults } from '../../src/run/session/reference';
import { FAULTS, startFaulty, type Fault, type RunningFaulty } from './faulty-provider';
import { runConformance } from './run-cli';

const { apiKey, jobId } = referenceDefaults();
const RUNS = ['--runs', '15', '--seed', '7'];

async function against(fault: Fault | undefined, args: readonly string[] = RUNS) {
  const provider: RunningFaulty = await startFaulty(fault);
  try {
    return await runConformance(['--target', provider.url, '--job-id', String(jobId), ...args], {
      env: { LILT_API_KEY: apiKey },
    });
  } finally {
    await provider.close();
  }
}

jest.setTimeout(120_000);

test('a standalone reference provider is conformant: exit 0, reports written', async () => {
  const result = await against(undefined);
  expect(result.stderr).not.toMatch(/internal error/);
  expect(result.code).toBe(0);
  expect(result.groups).toEqual([]);
  expect(result.reportFiles).toEqual(['findings.json', 'junit.xml', 'report.html', 'report.md']);
  expect(result.stdout).toMatch(/verdict: conformant \(exit 0\)/);
  expect(result.stdout).toMatch(/restored .* and read back/);
});

test.each([
  ['a string id', FAULTS.stringId, ['schema.body-matches-schema', 'semantics.id-matches-path']],
  ['a lost name update', FAULTS.lostNameUpdate, ['semantics.fields-round-trip']],
  ['a 500 on malformed JSON', FAULTS.serverErrorOnMalformedJson, ['schema.no-server-error', 'negative.invalid-rejected-4xx']],
  ['auth ignored', FAULTS.authIgnored, ['auth.refused-401']],
])('%s: exit 1, the check named', async (_label, fault, checks) => {
  const result = await against(fault);
  expect(result.code).toBe(1);
  for (const check of checks) {
    expect(result.failedChecks).toContain(check);
    expect(result.stdout).toContain(`✗ ${check}`);
  }
  // Each failure reproduces with curl, and the key is never in it.
  for (const finding of result.findings) {
    expect(finding.curl).toMatch(/^curl /);
    expect(finding.curl).not.toContain(apiKey);
  }
});

test('a target that echoes the credentials in its errors: shown redacted, and the key scan finds nothing', async () => {
  const result = await against(FAULTS.echoesCredentials);
  expect(result.code).toBe(1);
  expect(result.failedChecks).toContain('schema.no-server-error');
  const everything = `${result.stdout}${result.stderr}${JSON.stringify(result.findings)}`;
  expect(everything).toContain('[redacted: LILT_API_KEY]');
  expect(everything).not.toContain(apiKey);
  expect(everything).not.toContain(Buffer.from(`${apiKey}:${apiKey}`).toString('base64'));
  expect(result.stderr).not.toMatch(/API key was found/);
});

test('a slow server: exit 3 within a bounded time, with a clear message', async () => {
  const result = await against(FAULTS.slow, [...RUNS, '--timeout-ms', '300']);
  expect(result.code).toBe(3);
  expect(result.stderr).toMatch(/did not answer the first read within 300 ms|stopped answering/);
  expect(result.wallMs).toBeLessThan(30_000);
});

test('a property failure replays exactly from the printed seed and path', async () => {
  const first = await against(FAULTS.shortNamesReversed, ['--runs', '40', '--seed', '4242']);
  expect(first.code).toBe(1);
  const found = first.replays.find((f) => f.checkId === 'semantics.fields-round-trip');
  expect(found).toBeDefined();
  expect(found?.seed).toBe(4242);
  expect(first.stdout).toContain(`seed 4242, path ${found?.path}`);

  // The same seed finds the same minimal counterexample.
  const again = await against(FAULTS.shortNamesReversed, ['--runs', '40', '--seed', '4242']);
  const same = again.replays.find((f) => f.checkId === 'semantics.fields-round-trip');
  expect(same?.counterexample).toBe(found?.counterexample);
  expect(same?.path).toBe(found?.path);

  // The printed path replays that one counterexample directly.
  const property = found?.property;
  const replayed = await runConformance(
    ['--target', (await startFaultyOnce()).url, '--job-id', String(jobId), '--runs', '40', '--seed', '4242'],
    { env: { LILT_API_KEY: apiKey, LILT_REPLAY_PATH: `${property}=${found?.path}` } },
  ).finally(() => closeOnce());
  const exact = replayed.replays.find((f) => f.checkId === 'semantics.fields-round-trip');
  expect(replayed.code).toBe(1);
  expect(exact?.counterexample).toBe(found?.counterexample);
});

let once: RunningFaulty | undefined;
async function startFaultyOnce(): Promise<RunningFaulty> {
  once = await startFaulty(FAULTS.shortNamesReversed);
  return once;
}
async function closeOnce(): Promise<void> {
  await once?.close();
}
