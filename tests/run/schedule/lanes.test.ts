/**
 * Where each case runs (src/run/schedule/lanes.ts): cases shared out over the lanes by size, a pool that keeps at most
 * so many going, a property's examples over the lanes (probes in one section, writes one at a time a lane, none after
 * the first failure), and a group's order (the cross-job case alone first, then the cases over every lane, then the
 * rest side by side).
 */
import { Lane, type SectionOwner } from '../../../src/case/context';
import type { CaseDef } from '../../../src/case/case';
import type { PlannedCase } from '../../../src/run/plan';
import { LaneScheduler, pool, scheduleGroup, spread } from '../../../src/run/schedule/lanes';

const planned = (name: string, requests: number, def: Partial<CaseDef> = {}): PlannedCase => ({
  group: 'semantics',
  requests,
  openReads: 0,
  def: { name, estimate: () => requests, run: async () => undefined, ...def },
});

const lanes = (...ids: number[]) => ids.map((id) => new Lane(id, ids.filter((other) => other !== id), []));
const tick = () => new Promise((resolve) => setTimeout(resolve, 1));
/** An owner the sections of these tests never use (no member parks). */
const owner = {} as SectionOwner;

test('spread: the largest first, each to the lane with the least work; a lane keeps plan order', () => {
  const cases = [planned('a', 1), planned('b', 10), planned('c', 4), planned('d', 5), planned('e', 2)];
  const shares = spread(cases, 2).map((share) => share.map((c) => c.def.name));
  // b (10) and d (5) first; c (4) and e (2) to the lighter lane; a (1) back to the first, which is lighter then.
  expect(shares).toEqual([['a', 'b'], ['c', 'd', 'e']]);
  expect(spread(cases, 1).map((share) => share.length)).toEqual([5]);
});

test('spread: a lane that starts with work (the first lane\'s probe section) gets less of the rest', () => {
  const cases = [planned('a', 6), planned('b', 6), planned('c', 6)];
  expect(spread(cases, 3).map((share) => share.length)).toEqual([1, 1, 1]);
  const shares = spread(cases, 3, [20]).map((share) => share.map((c) => c.def.name));
  expect(shares[0]).toEqual([]);
  expect(shares.flat().sort()).toEqual(['a', 'b', 'c']);
});

test('pool: at most `limit` at once, each started in order; the first error once all have ended', async () => {
  let running = 0;
  let most = 0;
  const started: number[] = [];
  const ended: number[] = [];
  const work = async (n: number) => {
    started.push(n);
    running += 1;
    most = Math.max(most, running);
    await tick();
    running -= 1;
    ended.push(n);
    if (n === 2) throw new Error('case 2 failed');
  };
  await expect(pool([1, 2, 3, 4, 5], 2, work)).rejects.toThrow('case 2 failed');
  expect(most).toBe(2);
  expect(started).toEqual([1, 2, 3, 4, 5]);
  expect(ended.sort()).toEqual([1, 2, 3, 4, 5]);
});

test("a property's examples: probes on the first lane, writes over the lanes in order, one a lane at a time", async () => {
  const scheduler = new LaneScheduler(lanes(241, 242));
  const busy = new Map<number, number>();
  const ran: Array<{ i: number; lane: number; section: boolean }> = [];
  let overlap = false;
  await scheduler.examples(8, {
    owner,
    probe: (i) => i % 2 === 0,
    more: () => true,
    run: async (i, lane, section) => {
      const writes = i % 2 === 1;
      if (writes) {
        if ((busy.get(lane.jobId) ?? 0) > 0) overlap = true;
        busy.set(lane.jobId, (busy.get(lane.jobId) ?? 0) + 1);
      }
      ran.push({ i, lane: lane.jobId, section: section !== undefined });
      await tick();
      if (writes) busy.set(lane.jobId, (busy.get(lane.jobId) ?? 1) - 1);
    },
  });
  expect(ran.filter((r) => r.i % 2 === 0).every((r) => r.lane === 241 && r.section)).toBe(true);
  expect(ran.filter((r) => r.i % 2 === 1).every((r) => !r.section)).toBe(true);
  expect(new Set(ran.filter((r) => r.i % 2 === 1).map((r) => r.lane))).toEqual(new Set([241, 242]));
  // The writes start in their order, each lane one at a time.
  expect(ran.filter((r) => r.i % 2 === 1).map((r) => r.i)).toEqual([1, 3, 5, 7]);
  expect(overlap).toBe(false);
  expect(ran.map((r) => r.i).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
});

test('no example is started after the first failing one', async () => {
  const scheduler = new LaneScheduler(lanes(241));
  const ran: number[] = [];
  let first = -1;
  await scheduler.examples(6, {
    owner,
    probe: () => false,
    more: (i) => first < 0 || i < first,
    run: async (i) => {
      ran.push(i);
      if (i === 2) first = 2;
    },
  });
  expect(ran).toEqual([0, 1, 2]);
});

test("a group: the cross-job case alone and first, the cases over every lane next, then the rest; a lane's cases in order", async () => {
  const scheduler = new LaneScheduler(lanes(241, 242));
  const log: string[] = [];
  const cases = [
    planned('ordered a', 5),
    planned('probe', 1, { probe: true }),
    planned('independent', 1, { independent: true }),
    planned('property', 100, { allLanes: true }),
    planned('cross-job', 3, { readsOtherJobs: true }),
    planned('ordered b', 4),
  ];
  await scheduleGroup(cases, { scheduler, concurrency: 4, independentLane: new Lane(241, [242], []), sectionOwner: owner }, async (c, lane, section) => {
    log.push(`${c.def.name} on ${lane.jobId}${section ? ' in a section' : ''}`);
    await tick();
  });
  expect(log.slice(0, 2)).toEqual(['cross-job on 241', 'property on 241']);
  // The probe section holds lane 241 first: the first ordered case goes to 242.
  expect(log.slice(2).sort()).toEqual(['independent on 241', 'ordered a on 242', 'ordered b on 241', 'probe on 241 in a section'].sort());
});
