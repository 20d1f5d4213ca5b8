/**
 * Lanes: with several jobs (`--job-id a,b,c`, or the reference provider's fixture jobs) each job is a lane, and the
 * lanes run in parallel. A job is a lane only if its first read showed every updatable field (the restore puts such a
 * job back exactly); another job is only read, as before.
 *
 * In a group: the cross-job case (`quiet`: it reads the other jobs) runs first and alone, so that what it reads of
 * them is theirs and nobody else's; then the cases that spread their own work over every lane (`allLanes`: each
 * property shares its examples that write out over the lanes, see properties.ts), side by side, taking each lane's
 * job in turn (one example, or one probe section, at a time); then the other
 * cases side by side: those that never touch a job (`independent`) in a pool, the probes of groups 1-5 and 7
 * together in one probe section on the first lane (one read-back per round), and the ordered cases (they write) shared
 * out over the lanes, each lane running its share one after another, in plan order, on its own job.
 *
 *   group: quiet (alone) -> allLanes (one by one) -> [ independent pool ] + [ lane a: probes | its ordered cases ]
 *                                                   + [ lane b: its ordered cases ] + ...
 */
import type { Context, Scenario } from '../../case/case';
import { Serial, sideBySide } from './clock';
import { ProbeSection } from './probe-section';
import type { ActiveRun } from '../../case/record';
import type { PlannedCase } from '../plan';

export interface Lane {
  readonly jobId: number;
  /** The lane's own context: its job as the run's, the other jobs as the others, its own last known state. */
  readonly ctx: Context;
}

/**
 * One lane per job the run may write (`laneJobs`, the session's: the run's first job first). `first` is the run's own
 * context, and stays the first lane's (the marker and the restore read its state); each other lane gets a copy with its
 * job as the run's, its own last known state and nothing it may not write (a lane's job has every updatable field). The
 * first lane's context lists every lane's (`lanes`), for the cases that spread over them.
 */
export function lanesOf(first: Context, active: ActiveRun, laneJobs: readonly number[]): Lane[] {
  const all = [active.jobId, ...active.otherJobIds];
  const others: Context[] = laneJobs
    .filter((id) => id !== active.jobId)
    .map((jobId) => ({
      ...first,
      run: { ...active, jobId, otherJobIds: all.filter((id) => id !== jobId) },
      unwritable: [],
      known: undefined,
      withheld: 0,
      lanes: undefined,
      serial: new Serial(),
    }));
  const contexts = [first, ...others];
  first.serial = new Serial();
  first.lanes = contexts;
  return contexts.map((ctx) => ({ jobId: ctx.run.jobId, ctx }));
}

/**
 * Which lane runs each ordered case: the largest first, each to the lane with the least work so far (by requests,
 * about); a lane keeps its cases in plan order.
 */
export function spread(cases: readonly PlannedCase[], lanes: number): PlannedCase[][] {
  const load = Array.from({ length: Math.max(1, lanes) }, () => 0);
  const laneOf = new Map<PlannedCase, number>();
  for (const c of [...cases].sort((a, b) => b.requests - a.requests)) {
    const lane = load.indexOf(Math.min(...load));
    laneOf.set(c, lane);
    load[lane] = (load[lane] ?? 0) + Math.max(1, c.requests);
  }
  return load.map((_load, lane) => cases.filter((c) => laneOf.get(c) === lane));
}

/** Runs `work` over `items` at most `limit` at a time, in order of start. */
export async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  const workers = Array.from({ length: Math.min(Math.max(1, limit), items.length) }, () => worker);
  const failed = (await sideBySide(workers, (w) => w())).find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
}

export type CaseRunner = (planned: PlannedCase, ctx: Context, section?: ProbeSection) => Promise<void>;

/** Runs one group's cases (see the top of this file). */
export async function runGroup(
  cases: readonly PlannedCase[],
  lanes: readonly Lane[],
  options: {
    readonly concurrency: number;
    readonly independentCtx: Context;
    /** Sends and records the probe section's own requests (its rounds' read-backs). */
    readonly sectionOwner: Scenario;
  },
  runCase: CaseRunner,
): Promise<void> {
  const first = lanes[0];
  if (first === undefined) return;
  // Alone: the cross-job case (no lane writes while it reads the others); then the cases that use every lane, side
  // by side (they take each lane's job in turn, through its Serial); then the rest.
  for (const c of cases.filter((c) => c.def.quiet === true)) await runCase(c, first.ctx);
  const allLanes = cases.filter((c) => c.def.allLanes === true && c.def.quiet !== true);
  const bug = (await sideBySide(allLanes, (c) => runCase(c, first.ctx))).find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (bug) throw bug.reason;
  const rest = cases.filter((c) => c.def.quiet !== true && c.def.allLanes !== true);
  const independent = rest.filter((c) => c.def.independent === true);
  const probes = rest.filter((c) => c.def.independent !== true && c.def.probe === true);
  const shares = spread(
    rest.filter((c) => c.def.independent !== true && c.def.probe !== true),
    lanes.length,
  );
  const flows: Array<() => Promise<void>> = [
    () => pool(independent, options.concurrency, (c) => runCase(c, options.independentCtx)),
    ...lanes.map((lane, i) => async () => {
      if (i === 0 && probes.length > 0) {
        const section = new ProbeSection(lane.ctx, options.sectionOwner);
        await section.run(probes, (c) => runCase(c, lane.ctx, section));
      }
      for (const c of shares[i] ?? []) await runCase(c, lane.ctx);
    }),
  ];
  const failed = (await sideBySide(flows, (flow) => flow())).find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
}
