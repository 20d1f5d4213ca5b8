/**
 * Lanes: with several jobs (`--job-id a,b,c`, or the reference provider's fixture jobs) each job is a lane, and the
 * lanes run in parallel. A job is a lane only if its first read showed every updatable field (the restore puts such a
 * job back exactly); another job is only read.
 *
 * In a group: the cross-job case (`readsOtherJobs`) runs first and alone, so that what it reads of them is theirs and
 * nobody else's; then the cases that spread their own work over every lane (`allLanes`: each property shares its
 * examples that write out over the lanes, through `LaneScheduler.examples`), side by side, taking each lane's job in
 * turn (one example, or one probe section, at a time); then the other cases side by side: those that never touch a job
 * (`independent`) in a pool, the probes of groups 1-5 and the envelope group together in one probe section on the first lane (one
 * read-back per round), and the ordered cases (they write) shared out over the lanes, each lane running its share one
 * after another, in plan order, on its own job.
 *
 *   group: readsOtherJobs (alone) -> allLanes (side by side) -> [ independent pool ] + [ lane a: probes | its cases ]
 *                                                             + [ lane b: its ordered cases ] + ...
 */
import { Serial, sideBySide } from '../../case/clock';
import type { ExamplePlan, Lane, Scheduler, SectionOwner } from '../../case/context';
import type { PlannedCase } from '../plan';
import { ProbeSection } from './probe-section';

/** The lanes of a run and the one-at-a-time use of each lane's job. */
export class LaneScheduler implements Scheduler {
  private readonly serials = new Map<Lane, Serial>();

  constructor(readonly lanes: readonly Lane[]) {}

  alone<R>(lane: Lane, work: () => Promise<R>): Promise<R> {
    let serial = this.serials.get(lane);
    if (serial === undefined) {
      serial = new Serial();
      this.serials.set(lane, serial);
    }
    return serial.run(work);
  }

  /**
   * A property's examples: the probes side by side in a probe section of the first lane; the others (they write)
   * over the lanes, each lane taking the next in order whenever it has its job to itself, while `plan.more(i)`.
   */
  async examples(count: number, plan: ExamplePlan): Promise<void> {
    const indices = Array.from({ length: count }, (_value, i) => i);
    const probes = indices.filter(plan.probe);
    const queue = indices.filter((i) => !plan.probe(i));
    const settled = await sideBySide(this.lanes, async (lane) => {
      if (lane === this.lanes[0] && probes.length > 0) {
        const section = new ProbeSection(lane, plan.owner);
        await this.alone(lane, () => section.run(probes, (i) => plan.run(i, lane, section)));
      }
      // Each lane takes the next write in order when it has its job to itself: a lane that is free sooner takes more.
      for (;;) {
        const took = await this.alone(lane, async () => {
          const i = queue.shift();
          if (i === undefined || !plan.more(i)) return false;
          await plan.run(i, lane);
          return true;
        });
        if (!took) break;
      }
    });
    const bug = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (bug) throw bug.reason;
  }
}

/**
 * Which lane runs each ordered case: the largest first, each to the lane with the least work so far (by requests,
 * about), counting `startLoad` a lane already has (the first lane's probe section); a lane keeps its cases in plan order.
 */
export function spread(cases: readonly PlannedCase[], lanes: number, startLoad: readonly number[] = []): PlannedCase[][] {
  const load = Array.from({ length: Math.max(1, lanes) }, (_, lane) => startLoad[lane] ?? 0);
  const laneOf = new Map<PlannedCase, number>();
  for (const c of [...cases].sort((a, b) => b.requests - a.requests)) {
    const lane = load.indexOf(Math.min(...load));
    laneOf.set(c, lane);
    load[lane] = (load[lane] ?? 0) + Math.max(1, c.requests);
  }
  return load.map((_load, lane) => cases.filter((c) => laneOf.get(c) === lane));
}

/** Runs `work` over `items` at most `limit` at a time, in order of start; the first error is thrown once all have ended. */
export async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  const workers = Array.from({ length: Math.min(Math.max(1, limit), items.length) }, () => worker);
  const failed = (await sideBySide(workers, (w) => w())).find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
}

/** Runs one planned case on a lane (in a probe section, if given). */
export type PlannedRunner = (planned: PlannedCase, lane: Lane, section?: ProbeSection) => Promise<void>;

export interface GroupSchedule {
  readonly scheduler: LaneScheduler;
  readonly concurrency: number;
  /** The lane of the cases that never touch a job: the run's job, seen afresh. */
  readonly independentLane: Lane;
  /** Sends and records the probe section's own requests (its rounds' read-backs), on the first lane. */
  readonly sectionOwner: SectionOwner;
}

/** Runs one group's cases (see the top of this file); throws the first bug once every flow has ended. */
export async function scheduleGroup(cases: readonly PlannedCase[], schedule: GroupSchedule, runPlanned: PlannedRunner): Promise<void> {
  const { lanes } = schedule.scheduler;
  const first = lanes[0];
  if (first === undefined) return;
  for (const c of cases.filter((c) => c.def.readsOtherJobs === true)) await runPlanned(c, first);
  const allLanes = cases.filter((c) => c.def.allLanes === true && c.def.readsOtherJobs !== true);
  const bug = (await sideBySide(allLanes, (c) => runPlanned(c, first))).find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (bug) throw bug.reason;
  const rest = cases.filter((c) => c.def.readsOtherJobs !== true && c.def.allLanes !== true);
  const independent = rest.filter((c) => c.def.independent === true);
  const probes = rest.filter((c) => c.def.independent !== true && c.def.probe === true);
  // The first lane runs the probe section before its share: about two requests' time a round (the round, its
  // read-back), so it gets that much less of the writes.
  const probeRequests = probes.reduce((n, c) => n + c.requests, 0);
  const probeLoad = probes.length === 0 ? 0 : 2 * Math.ceil(probeRequests / Math.max(1, schedule.concurrency));
  const shares = spread(
    rest.filter((c) => c.def.independent !== true && c.def.probe !== true),
    lanes.length,
    [probeLoad],
  );
  const flows: Array<() => Promise<void>> = [
    () => pool(independent, schedule.concurrency, (c) => runPlanned(c, schedule.independentLane)),
    ...lanes.map((lane, i) => async () => {
      if (i === 0 && probes.length > 0) {
        const section = new ProbeSection(lane, schedule.sectionOwner);
        await section.run(probes, (c) => runPlanned(c, lane, section));
      }
      for (const c of shares[i] ?? []) await runPlanned(c, lane);
    }),
  ];
  const failed = (await sideBySide(flows, (flow) => flow())).find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
}
