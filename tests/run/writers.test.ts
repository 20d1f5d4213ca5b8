/**
 * Who writes the job (src/case/writers.ts) and the run's pace (src/run/stop.ts), on their own: the values a run sent
 * (by what a JSON reader sees), another run's marker, a change to a value the run never sent; the estimate that
 * stops a run which would pass --max-duration; and the guard that withholds a body naming a field the job lacks.
 */
import { loadContract } from '../../src/contract/load';
import { conformanceFacts, type ConformanceFacts } from '../../src/checks/facts';
import { createValidators } from '../../src/validation/validators';
import { LiveProperties } from '../../src/case/live';
import { Writers } from '../../src/case/writers';
import { jsonKeys, withheldField } from '../../src/case/errors';
import { paceEstimate } from '../../src/run/stop';

let facts: ConformanceFacts;
beforeAll(async () => {
  facts = conformanceFacts(createValidators(await loadContract()));
});

const read = { method: 'PUT', idSegment: '241', body: '{}', contentType: 'application/json', auth: { kind: 'basic' } } as const;
const JOB = { id: 241, name: 'My New Job', due: '2021-06-03T13:43:00Z', isProcessing: 0, stats: { sourceWords: 1 } };

describe('Writers', () => {
  test('the values a body sets, as a JSON reader sees them (escapes, duplicates: the last), isProcessing as the Job holds it', () => {
    const writers = new Writers(facts);
    writers.sent('{"\\u006eame":"first","name":"second","isProcessing":"-2","due":"2031-01-01T00:00:00+00:00"}');
    expect(writers.isOwn('name', 'second')).toBe(true);
    expect(writers.isOwn('name', 'first')).toBe(false); // JSON.parse keeps the last
    expect(writers.isOwn('isProcessing', -2)).toBe(true);
    expect(writers.isOwn('due', '2031-01-01T00:00:00Z')).toBe(true); // the same instant
    expect(writers.isOwn('name', 'never sent')).toBe(false);
    writers.sent('not json {"name":"x"');
    expect(writers.isOwn('name', 'x')).toBe(false);
  });

  test('another run\'s marker on a Job is reported once, with what it showed; the run\'s own is not', () => {
    const own = 'lilt-conformance run aaaa1111 is testing this job';
    const stale = 'lilt-conformance run dddd4444 is testing this job';
    const writers = new Writers(facts, (job) =>
      typeof job['name'] === 'string' && job['name'].startsWith('lilt-conformance run ') && job['name'] !== own ? { field: 'name', value: job['name'], what: 'a marker' } : undefined,
    );
    writers.own('name', stale); // found on a job at the first read: the job's own
    writers.seen('242', { ...JOB, id: 242, name: stale });
    expect(writers.other).toBeUndefined();
    const heard: string[] = [];
    writers.onOther((what) => heard.push(what));
    writers.seen('241', { ...JOB, name: own });
    expect(writers.other).toBeUndefined();
    writers.seen('241', { ...JOB, name: 'lilt-conformance run bbbb2222 is testing this job' });
    writers.seen('241', { ...JOB, name: 'lilt-conformance run cccc3333 is testing this job' });
    expect(heard).toEqual(['job 241 showed a marker']);
    expect(writers.other).toBe('job 241 showed a marker');
  });

  test('an updatable field that changes between two quiet reads: another writer if the value is not the run\'s, never a live property', () => {
    const writers = new Writers(facts);
    writers.own('name', 'My New Job');
    writers.sent('{"name":"late write of the run"}');
    const live = new LiveProperties(facts, [241], (jobId, field, before, after) => writers.changed(jobId, field, before, after));
    const readOnce = (job: Record<string, unknown>) => live.answered(live.sent(read), job);
    readOnce(JOB);
    readOnce({ ...JOB, name: 'late write of the run' }); // the run's own value: a late write of its own
    expect(writers.other).toBeUndefined();
    readOnce({ ...JOB, name: 'someone else', stats: { sourceWords: 2 } });
    expect(writers.other).toBe('name of job 241 changed from "late write of the run" to "someone else" between two reads, with nothing of this run\'s in between');
    expect(live.movingOn(241)).toEqual(new Set(['stats']));
  });
});

describe('paceEstimate', () => {
  test('at a pace that would pass --max-duration: the estimate, with what it rests on', () => {
    // 10 answered in 40 s, 500 left: 2000 s more, past 600 s.
    expect(paceEstimate(600_000, 40_000, 10, 9, 500)).toEqual({ elapsedMs: 40_000, done: 10, throttled: 9, left: 500, moreMs: 2_000_000 });
  });

  test('none when the run would end in time, too early to tell (5 % of --max-duration, at least 2 s), or nothing is left', () => {
    expect(paceEstimate(600_000, 40_000, 400, 0, 100)).toBeUndefined(); // 10 s more
    expect(paceEstimate(600_000, 29_000, 1, 1, 500)).toBeUndefined(); // under 30 s: too early
    expect(paceEstimate(4_000, 1_900, 1, 1, 500)).toBeUndefined(); // under 2 s
    expect(paceEstimate(4_000, 2_000, 1, 1, 500)).toBeDefined();
    expect(paceEstimate(600_000, 100_000, 1, 50, 0)).toBeUndefined();
    expect(paceEstimate(600_000, 100_000, 0, 50, 10)).toBeUndefined(); // nothing answered yet: no pace
  });
});

describe('withheldField: a body naming a field the job lacks, by what a JSON reader sees', () => {
  test.each([
    ['{"due":"2099-07-10T00:00:00Z"}', 'due'],
    ['{"\\u0064\\u0075\\u0065":"2099-07-10T00:00:00Z"}', 'due'],
    ['{"\\u0064ue":"2099-07-10T00:00:00Z"}', 'due'],
    ['{"d\\u0055E":"x"}', 'due'],
    ['{"name":"a","\\u0064ue":"x","\\u0064ue":"y"}', 'due'],
    ['{"name":{"\\u0064ue":"nested"}}', 'due'],
    ['{ "\\u0064\\u0075\\u0065" : 1 , broken', 'due'],
    ['due=2099-07-10', 'due'],
  ])('%s names due', (body, field) => {
    expect(withheldField(body, ['due'])).toBe(field);
  });

  test.each([
    ['{"name":"x","isProcessing":"1"}'],
    ['{"\\u006eame":"x"}'],
    ['{}'],
  ])('%s does not', (body) => {
    expect(withheldField(body, ['due'])).toBeUndefined();
    expect(withheldField(body, [])).toBeUndefined();
  });

  test('the keys a JSON reader yields, escapes decoded, duplicates and nesting kept', () => {
    expect(jsonKeys('{"\\u0064ue":1,"a":{"\\u0062":2},"a":3}')).toEqual(['due', 'a', 'b', 'a']);
  });
});
