/**
 * The job guard's restore policy on its own (a scripted PUT and a fake clock, so every path is exact and instant):
 * retried with backoff, 429 and Retry-After honoured, the budget respected, a refusal not retried, a late write put
 * back again; and the marker that tells one run's job from another's.
 */
import { loadContract } from '../../src/contract/load';
import { conformanceFacts, type ConformanceFacts } from '../../src/checks/facts';
import { createValidators } from '../../src/validation/validators';
import { backoffMs, describeAbsent, restoreJob, snapshotOf, type JobPut, type JobPutAnswer, type RestorePolicy } from '../../src/run/job-guard';
import { newRunMarker, runValuesIn } from '../../src/run/marker';

let facts: ConformanceFacts;
beforeAll(async () => {
  facts = conformanceFacts(createValidators(await loadContract()));
});

const JOB = { id: 241, name: 'My New Job', due: '2021-06-03T13:43:00Z', isProcessing: 0 };

/** A PUT that answers from a script (then the job as it is), and a clock that only moves when the guard sleeps. */
function scripted(script: JobPutAnswer[], job: Record<string, unknown> = { ...JOB }) {
  let now = 0;
  const calls: Array<{ at: number; body: Record<string, unknown>; timeoutMs: number }> = [];
  const put: JobPut = async (body, { timeoutMs }) => {
    calls.push({ at: now, body: { ...body }, timeoutMs });
    const next = script.shift();
    if (next !== undefined) return next;
    // As the API does: isProcessing comes in as the request enum's string and is stored as the integer.
    Object.assign(job, body, 'isProcessing' in body ? { isProcessing: Number(body.isProcessing) } : {});
    return { kind: 'answered', status: 200, job: { ...job } };
  };
  const policy = (over: Partial<RestorePolicy> = {}): RestorePolicy => ({
    budgetMs: 60_000,
    attemptTimeoutMs: 10_000,
    throttleWaitMs: 60_000,
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
    ...over,
  });
  return { put, calls, policy, job, elapsed: () => now };
}

const original = () => snapshotOf(facts, 241, JOB);

test('a blip (no answer, a 503, a 429 with Retry-After) is retried: restored, with the retries counted and the waits honoured', async () => {
  const { put, calls, policy } = scripted([
    { kind: 'no-answer', reason: 'ECONNRESET' },
    { kind: 'answered', status: 503, job: undefined, retryAfter: '2' },
    { kind: 'answered', status: 429, job: undefined, retryAfter: '5' },
  ]);
  const outcome = await restoreJob(put, facts, original(), policy());
  expect(outcome).toEqual({ kind: 'restored', retries: 3 });
  expect(calls.map((c) => c.at)).toEqual([0, backoffMs(1), backoffMs(1) + 2_000, backoffMs(1) + 2_000 + 5_000, backoffMs(1) + 7_000]);
  expect(calls.at(-1)?.body).toEqual({}); // the read-back
});

test('a 429 without Retry-After waits the document\'s wait; one beyond the budget fails at once, saying so', async () => {
  const waiting = scripted([{ kind: 'answered', status: 429, job: undefined }]);
  expect(await restoreJob(waiting.put, facts, original(), waiting.policy({ budgetMs: 120_000 }))).toMatchObject({ kind: 'restored' });
  expect(waiting.calls[1]?.at).toBe(60_000);

  const beyond = scripted([{ kind: 'answered', status: 429, job: undefined, retryAfter: '86400' }]);
  const outcome = await restoreJob(beyond.put, facts, original(), beyond.policy());
  expect(outcome).toMatchObject({ kind: 'failed', reason: expect.stringMatching(/the restoring PUT failed 1 time\(s\) within the restore's 60 s \(last: status 429, Retry-After: "86400"; the next try would be past it\)/) });
  expect(beyond.elapsed()).toBe(0);
});

test('a target that keeps failing: tries until the budget cannot hold another, then fails; each try within what is left', async () => {
  const failing = Array.from({ length: 50 }, (): JobPutAnswer => ({ kind: 'answered', status: 503, job: undefined }));
  const { put, calls, policy, elapsed } = scripted(failing);
  const outcome = await restoreJob(put, facts, original(), policy({ budgetMs: 5_000, attemptTimeoutMs: 10_000 }));
  expect(outcome).toMatchObject({ kind: 'failed', reason: expect.stringMatching(/failed 5 time\(s\) within the restore's 5 s \(last: status 503/) });
  expect(elapsed()).toBeLessThanOrEqual(5_000);
  expect(calls.every((c) => c.timeoutMs <= 5_000 - c.at)).toBe(true);
});

test('a refusal (401, 400) is not retried: another try would not change it', async () => {
  const { put, calls, policy } = scripted([{ kind: 'answered', status: 401, job: undefined }]);
  expect(await restoreJob(put, facts, original(), policy())).toMatchObject({ kind: 'failed', reason: 'the restoring PUT got status 401, which another try would not change' });
  expect(calls).toHaveLength(1);
});

test('after writes that got no answer, a second read after the settle time; a write that landed late is put back again', async () => {
  const job: Record<string, unknown> = { ...JOB, name: 'test value' };
  const { put, calls, policy } = scripted([], job);
  const late: JobPut = async (body, limits) => {
    const answer = await put(body, limits);
    // The held write lands just after the first read-back.
    if (calls.length === 2) job.name = 'a late test value';
    return answer;
  };
  const outcome = await restoreJob(late, facts, original(), policy({ settleMs: 10_000, unanswered: 1 }));
  expect(outcome).toEqual({ kind: 'restored', retries: 0 });
  expect(calls.map((c) => c.body)).toEqual([
    { name: 'My New Job', due: '2021-06-03T13:43:00Z', isProcessing: '0' },
    {},
    {}, // after the settle wait: the late value is seen
    { name: 'My New Job', due: '2021-06-03T13:43:00Z', isProcessing: '0' },
    {},
  ]);
  expect(calls[2]?.at).toBe(10_000);
  expect(job.name).toBe('My New Job');
});

test('a job without due: the snapshot names it absent, the restore never sends it, the line says it was never written', async () => {
  const { due: _none, ...withoutDue } = JOB;
  const snapshot = snapshotOf(facts, 243, withoutDue);
  expect(snapshot.absent).toEqual(['due']);
  const { put, calls, policy } = scripted([], { ...withoutDue });
  await restoreJob(put, facts, snapshot, policy());
  expect(calls.every((c) => !('due' in c.body))).toBe(true);
  expect(describeAbsent(snapshot)).toBe('due was never written (the job had none, and the API cannot unset a field)');
});

test('the marker: this tool\'s values in a job are recognised (marker, probes, its date-times); a job\'s own values are not', () => {
  const marker = newRunMarker(new Date('2030-01-01T00:00:00Z'));
  expect(marker.value).toMatch(/^lilt-conformance run [0-9a-f]{8} is testing this job \(since 2030-01-01T00:00:00Z\)/);
  expect(runValuesIn(facts, { ...JOB, name: marker.value })).toEqual([{ field: 'name', value: marker.value }]);
  expect(runValuesIn(facts, { ...JOB, name: 'Ünïcödé — 名前 😀 𝄞' })).toHaveLength(1);
  expect(runValuesIn(facts, { ...JOB, due: '2031-01-02T04:04:05+01:00' })).toEqual([{ field: 'due', value: '2031-01-02T04:04:05+01:00' }]);
  expect(runValuesIn(facts, JOB)).toEqual([]);
  expect(runValuesIn(facts, { ...JOB, name: '' })).toEqual([]); // an empty name may be a job's own
  expect(runValuesIn(facts, { ...JOB, due: '2022-05-05T10:56:44.985Z' })).toEqual([]); // the document's example: a real job's
});
