/**
 * The jest adapter: the engine's groups as jest tests, configured by LILT_* variables. Registered for real against
 * the in-process reference provider (they must pass), and called as plain functions against a provider with one fault
 * (the group that judges it must fail, naming the check; the job is restored either way).
 */
import { conformanceTests, defineConformanceSuites } from '../../src/jest/adapter';
import { referenceDefaults } from '../../src/run/session/reference';
import { FAULTS, startFaulty } from '../conformance/faulty-provider';

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
    await expect(byTitle.get('group 2: semantics')?.run()).rejects.toThrow(/update\.fields-round-trip/);
    const result = await finish();
    expect(result?.restore.kind).toBe('restored');
    expect(result?.verdict).toMatchObject({ kind: 'not-conformant' });
  } finally {
    await provider.close();
  }
}, 60_000);
