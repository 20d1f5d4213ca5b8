/**
 * The conformance run: one function call, in one process. Options in (the typed RunConfig and the key), progress out
 * through a callback, and the result returned as values: each case's tallies and findings, the counters, the restore,
 * the verdict. One session, one transport, one ledger; nothing passes through a file or the environment.
 *
 *   runConformance(options, hooks)
 *     -> contract, validators, facts (once)        -> openSession: target, transport, first read, snapshot
 *     -> plan (groups, cases; shard, replay)      -> each group: its cases over the lanes -> CaseRecords
 *     -> the marker after each group               -> finish: watch live properties, restore, withdraw, verdict
 *
 * Stopping (a signal, --max-duration, the heap near its limit, --max-failures, or the end of the plan) is one path:
 * stop issuing (the transport calls off every send not on the wire, a 429 wait included), wait for the requests on the
 * wire (each within --timeout-ms), then restore and read back through the restore's own lane (finish.ts).
 */
import { loadContract } from '../contract/load';
import { createValidators } from '../validation/validators';
import { checksFor } from '../checks/registry';
import { conformanceFacts } from '../checks/facts';
import { newClock, within } from '../case/clock';
import { LiveProperties } from '../case/live';
import { Writers, type ForeignMark } from '../case/writers';
import { MARKER_FIELD, RUN_MARK, shownValue, type RunMarker } from './marker';
import { Lane, type RunServices } from '../case/context';
import { Case, runCase } from '../case/case';
import type { CaseRecord } from '../case/record';
import { finishRun } from './finish';
import { RunLedger } from './ledger';
import { Marking } from './marking';
import { caseCount, documentNotes, planOf, requestEstimate, type PlannedCase } from './plan';
import { LaneScheduler, scheduleGroup } from './schedule/lanes';
import type { ProbeSection } from './schedule/probe-section';
import { openSession, START_UP_GROUP, type Session } from './session/session';
import { RunStop } from './stop';
import type { ConformanceRun, ProgressEvent, RunHooks, RunOptions, RunResult } from './types';

export type * from './types';
export { describeStop, HEAP_STOP_FRACTION } from './stop';
export { verdictOf } from './verdict';

/** The probe sections' read-backs (groups 1-5 and the envelope group): counted and judged with the start-up (not a case of the plan). */
export const SECTIONS_CASE = "the probe sections' read-backs";

async function open(options: RunOptions, hooks: RunHooks, stop: RunStop) {
  const { config } = options;
  const emit = hooks.onProgress ?? (() => undefined);
  const contract = options.contract ?? (await loadContract());
  const facts = conformanceFacts(createValidators(contract));
  const checks = checksFor(config.checks);
  const session = await openSession({
    config,
    apiKey: options.apiKey,
    facts,
    checks,
    log: (line) => emit({ kind: 'log', line }),
    onWait: (wait) => emit({ kind: 'wait', ...wait }),
    onCounters: (counters) => emit({ kind: 'counters', counters }),
    onRestoreStep: (step) => emit({ kind: 'restore-step', step }),
    stop: stop.signal,
  });
  return { facts, checks, session, emit };
}

/** The services every case of the run shares, and its lanes (one per job it writes, its own job first). */
function servicesOf(session: Session, facts: RunServices['facts'], checks: RunServices['checks']): RunServices {
  const { active } = session;
  const all = [active.jobId, ...active.otherJobIds];
  const laneJobs = session.lanes.length > 0 ? session.lanes : [active.jobId];
  // A lane's job has every updatable field (session.ts); the run's own job may lack some (it is only read then).
  const lanes = laneJobs.map((jobId) => new Lane(jobId, all.filter((id) => id !== jobId), jobId === active.jobId ? session.unwritable : []));
  const writers = new Writers(facts, foreignMarkOf(session.marker));
  // The values the run found are its own too: a job going back to one is not another writer.
  for (const state of [session.original, ...session.others]) {
    for (const [field, value] of Object.entries(state?.fields ?? {})) writers.own(field, value);
  }
  return {
    run: active,
    facts,
    route: session.route,
    checks,
    transport: session.transport,
    redact: session.redact,
    live: new LiveProperties(facts, all, (jobId, field, before, after) => writers.changed(jobId, field, before, after)),
    writers,
    withheld: { count: 0 },
    lanes,
    scheduler: new LaneScheduler(lanes),
  };
}

/** Another run's marker on a job (a name of the marker's form, not this run's). */
function foreignMarkOf(own: RunMarker | undefined): ForeignMark {
  return (job) => {
    const name = job[MARKER_FIELD];
    if (typeof name !== 'string' || !name.startsWith(`${RUN_MARK} run `) || name === own?.value) return undefined;
    return { field: MARKER_FIELD, value: name, what: `another run's marker (${MARKER_FIELD}=${shownValue(name)})` };
  };
}

/** Another writer on a job of the run: it stops writing (as after a signal), and its restore puts back only its own values. */
function guard(session: Session, services: RunServices, stop: RunStop, emit: (event: ProgressEvent) => void): void {
  services.writers.onOther((what) => {
    emit({ kind: 'log', line: session.redact(`another writer: ${what}; this run stops writing, and puts back only the values it wrote`) });
    stop.stop({ kind: 'other-writer', what });
  });
}

/** The plan's requests (at least) after the start-up's: what the pace so far says they would take (stop.ts). */
function watchPace(stop: RunStop, session: Session, planned: number): void {
  const expected = session.startUp.requests + planned;
  stop.watchPace(() => {
    const { sent, throttled } = session.transport.counters;
    return { done: sent - throttled, throttled, left: expected - (sent - throttled) };
  });
}

export async function openRun(options: RunOptions, hooks: RunHooks = {}): Promise<ConformanceRun> {
  const started = Date.now();
  const { config } = options;
  const stop = new RunStop(hooks.signal, config.maxDurationMs);
  let opened: Awaited<ReturnType<typeof open>>;
  try {
    opened = await open(options, hooks, stop);
  } catch (error) {
    stop.finish();
    throw error;
  }
  const { facts, checks, session, emit } = opened;
  const { active, transport } = session;
  stop.signal.addEventListener('abort', () => emit({ kind: 'stopping', reason: String(stop.signal.reason), inFlight: transport.inFlight }), { once: true });
  for (const note of documentNotes(facts.model)) emit({ kind: 'log', line: note });
  const plan = session.original === undefined ? [] : planOf(config, facts, active.otherJobIds, session.unwritable);
  if (session.original === undefined) {
    emit({ kind: 'log', line: `the first read of job ${active.jobId} did not return a Job: no write is sent (staging safety); see the finding below` });
  }
  const total = caseCount(plan);
  const ledger = new RunLedger(config.baseline);
  const startUp = ledger.add(session.startUp);
  const services = servicesOf(session, facts, checks);
  guard(session, services, stop, emit);
  const first = services.lanes[0] as Lane;
  const marking = new Marking(services, first, session.marker, session.firstJob);
  const sections = new Case(services, first, START_UP_GROUP, SECTIONS_CASE);
  // The chain of dependent requests: the start-up's reads one after another, then the groups (src/case/clock.ts).
  const clock = newClock();
  clock.t = session.startUp.requests;

  /** --max-failures: once that many checks failed, the run stops issuing as after a signal; the verdict stands. */
  const maxFailures = () => {
    const limit = config.maxFailures;
    const failed = ledger.failed();
    if (limit === undefined || stop.halted() || failed.length < limit) return;
    stop.early = { kind: 'max-failures', limit, failedChecks: failed };
    downAtStop = transport.health.downReason();
    void transport.stop(`the run stopped after ${failed.length} failing checks (--max-failures ${limit})`);
    emit({ kind: 'log', line: `--max-failures ${limit}: ${failed.length} checks have failed; no further request is sent, the job is restored` });
  };
  /** Why the target was down when the run stopped itself (then the reason it gives the transport is not the target's). */
  let downAtStop: string | undefined;
  maxFailures();
  const planned = requestEstimate(plan);
  emit({ kind: 'started', target: active.targetLabel, jobId: active.jobId, cases: total, requests: planned });
  watchPace(stop, session, planned);
  if (plan.length > 0 && !stop.halted() && (await marking.mark())) clock.t += 1;

  const runPlanned = async (planned: PlannedCase, lane: Lane, section?: ProbeSection): Promise<void> => {
    if (stop.halted()) return; // stop issuing: the cases not started are not run (nor reported as run)
    const { record: run, wrote } = await runCase(services, lane, planned.group, planned.def, section);
    const record = ledger.addCase(run);
    maxFailures();
    emit({ kind: 'case', record, done: ledger.done, total, failing: ledger.failing, counters: { ...transport.counters } });
    if (wrote) marking.wrote();
  };
  const schedule = { scheduler: services.scheduler as LaneScheduler, concurrency: session.concurrency, independentLane: first.detached(), sectionOwner: sections };

  let finished: Promise<RunResult> | undefined;
  return {
    plan,
    startUp,
    jobId: active.jobId,
    target: active.targetLabel,
    async runGroup(id): Promise<CaseRecord[]> {
      const group = plan.find((g) => g.id === id);
      if (group === undefined) return [];
      const from = ledger.records.length;
      await within(clock, () => scheduleGroup(group.cases, schedule, runPlanned));
      // Cases end in any order side by side: the group's records are kept in plan order.
      const order = new Map(group.cases.map((c, i) => [c.def.name, i]));
      const records = ledger.reorderSince(from, (r) => order.get(r.case) ?? 0);
      if (!stop.halted() && (await marking.mark())) clock.t += 1;
      return records;
    },
    finish: () =>
      (finished ??= finishRun({ config, facts, session, services, ledger, marking, sections, stop, clock, total, started, emit, downAtStop: () => downAtStop })),
  };
}

/** Opens a run, runs every group of its plan in order, and finishes it (the job is restored whatever happens). */
export async function runConformance(options: RunOptions, hooks: RunHooks = {}): Promise<RunResult> {
  const run = await openRun(options, hooks);
  try {
    for (const group of run.plan) await run.runGroup(group.id);
  } catch (error) {
    await run.finish(); // a bug in a case: the job is still put back before the error surfaces
    throw error;
  }
  return run.finish();
}
