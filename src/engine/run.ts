/**
 * The conformance run: one function call, in one process. Options in (the typed RunConfig and the key), progress out
 * through a callback, and the result returned as values: each case's tallies and findings, the counters, the restore,
 * the verdict. One session, one transport, one health, one tally; nothing passes through a file or the environment.
 *
 *   runConformance(options, hooks)
 *     -> contract, validators, facts (once)        -> openSession: target, transport, first read, snapshot
 *     -> plan (groups, cases; shard, replay)      -> each case: scenario -> exchanges -> checks -> CaseRecord
 *     -> restore and read back (always)           -> RunResult with its verdict
 *
 * Stopping (a signal, --max-duration, or the end of the plan) is one path: stop issuing (the transport calls off every
 * send not on the wire, a 429 wait included), wait for the requests on the wire (each within --timeout-ms), then
 * restore and read back through the restore's own lane, so that nothing of the run's lands after the read-back.
 */
import type { RunConfig } from '../config/run-config';
import { loadContract, type Contract } from '../contract/load';
import type { ThrottleWait, TransportCounters } from '../http/transport';
import { createValidators } from '../validation/validators';
import { acknowledgeRecord, failsTheRun } from '../conformance/baseline';
import { checksFor } from '../conformance/checks/registry';
import { conformanceFacts } from '../conformance/facts';
import { jobOf } from '../conformance/checks/values';
import type { Finding } from '../conformance/finding';
import { runScenario, Scenario, type Context } from '../conformance/harness';
import type { ProbeSection } from '../conformance/probe-section';
import type { CaseRecord, CheckTally } from '../conformance/records';
import { putJson } from '../conformance/scenarios/common';
import type { OriginalState, RestoreOutcome, RestoreStep } from './job-guard';
import { newClock, within } from './chain';
import { lanesOf, runGroup } from './lanes';
import { caseCount, planOf, requestEstimate, type PlannedCase, type PlannedSuite, type SuiteId } from './plan';
import { MARKER_FIELD } from './job-marker';
import { openSession, START_UP_SUITE } from './session';

export interface RunOptions {
  readonly config: RunConfig;
  /** The key for a --target; undefined for the reference provider (its fixture key). Never printed or stored. */
  readonly apiKey?: string | undefined;
  /** The contract to judge by; default: the package's document. */
  readonly contract?: Contract;
}

export type ProgressEvent =
  /** A line for a person (the job's original values, a 429 wait, a note about ignored options). */
  | { readonly kind: 'log'; readonly line: string }
  /** The session is open: the target answered the first read. */
  | { readonly kind: 'started'; readonly target: string; readonly jobId: number; readonly cases: number; readonly requests: number }
  /** A case ran to its end, or was cut short. */
  | {
      readonly kind: 'case';
      readonly record: CaseRecord;
      readonly done: number;
      readonly total: number;
      readonly failing: number;
      readonly counters: Readonly<TransportCounters>;
    }
  /** A 429 asked every request to wait (for the progress line, which counts it down). */
  | ({ readonly kind: 'wait' } & ThrottleWait)
  /** A request ended, answered or not (the start-up's and the restore's too): the counters so far. */
  | { readonly kind: 'counters'; readonly counters: Readonly<TransportCounters> }
  /** A signal or the deadline: nothing more is issued; the requests on the wire are waited for. */
  | { readonly kind: 'stopping'; readonly reason: string; readonly inFlight: number }
  /** No more cases: the job is being put back. */
  | { readonly kind: 'restoring'; readonly jobId: number; readonly inFlight: number }
  /** What the restore is doing now. */
  | { readonly kind: 'restore-step'; readonly step: RestoreStep };

export interface RunHooks {
  readonly onProgress?: (event: ProgressEvent) => void;
  /**
   * Aborting (its reason: the signal's name) stops issuing requests, calls off any 429 wait, waits for the requests
   * on the wire, then restores the job as always.
   */
  readonly signal?: AbortSignal;
}

/** Why a run stopped before its plan was done. */
export type StopReason =
  | { readonly kind: 'signal'; readonly signal: string }
  | { readonly kind: 'deadline'; readonly afterMs: number };

export function describeStop(stop: StopReason): string {
  return stop.kind === 'signal'
    ? `the run was interrupted (${stop.signal})`
    : `the run reached --max-duration (${Math.round(stop.afterMs / 1000)} s)`;
}

export type Verdict =
  | { readonly kind: 'conformant' }
  | { readonly kind: 'not-conformant'; readonly failedChecks: readonly string[] }
  /** The run could not judge the target in full: it stopped answering, cases were cut short, or it was interrupted. */
  | { readonly kind: 'no-verdict'; readonly reason: string };

export type RestoreResult =
  | { readonly kind: 'nothing-written' }
  | { readonly kind: 'restored'; readonly original: OriginalState; readonly retries: number; readonly otherWriter: string | undefined }
  | { readonly kind: 'failed'; readonly original: OriginalState; readonly reason: string; readonly otherWriter: string | undefined };

/** Why the run stopped issuing requests before its plan was done, other than an interruption or a dead target. */
export type EarlyStop = {
  readonly kind: 'max-failures';
  /** --max-failures */
  readonly limit: number;
  /** The failing checks that reached it. */
  readonly failedChecks: readonly string[];
};

export interface RunResult {
  readonly config: RunConfig;
  /** The target as shown (URL, or the in-process reference provider). */
  readonly target: string;
  readonly jobId: number;
  /** Cases planned (without the start-up and the restore). */
  readonly planned: number;
  /** Every case that ran, in order: the first read first, the restore last. */
  readonly cases: readonly CaseRecord[];
  readonly counters: Readonly<TransportCounters>;
  /** Why the target was declared down, if it was. */
  readonly targetDown: string | undefined;
  /** The abort reason (a signal name), if the run was interrupted. */
  readonly interrupted: string | undefined;
  /** Job properties seen to move on their own (a live job): left out of every before/after comparison. */
  readonly drifting: readonly string[];
  /** Set when --max-failures stopped the run (the cases not started did not run; the job was restored). */
  readonly stoppedEarly: EarlyStop | undefined;
  /** Why the run stopped before its plan was done (a signal, or --max-duration), if it did. */
  readonly stopped: StopReason | undefined;
  readonly restore: RestoreResult;
  /** Requests not sent because they named a field the job does not have. */
  readonly withheld: number;
  readonly durationMs: number;
  /**
   * The longest chain of dependent requests the run had (start-up, each group's longest, the restore): at a latency
   * of L per request it could not end sooner than chain x L (its latency floor). See chain.ts.
   */
  readonly chain: number;
  readonly verdict: Verdict;
}

/** A run opened and not yet finished: the engine's plan, run group by group (the CLI runs them all; jest one a test). */
export interface ConformanceRun {
  readonly plan: readonly PlannedSuite[];
  /** The first read, judged (when it did not return a Job, the plan is empty: nothing is written). */
  readonly startUp: CaseRecord;
  readonly jobId: number;
  readonly target: string;
  /** Runs one group's cases (over the lanes, one per job; independent ones beside them) and returns their records. */
  runSuite(id: SuiteId): Promise<CaseRecord[]>;
  /** Stops, restores the job, reads it back, closes; the result of the whole run. Call it once, always. */
  finish(): Promise<RunResult>;
}

export async function openRun(options: RunOptions, hooks: RunHooks = {}): Promise<ConformanceRun> {
  const started = Date.now();
  const { config } = options;
  const emit = hooks.onProgress ?? (() => undefined);

  // One stop for the whole run, from a signal or the deadline, the session's first read included.
  let stopped: StopReason | undefined;
  const stopper = new AbortController();
  const stop = (reason: StopReason) => {
    if (stopped !== undefined || finishing) return;
    stopped = reason;
    stopper.abort(describeStop(reason));
  };
  let finishing = false;
  const onAbort = () => stop({ kind: 'signal', signal: String(hooks.signal?.reason ?? 'aborted') });
  if (hooks.signal?.aborted) onAbort();
  hooks.signal?.addEventListener('abort', onAbort, { once: true });
  const deadline = setTimeout(() => stop({ kind: 'deadline', afterMs: config.maxDurationMs }), config.maxDurationMs);
  const release = () => {
    clearTimeout(deadline);
    hooks.signal?.removeEventListener('abort', onAbort);
  };

  let session: Awaited<ReturnType<typeof openSession>>;
  let facts: ReturnType<typeof conformanceFacts>;
  let checks: ReturnType<typeof checksFor>;
  try {
    const contract = options.contract ?? (await loadContract());
    facts = conformanceFacts(createValidators(contract));
    checks = checksFor(config.checks);
    session = await openSession({
      config,
      apiKey: options.apiKey,
      facts,
      checks,
      log: (line) => emit({ kind: 'log', line }),
      onWait: (wait) => emit({ kind: 'wait', ...wait }),
      onCounters: (counters) => emit({ kind: 'counters', counters }),
      onRestoreStep: (step) => emit({ kind: 'restore-step', step }),
      stop: stopper.signal,
    });
  } catch (error) {
    release();
    throw error;
  }
  const { active, transport } = session;
  stopper.signal.addEventListener('abort', () => emit({ kind: 'stopping', reason: String(stopper.signal.reason), inFlight: transport.inFlight }), { once: true });

  const plan = session.original === undefined ? [] : planOf(config, facts, active.otherJobIds, session.unwritable);
  if (session.original === undefined) {
    emit({ kind: 'log', line: `the first read of job ${active.jobId} did not return a Job: no write is sent (staging safety); see the finding below` });
  }
  const total = caseCount(plan);
  const acknowledged = (record: CaseRecord) => acknowledgeRecord(record, config.baseline);
  const startUp = acknowledged(session.startUp);
  const records: CaseRecord[] = [startUp];
  let done = 0;
  let failing = 0;
  let stoppedEarly: EarlyStop | undefined;
  /** Why the target was down when the run stopped itself (then the reason it gives the transport is not the target's). */
  let downAtStop: string | undefined;
  const halted = () => stopped !== undefined || stoppedEarly !== undefined;
  // --max-failures: the checks failed so far; once there are that many, the run stops issuing as after a signal
  // (the transport calls off what is not on the wire), but the verdict stands: NOT conformant.
  const failedChecks = new Set<string>();
  const countFailures = (record: CaseRecord) => {
    for (const finding of record.findings) if (failsTheRun(finding)) failedChecks.add(finding.checkId);
    const limit = config.maxFailures;
    if (limit === undefined || halted() || failedChecks.size < limit) return;
    stoppedEarly = { kind: 'max-failures', limit, failedChecks: [...failedChecks].sort() };
    downAtStop = transport.health.downReason();
    void transport.stop(`the run stopped after ${failedChecks.size} failing checks (--max-failures ${limit})`);
    emit({ kind: 'log', line: `--max-failures ${limit}: ${failedChecks.size} checks have failed; no further request is sent, the job is restored` });
  };
  countFailures(startUp);
  emit({ kind: 'started', target: active.targetLabel, jobId: active.jobId, cases: total, requests: requestEstimate(plan) });

  const ctx: Context = {
    run: active,
    facts,
    route: session.route,
    checks,
    transport,
    redact: session.redact,
    unwritable: session.unwritable,
    known: undefined,
    lastNoOp: undefined,
    drifting: new Set<string>(),
    withheld: 0,
  };
  // The job rests on the run's marker from before the first case, and again after each group (src/engine/job-marker.ts).
  // Each marker write is an update like any other, judged as a case would judge it; the first against the first
  // read's Job: it is the run's first write, so what it does to the rest of the Job is seen there.
  let markerShown = false;
  let wroteSincePark = false;
  const marking = { tallies: {} as Record<string, CheckTally>, findings: [] as Finding[], requests: 0 };
  let parks = 0;
  const park = async () => {
    const marker = session.marker;
    if (marker === undefined || halted()) return;
    const first = parks === 0;
    parks += 1;
    const { record } = await runScenario(ctx, START_UP_SUITE, {
      name: MARKER_SCENARIO,
      estimate: () => 1,
      run: async (s) => {
        const request = putJson(s, { [MARKER_FIELD]: marker.value });
        const expect = { kind: 'update', jobId: active.jobId, changes: { [MARKER_FIELD]: marker.value } } as const;
        if (first && session.firstJob !== undefined) {
          await s.send(request, { expect, before: session.firstJob });
          return;
        }
        // Later ones: judged against the state the last case left, when known (no read is spent on it).
        const before = ctx.known;
        const exchange = await s.exchange(request);
        s.judge(exchange, { facts, expect, ...(before ? { before } : {}), drifting: ctx.drifting });
        ctx.known = exchange.response.status === 200 ? jobOf(exchange.response) : undefined;
      },
    });
    for (const [checkId, tally] of Object.entries(record.tallies)) {
      const sum = (marking.tallies[checkId] ??= { pass: 0, fail: 0 });
      sum.pass += tally.pass;
      sum.fail += tally.fail;
    }
    marking.findings.push(...record.findings);
    marking.requests += record.requests;
    // A write between two no-op reads: the next read must not take the marker for the job's own movement.
    ctx.lastNoOp = undefined;
    // Only a marker the job was seen to take can tell, at the end, that another writer changed it.
    markerShown = ctx.known !== undefined && ctx.known[MARKER_FIELD] === marker.value;
    wroteSincePark = false;
  };
  if (plan.length > 0) await park();

  // One lane per job the run may write (the first job's is `ctx`): each writes its own job, in parallel (lanes.ts).
  const lanes = lanesOf(ctx, active, session.lanes);
  const independentCtx: Context = { ...ctx, known: undefined, lastNoOp: undefined };
  // The probe sections' own requests (each round's read-back): a record of their own beside the start-up's.
  const sections = new Scenario(ctx, START_UP_SUITE, SECTIONS_SCENARIO);
  // The chain of dependent requests: the start-up's reads one after another, then the groups (chain.ts).
  const clock = newClock();
  clock.t = session.startUp.requests + (marking.requests > 0 ? 1 : 0);

  const runCase = async (planned: PlannedCase, laneCtx: Context, section?: ProbeSection): Promise<void> => {
    if (halted()) return; // stop issuing: the cases not started are not run (nor reported as run)
    const { record: run, wrote } = await runScenario(laneCtx, planned.suite, planned.def, section);
    const record = acknowledged(run);
    records.push(record);
    done += 1;
    if (record.findings.some(failsTheRun)) failing += 1;
    countFailures(record);
    emit({ kind: 'case', record, done, total, failing, counters: { ...transport.counters } });
    if (wrote) wroteSincePark = true;
  };

  let finished: Promise<RunResult> | undefined;
  const finish = async (): Promise<RunResult> => {
    finishing = true;
    release();
    const targetDown = stopped !== undefined ? undefined : stoppedEarly !== undefined ? downAtStop : transport.health.downReason();
    emit({ kind: 'restoring', jobId: active.jobId, inFlight: transport.inFlight });
    let restore: RestoreResult = { kind: 'nothing-written' };
    try {
      // Nothing more is sent, and every request on the wire has ended, before the job is put back.
      await transport.stop(stopped === undefined ? 'the run is over' : describeStop(stopped));
      if (marking.requests > 0) {
        records.push(acknowledged({ suite: START_UP_SUITE, scenario: MARKER_SCENARIO, ...marking }));
      }
      if (sections.requests > 0) {
        records.push(acknowledged({ suite: START_UP_SUITE, scenario: SECTIONS_SCENARIO, tallies: sections.tallies, findings: sections.findings, requests: sections.requests }));
      }
      const { outcome, record, otherWriter } = await session.restore(markerShown && !wroteSincePark);
      if (record) records.push(acknowledged(record));
      clock.t += record?.requests ?? 0;
      if (session.original !== undefined) restore = restoreResult(session.original, outcome, otherWriter);
    } finally {
      await session.close();
    }
    const interrupted = stopped?.kind === 'signal' ? stopped.signal : undefined;
    return {
      config,
      target: active.targetLabel,
      jobId: active.jobId,
      planned: total,
      cases: records,
      counters: { ...transport.counters },
      targetDown,
      interrupted,
      drifting: [...ctx.drifting].sort(),
      stoppedEarly,
      stopped,
      restore,
      withheld: ctx.withheld,
      durationMs: Date.now() - started,
      chain: clock.t,
      verdict: verdictOf(records, total, targetDown, stopped),
    };
  };

  return {
    plan,
    startUp,
    jobId: active.jobId,
    target: active.targetLabel,
    async runSuite(id) {
      const suite = plan.find((s) => s.id === id);
      if (suite === undefined) return [];
      const before = records.length;
      // The transport caps what is in flight across the lanes.
      await within(clock, () => runGroup(suite.cases, lanes, { concurrency: session.concurrency, independentCtx, sectionOwner: sections }, runCase));
      // Cases end in any order side by side: the group's records are kept in plan order.
      const order = new Map(suite.cases.map((c, i) => [c.def.name, i]));
      const group = records.splice(before).sort((a, b) => (order.get(a.scenario) ?? 0) - (order.get(b.scenario) ?? 0));
      records.push(...group);
      const parked = marking.requests;
      await park();
      if (marking.requests > parked) clock.t += 1;
      return group;
    },
    finish: () => (finished ??= finish()),
  };
}

/** The probe sections' read-backs (groups 1-5 and 7): counted and judged with the start-up (not a case of the plan). */
export const SECTIONS_SCENARIO = "the probe sections' read-backs";

/** The marker's writes: counted and judged with the start-up and the restore (not a case of the plan). */
const MARKER_SCENARIO = "the run's marker on the job (one run per job)";

function restoreResult(original: OriginalState, outcome: RestoreOutcome, otherWriter: string | undefined): RestoreResult {
  return outcome.kind === 'restored'
    ? { kind: 'restored', original, retries: outcome.retries, otherWriter }
    : { kind: 'failed', original, reason: outcome.reason, otherWriter };
}

/**
 * The one place a run's verdict is decided. "conformant" only when every planned case ran to its end and no check
 * failed; a case cut short, a target that stopped answering, or an interruption give no verdict (unless checks
 * already failed, which stands whatever else happened).
 */
export function verdictOf(
  records: readonly CaseRecord[],
  planned: number,
  targetDown: string | undefined,
  stopped: StopReason | undefined,
): Verdict {
  // An acknowledged finding (--baseline) is shown but fails nothing.
  const failedChecks = [...new Set(records.flatMap((r) => r.findings.filter(failsTheRun).map((f) => f.checkId)))].sort();
  if (stopped !== undefined) return { kind: 'no-verdict', reason: describeStop(stopped) };
  if (targetDown !== undefined) return { kind: 'no-verdict', reason: `the target stopped answering (${targetDown})` };
  if (failedChecks.length > 0) return { kind: 'not-conformant', failedChecks };
  const cut = records.filter((r) => r.error !== undefined).length;
  const ran = records.filter((r) => r.suite !== 'start-up').length;
  if (cut > 0) return { kind: 'no-verdict', reason: `${cut} case(s) were cut short` };
  if (ran < planned) return { kind: 'no-verdict', reason: `${planned - ran} of ${planned} planned case(s) did not run` };
  return { kind: 'conformant' };
}

/** Opens a run, runs every group of its plan in order, and finishes it (the job is restored whatever happens). */
export async function runConformance(options: RunOptions, hooks: RunHooks = {}): Promise<RunResult> {
  const run = await openRun(options, hooks);
  try {
    for (const suite of run.plan) await run.runSuite(suite.id);
  } catch (error) {
    await run.finish(); // a bug in a case: the job is still put back before the error surfaces
    throw error;
  }
  return run.finish();
}

