/**
 * The engine in-process: a run is a function call that returns its result as values, progress through a callback;
 * an abort stops it and the job is still put back; the verdict is never "conformant" without a full run.
 */
import { resolveRunConfig, type RawOptions } from '../../src/config/run-config';
import { loadContract, type Contract } from '../../src/contract/load';
import type { CaseRecord } from '../../src/case/record';
import { referenceDefaults } from '../../src/run/session/reference';
import { runConformance, verdictOf, type ProgressEvent } from '../../src/run/run';
import { startReferenceProvider, type RunningProvider } from '../../src/provider';

let contract: Contract;
beforeAll(async () => {
  contract = await loadContract();
});
jest.setTimeout(60_000);

function configOf(raw: RawOptions) {
  return resolveRunConfig({ runs: '5', seed: '5', ...raw }, {}, contract);
}

async function readJob(provider: RunningProvider, jobId: number, apiKey: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${provider.url}/v2/jobs/${jobId}`, {
    method: 'PUT',
    headers: { authorization: `Basic ${Buffer.from(`${apiKey}:${apiKey}`).toString('base64')}`, 'content-type': 'application/json' },
    body: '{}',
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

test('against the in-process reference provider: conformant, every planned case ran, progress in order, the job put back', async () => {
  const events: ProgressEvent[] = [];
  const { config, secrets } = configOf({});
  const result = await runConformance({ config, apiKey: secrets.apiKey, contract }, { onProgress: (e) => events.push(e) });
  expect(result.verdict).toEqual({ kind: 'conformant' });
  expect(result.restore.kind).toBe('restored');
  expect(result.cases.filter((c) => c.group !== 'start-up')).toHaveLength(result.planned);
  expect(result.cases.every((c) => c.findings.length === 0 && c.error === undefined)).toBe(true);
  expect(result.counters.sent).toBeGreaterThan(result.planned);
  // A counters event follows every request ended; the requests counted are the run's.
  const counted = events.filter((e): e is Extract<ProgressEvent, { kind: 'counters' }> => e.kind === 'counters');
  expect(counted.at(-1)?.counters).toEqual(result.counters);
  expect(counted.map((e) => e.counters.sent)).toEqual([...counted.map((e) => e.counters.sent)].sort((a, b) => a - b));
  const kinds = events.map((e) => e.kind).filter((k) => k !== 'log' && k !== 'restore-step' && k !== 'counters');
  expect(kinds[0]).toBe('started');
  expect(kinds.at(-1)).toBe('restoring');
  // After the restoring event, only the restore's own steps: the restoring PUT, then the read-back.
  const after = events.slice(events.findIndex((e) => e.kind === 'restoring') + 1).filter((e) => e.kind !== 'counters');
  // Then job 242's (a lane of the run: the fixture job with every field), put back and logged.
  expect(after.map((e) => (e.kind === 'restore-step' && e.step.kind === 'attempt' ? e.step.what : e.kind))).toEqual(['the restoring PUT', 'the read-back', 'the restoring PUT', 'the read-back', 'log']);
  expect(kinds.filter((k) => k === 'case')).toHaveLength(result.planned);
  const last = events.filter((e): e is Extract<ProgressEvent, { kind: 'case' }> => e.kind === 'case').at(-1);
  expect(last).toMatchObject({ done: result.planned, total: result.planned, failing: 0 });
});

test('an abort mid-run stops issuing, restores the job to its values, and gives no verdict', async () => {
  const provider = await startReferenceProvider({ port: 0 });
  const { apiKey, jobId } = referenceDefaults();
  try {
    const before = await readJob(provider, jobId, apiKey);
    const controller = new AbortController();
    const { config } = configOf({ target: provider.url, apiKey, jobId: String(jobId), runs: '50' });
    let cases = 0;
    const result = await runConformance(
      { config, apiKey, contract },
      {
        signal: controller.signal,
        onProgress: (e) => {
          // After a few cases that wrote the job (group 2 updates name, due, isProcessing).
          if (e.kind === 'case' && ++cases === 10) controller.abort('SIGINT');
        },
      },
    );
    expect(result.interrupted).toBe('SIGINT');
    expect(result.verdict).toMatchObject({ kind: 'no-verdict' });
    expect(result.restore.kind).toBe('restored');
    expect(result.cases.filter((c) => c.group !== 'start-up').length).toBeLessThan(result.planned);
    const after = await readJob(provider, jobId, apiKey);
    for (const field of ['name', 'due', 'isProcessing']) expect(after[field]).toEqual(before[field]);
  } finally {
    await provider.close();
  }
});

const record = (over: Partial<CaseRecord>): CaseRecord => ({ group: 'ids', case: 'x', tallies: {}, findings: [], requests: 1, ...over });

test('the verdict: conformant only when every planned case ran to its end', () => {
  expect(verdictOf([record({}), record({})], 2, undefined, undefined)).toEqual({ kind: 'conformant' });
  expect(verdictOf([record({}), record({ error: 'no answer within 300 ms' })], 2, undefined, undefined)).toMatchObject({
    kind: 'no-verdict',
    reason: expect.stringMatching(/1 case\(s\) were cut short/),
  });
  expect(verdictOf([record({})], 2, undefined, undefined)).toMatchObject({ kind: 'no-verdict', reason: expect.stringMatching(/1 of 2/) });
  expect(verdictOf([record({})], 1, 'gone', undefined)).toMatchObject({ kind: 'no-verdict' });
  expect(verdictOf([record({})], 1, undefined, { kind: 'signal', signal: 'SIGTERM' })).toMatchObject({ kind: 'no-verdict' });
});
