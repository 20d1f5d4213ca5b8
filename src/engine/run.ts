/**
 * The conformance run: one function call, in one process. Options in (the typed RunConfig and the key), progress out
 * through a callback, and the result returned as values: each case's tallies and findings, the counters, the restore,
 * the verdict. One session, one transport, one health, one tally; nothing passes through a file or the environment.
 *
 *   runConformance(options, hooks)
 *     -> contract, validators, facts (once)        -> openSession: target, transport, first read, snapshot
 *     -> plan (groups, cases; shard, replay)      -> each case: scenario -> exchanges -> checks -> CaseRecord
 *     -> restore and read back (always)           -> RunResult with its verdict
 */
import type { RunConfig } from '../config/run-config';
import { loadContract, type Contract } from '../contract/load';
import type { TransportCounters } from '../http/transport';
import { createValidators } from '../validation/validators';
import { acknowledgeRecord, failsTheRun } from '../conformance/baseline';
import { checksFor } from '../conformance/checks/registry';
import { conformanceFacts } from '../conformance/facts';
import { runScenario, type Context } from '../conformance/harness';
import type { CaseRecord } from '../conformance/records';
import type { OriginalState, RestoreOutcome } from './job-guard';
import { caseCount, planOf, requestEstimate, type PlannedCase, type PlannedSuite, type SuiteId } from './plan';
import { openSession } from './session';

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
  /** No more cases: the job is being put back. */
  | { readonly kind: 'restoring'; readonly jobId: number };

export interface RunHooks {
  readonly onProgress?: (event: ProgressEvent) => void;
  /** Aborting stops issuing requests; the cases in flight end, then the job is restored as always. */
  readonly signal?: AbortSignal;
}

export type Verdict =
  | { readonly kind: 'conformant' }
  | { readonly kind: 'not-conformant'; readonly failedChecks: readonly string[] }
  /** The run could not judge the target in full: it stopped answering, cases were cut short, or it was interrupted. */
  | { readonly kind: 'no-verdict'; readonly reason: string };

export type RestoreResult =
  | { readonly kind: 'nothing-written' }
  | { readonly kind: 'restored'; readonly original: OriginalState }
  | { readonly kind: 'failed'; readonly original: OriginalState; readonly reason: string };

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
  readonly restore: RestoreResult;
  readonly durationMs: number;
  readonly verdict: Verdict;
}

/** A run opened and not yet finished: the engine's plan, run group by group (the CLI runs them all; jest one a test). */
export interface ConformanceRun {
  readonly plan: readonly PlannedSuite[];
  /** The first read, judged (when it did not return a Job, the plan is empty: nothing is written). */
  readonly startUp: CaseRecord;
  readonly jobId: number;
  readonly target: string;
  /** Runs one group's cases (independent ones concurrently, up to --concurrency) and returns their records. */
  runSuite(id: SuiteId): Promise<CaseRecord[]>;
  /** Stops, restores the job, reads it back, closes; the result of the whole run. Call it once, always. */
  finish(): Promise<RunResult>;
}

/** Runs `work` over `items` at most `limit` at a time, in order of start. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
}

export async function openRun(options: RunOptions, hooks: RunHooks = {}): Promise<ConformanceRun> {
  const started = Date.now();
  const { config } = options;
  const emit = hooks.onProgress ?? (() => undefined);
  const contract = options.contract ?? (await loadContract());
  const facts = conformanceFacts(createValidators(contract));
  const checks = checksFor(config.checks);
  const session = await openSession({ config, apiKey: options.apiKey, facts, checks, log: (line) => emit({ kind: 'log', line }) });
  const { active, transport } = session;

  const plan = session.original === undefined ? [] : planOf(config, facts, active.otherJobIds);
  if (session.original === undefined) {
    emit({ kind: 'log', line: `the first read of job ${active.jobId} did not return a Job: no write is sent (staging safety); see the finding below` });
  }
  const total = caseCount(plan);
  const acknowledged = (record: CaseRecord) => acknowledgeRecord(record, config.baseline);
  const startUp = acknowledged(session.startUp);
  const records: CaseRecord[] = [startUp];
  let done = 0;
  let failing = 0;
  let interrupted: string | undefined;
  let stoppedEarly: EarlyStop | undefined;
  /** Why the target was down when the run stopped itself (then the reason it gives the transport is not the target's). */
  let downAtStop: string | undefined;
  const halted = () => interrupted !== undefined || stoppedEarly !== undefined;
  const onAbort = () => {
    if (halted()) return;
    interrupted = String(hooks.signal?.reason ?? 'aborted');
    transport.health.markDown(`the run was interrupted (${interrupted})`);
  };
  // --max-failures: the checks failed so far; once there are that many, the run stops issuing as after an abort.
  const failedChecks = new Set<string>();
  const countFailures = (record: CaseRecord) => {
    for (const finding of record.findings) if (failsTheRun(finding)) failedChecks.add(finding.checkId);
    const limit = config.maxFailures;
    if (limit === undefined || halted() || failedChecks.size < limit) return;
    stoppedEarly = { kind: 'max-failures', limit, failedChecks: [...failedChecks].sort() };
    downAtStop = transport.health.downReason();
    transport.health.markDown(`the run stopped after ${failedChecks.size} failing checks (--max-failures ${limit})`);
    emit({ kind: 'log', line: `--max-failures ${limit}: ${failedChecks.size} checks have failed; no further request is sent, the job is restored` });
  };
  countFailures(startUp);
  if (hooks.signal?.aborted) onAbort();
  hooks.signal?.addEventListener('abort', onAbort, { once: true });
  emit({ kind: 'started', target: active.targetLabel, jobId: active.jobId, cases: total, requests: requestEstimate(plan) });

  const ctx: Context = {
    run: active,
    facts,
    route: session.route,
    checks,
    transport,
    redact: session.redact,
    known: undefined,
    lastNoOp: undefined,
    drifting: new Set<string>(),
  };
  const runCase = async (planned: PlannedCase): Promise<void> => {
    if (halted()) return; // stop issuing: the cases not started are not run (nor reported as run)
    const record = acknowledged(await runScenario(ctx, planned.suite, planned.def));
    records.push(record);
    done += 1;
    if (record.findings.some(failsTheRun)) failing += 1;
    countFailures(record);
    emit({ kind: 'case', record, done, total, failing, counters: { ...transport.counters } });
  };

  let finished: Promise<RunResult> | undefined;
  const finish = async (): Promise<RunResult> => {
    hooks.signal?.removeEventListener('abort', onAbort);
    const targetDown = interrupted !== undefined ? undefined : stoppedEarly !== undefined ? downAtStop : transport.health.downReason();
    emit({ kind: 'restoring', jobId: active.jobId });
    let restore: RestoreResult = { kind: 'nothing-written' };
    try {
      const { outcome, record } = await session.restore();
      if (record) records.push(acknowledged(record));
      if (session.original !== undefined) restore = restoreResult(session.original, outcome);
    } finally {
      await session.close();
    }
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
      restore,
      durationMs: Date.now() - started,
      verdict: verdictOf(records, total, targetDown, interrupted),
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
      const independent = suite.cases.filter((c) => c.def.independent === true);
      const inOrder = suite.cases.filter((c) => c.def.independent !== true);
      // Cases that never touch the job overlap with the ordered ones; the transport caps what is in flight.
      await Promise.all([
        pool(independent, config.concurrency, runCase),
        (async () => {
          for (const c of inOrder) await runCase(c);
        })(),
      ]);
      return records.slice(before);
    },
    finish: () => (finished ??= finish()),
  };
}

function restoreResult(original: OriginalState, outcome: RestoreOutcome): RestoreResult {
  return outcome.kind === 'restored' ? { kind: 'restored', original } : { kind: 'failed', original, reason: outcome.reason };
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
  interrupted: string | undefined,
): Verdict {
  // An acknowledged finding (--baseline) is shown but fails nothing.
  const failedChecks = [...new Set(records.flatMap((r) => r.findings.filter(failsTheRun).map((f) => f.checkId)))].sort();
  if (interrupted !== undefined) return { kind: 'no-verdict', reason: `the run was interrupted (${interrupted})` };
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

