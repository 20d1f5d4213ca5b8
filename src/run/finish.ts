/**
 * The end of a run, always, whatever ended it: stop issuing and wait for the requests on the wire; add the side
 * records (the marker's writes, the probe sections' read-backs); watch the jobs whose findings may be a live job's own
 * movement (live-settle.ts); restore the job and read it back; withdraw the findings about properties that moved on
 * their own; close the session; and return the result with its verdict.
 */
import type { RunConfig } from '../config/run-config';
import type { ConformanceFacts } from '../checks/facts';
import type { Clock } from '../case/clock';
import type { Case } from '../case/case';
import type { RunServices } from '../case/context';
import type { Finding } from '../case/finding';
import type { OriginalState, RestoreOutcome } from './job-guard';
import type { RunLedger } from './ledger';
import { settleLive, withdrawLive } from './live-settle';
import type { Marking } from './marking';
import { START_UP_GROUP, type Session } from './session/session';
import { describeStop, type RunStop } from './stop';
import type { ProgressEvent, RestoreResult, RunResult } from './types';
import { verdictOf } from './verdict';

/** The reads that watch properties that may move on their own, before the verdict (not a case of the plan). */
const LIVE_CASE = 'the watch of properties that may move on their own (reads only)';

export interface Finishing {
  readonly config: RunConfig;
  readonly facts: ConformanceFacts;
  readonly session: Session;
  readonly services: RunServices;
  readonly ledger: RunLedger;
  readonly marking: Marking;
  /** The case that recorded the probe sections' read-backs. */
  readonly sections: Case;
  readonly stop: RunStop;
  readonly clock: Clock;
  /** Cases planned. */
  readonly total: number;
  readonly started: number;
  readonly emit: (event: ProgressEvent) => void;
  /** Why the target was down when --max-failures stopped the run, if it was. */
  readonly downAtStop: () => string | undefined;
}

export async function finishRun(f: Finishing): Promise<RunResult> {
  const { session, stop, ledger } = f;
  const { active, transport } = session;
  stop.finish();
  const stopped = stop.reason;
  const targetDown = stopped !== undefined ? undefined : stop.early !== undefined ? f.downAtStop() : transport.health.downReason();
  f.emit({ kind: 'restoring', jobId: active.jobId, inFlight: transport.inFlight });
  let restore: RestoreResult = { kind: 'nothing-written' };
  let withdrawn: Finding[] = [];
  try {
    // Nothing more is sent, and every request on the wire has ended, before the job is put back.
    await transport.stop(stopped === undefined ? 'the run is over' : describeStop(stopped));
    addSideRecords(f);
    if (stopped === undefined && targetDown === undefined) await watchLive(f);
    const { outcome, record, otherWriter } = await session.restore(f.marking.lastWriteWasMarker(), {
      live: (jobId) => f.services.live.movingOn(jobId),
      writers: f.services.writers,
    });
    if (record) ledger.add(record);
    f.clock.t += record?.requests ?? 0;
    if (session.original !== undefined) restore = restoreResult(session.original, outcome, otherWriter);
    const settled = withdrawLive(ledger.records, f.services.live);
    ledger.replace(settled.records);
    withdrawn = settled.withdrawn;
  } finally {
    await session.close();
  }
  const live = f.services.live.all();
  return {
    config: f.config,
    target: active.targetLabel,
    operation: `${f.facts.model.method} ${f.facts.model.fullPath}`,
    jobId: active.jobId,
    planned: f.total,
    cases: ledger.records,
    counters: { ...transport.counters },
    targetDown,
    interrupted: stopped?.kind === 'signal' ? stopped.signal : undefined,
    drifting: [...new Set(live.flatMap((j) => j.properties))].sort(),
    live,
    withdrawn,
    stoppedEarly: stop.early,
    stopped,
    restore,
    withheld: f.services.withheld.count,
    durationMs: Date.now() - f.started,
    chain: f.clock.t,
    verdict: verdictOf(ledger.records, f.total, targetDown, stopped),
  };
}

/** The marker's writes and the probe sections' read-backs, each a record beside the start-up's. */
function addSideRecords(f: Finishing): void {
  const marks = f.marking.record();
  if (marks !== undefined) f.ledger.add(marks);
  const c = f.sections;
  if (c.requests > 0) f.ledger.add({ group: START_UP_GROUP, case: c.name, tallies: c.ledger.tallies, findings: c.ledger.findings, requests: c.requests });
}

/** Findings about properties that may move on their own: watch those jobs (reads only, through the restore's lane). */
async function watchLive(f: Finishing): Promise<void> {
  const { session } = f;
  const reads = await settleLive(f.ledger.records, f.services.live, {
    transport: session.transport,
    facts: f.facts,
    auth: session.active.preferredAuth,
    config: f.config,
    elapsedMs: Date.now() - f.started,
  });
  if (reads > 0) f.ledger.add({ group: START_UP_GROUP, case: LIVE_CASE, tallies: {}, findings: [], requests: reads });
  f.clock.t += reads;
}

function restoreResult(original: OriginalState, outcome: RestoreOutcome, otherWriter: string | undefined): RestoreResult {
  return outcome.kind === 'restored'
    ? { kind: 'restored', original, retries: outcome.retries, otherWriter }
    : { kind: 'failed', original, reason: outcome.reason, otherWriter };
}
