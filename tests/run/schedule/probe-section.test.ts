/**
 * A probe section (src/run/schedule/probe-section.ts), with a scripted job: members park their requests, the section
 * reads the job back once a round and hands each member the states to judge by; when the read-back shows a change it
 * puts the job back and replays the round one request at a time, so the request that wrote is named.
 */
import { conformanceFacts, type ConformanceFacts } from '../../../src/checks/facts';
import type { JobState, Oracle } from '../../../src/checks/types';
import { Lane, type Judgement, type SectionOwner } from '../../../src/case/context';
import type { ApiRequest, Exchange } from '../../../src/http/request';
import { loadValidators } from '../../../src/validation/validators';
import { ProbeSection } from '../../../src/run/schedule/probe-section';

let facts: ConformanceFacts;
beforeAll(async () => {
  facts = conformanceFacts(await loadValidators());
});

const JOB: JobState = { id: 241, name: 'My New Job', due: '2021-06-03T13:43:00Z', isProcessing: 0 };

/** The job as a scripted target holds it; every exchange the owner sends is logged. */
function scripted(initial: JobState) {
  let job: JobState = initial;
  const sent: string[] = [];
  const judged: Oracle['expect']['kind'][] = [];
  const answer = (request: ApiRequest, body: JobState): Exchange => ({
    request,
    response: { status: 200, headers: { 'content-type': 'application/json' }, contentType: 'application/json', text: JSON.stringify(body) },
    durationMs: 1,
  });
  const owner: SectionOwner = {
    facts: undefined as unknown as ConformanceFacts,
    async exchange(request) {
      sent.push(request.body === '{}' ? 'read' : `put ${request.body}`);
      if (request.body !== '{}' && request.body !== undefined) {
        const body = JSON.parse(request.body) as Record<string, unknown>;
        // As the API stores it: isProcessing sent as the enum's string, held as the integer.
        job = { ...job, ...body, ...('isProcessing' in body ? { isProcessing: Number(body['isProcessing']) } : {}) };
      }
      return answer(request, job);
    },
    assess(_exchange, oracle) {
      judged.push(oracle.expect.kind);
    },
    readRequest: () => ({ method: 'PUT', idSegment: '241', body: '{}', contentType: 'application/json', auth: { kind: 'basic' } }),
  };
  return {
    owner,
    sent,
    judged,
    set: (change: JobState) => (job = { ...job, ...change }),
    now: () => job,
    answer,
  };
}

const refusal = (n: number): ApiRequest => ({ method: 'PUT', idSegment: '241', body: `{"isProcessing":"${n}"}`, contentType: 'application/json', auth: { kind: 'basic' } });
const exchangeOf = (request: ApiRequest): Exchange => ({ request, response: { status: 400, headers: {}, contentType: 'application/json', text: '{"message":"no"}' }, durationMs: 1 });

test('three refusals side by side: one read-back for the round, each judged against the state before and after', async () => {
  const target = scripted(JOB);
  Object.assign(target.owner, { facts });
  const lane = new Lane(241, [], []);
  lane.known = JOB;
  const section = new ProbeSection(lane, target.owner);
  const got: Judgement[][] = [];
  await section.run([1, 2, 3], async (n) => {
    const request = refusal(n);
    const before = await section.state();
    const { judgements } = await section.park({ request, exchange: exchangeOf(request), before, refusal: true }, async () => {
      throw new Error('no replay: the round changed nothing');
    });
    got.push([...judgements]);
  });
  expect(target.sent).toEqual(['read']);
  expect(section.stats).toEqual({ rounds: 1, parked: 3, replayedRounds: 0 });
  expect(got.map((j) => j.length)).toEqual([1, 1, 1]);
  for (const [judgement] of got) expect([judgement?.before, judgement?.after]).toEqual([JOB, JOB]);
});

test('a round whose read-back shows a change: the job put back, each request replayed alone, the one that wrote named', async () => {
  const target = scripted(JOB);
  Object.assign(target.owner, { facts });
  const lane = new Lane(241, [], []);
  lane.known = JOB;
  const section = new ProbeSection(lane, target.owner);
  const replayed: number[] = [];
  const results = new Map<number, Judgement[]>();
  await section.run([1, 2], async (n) => {
    const request = refusal(n);
    const before = await section.state();
    // Request 2 wrote the job (a faulty target): the read-back sees its name.
    if (n === 2) target.set({ name: 'written by a refusal' });
    const { judgements } = await section.park({ request, exchange: exchangeOf(request), before, refusal: true }, async (again) => {
      replayed.push(n);
      if (n === 2) target.set({ name: 'written by a refusal' });
      const after = target.now();
      lane.known = after;
      return { judgement: { exchange: exchangeOf(again), before: undefined, after }, after };
    });
    results.set(n, [...judgements]);
  });
  expect(section.stats.replayedRounds).toBe(1);
  // Put back in the request's own form (isProcessing as the enum's string).
  expect(target.sent).toEqual(['read', `put ${JSON.stringify({ name: 'My New Job', due: '2021-06-03T13:43:00Z', isProcessing: '0' })}`]);
  expect(replayed).toEqual([1, 2]);
  // Named: each original judged by what it showed itself (no state after), each replay by the states around it.
  const [original1, replay1] = results.get(1) ?? [];
  const [, replay2] = results.get(2) ?? [];
  expect(original1?.after).toBeUndefined();
  expect(replay1?.after?.['name']).toBe('My New Job');
  expect(replay2?.after?.['name']).toBe('written by a refusal');
});
