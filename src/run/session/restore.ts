/**
 * The restore at the end of a run: the job's original values put back and read back through the job guard (retried
 * within --restore-timeout, through the restore's own lane: outside the run's limiter and its pauses), then each other
 * job read and put back only if it is not as it was; the restore's own answers are judged too. Before it, a run whose
 * last write was its marker checks that the job still shows it: if not, another writer was on the job. With another
 * writer seen, only the fields holding values this run wrote are put back, and the end is loud. After it, the end
 * check: each job the run wrote, whole, against its first read (a property that appeared or changed cannot be put back).
 */
import type { RunConfig } from '../../config/run-config';
import type { Check, JobState } from '../../checks/types';
import { jobOf, sameFieldValue } from '../../checks/values';
import type { ConformanceFacts } from '../../checks/facts';
import { evaluate, type Evaluation } from '../../case/judge';
import type { Writers } from '../../case/writers';
import type { CaseRecord } from '../../case/record';
import type { ApiRequest, Exchange, ValidAuth } from '../../http/request';
import { describeOriginal, restoreJob, sameFields, type JobPut, type OriginalState, type RestoreOutcome, type RestorePolicy, type RestoreStep } from '../job-guard';
import { MARKER_FIELD, shownValue, type RunMarker } from '../marker';
import { START_UP_GROUP, startUpRecord } from './first-read';
import type { Wire } from './target';

export interface SessionRestore {
  readonly outcome: RestoreOutcome;
  readonly record: CaseRecord | undefined;
  /** Set when the job did not show the run's marker before the restore: another writer was on it. */
  readonly otherWriter: string | undefined;
}

/** What the restore works with. */
export interface RestoreScope {
  readonly config: RunConfig;
  readonly facts: ConformanceFacts;
  readonly checks: readonly Check[];
  readonly wire: Wire;
  readonly jobId: number;
  readonly auth: ValidAuth['kind'];
  readonly original: OriginalState;
  readonly others: readonly OriginalState[];
  /** The jobs the run wrote (its own first): an other job among them is put back as a lane, not as a surprise. */
  readonly lanes: readonly number[];
  readonly marker: RunMarker | undefined;
  /** The Job the first read returned: the end check compares the whole job with it. */
  readonly firstJob: JobState | undefined;
  /** The other jobs' Jobs as first read, by id. */
  readonly otherJobs: ReadonlyMap<number, JobState>;
  readonly guard: RestoreGuard;
  readonly log: (line: string) => void;
  readonly onStep?: (step: RestoreStep) => void;
}

/** What the run learned while it worked, for its restore: the job's live properties, and who else wrote. */
export interface RestoreGuard {
  /** The properties of a job seen to move on their own (never compared). */
  readonly live: (jobId: number) => ReadonlySet<string>;
  readonly writers: Writers;
}

/** A field of the job that holds a value this run did not write: another writer's, left as it is. */
interface Theirs {
  readonly field: string;
  readonly value: unknown;
}

const SCENARIO = 'the restore of the job, and its read-back';

/**
 * `parkedLast`: the run's last write was its marker, so a job not showing it had another writer. With another writer
 * seen (during the run, or now), only the fields that hold values this run wrote are put back; the others are named
 * in the loud block. Then the end check: the whole job against the first read.
 */
export async function restoreAll(scope: RestoreScope, parkedLast: boolean): Promise<SessionRestore> {
  const { config, wire, jobId, original } = scope;
  const sentBefore = wire.transport.counters.sent;
  const deadline = Date.now() + config.restoreTimeoutMs;
  const markerLine = scope.marker !== undefined && parkedLast ? await markerGone(scope, scope.marker) : undefined;
  const otherWriter = scope.guard.writers.other ?? markerLine;
  const theirs = otherWriter === undefined ? [] : await notOurs(scope);
  const ours: OriginalState = { ...original, fields: Object.fromEntries(Object.entries(original.fields).filter(([field]) => !theirs.some((t) => t.field === field))) };
  const exchanges: Exchange[] = [];
  let outcome = await restoreJob(putTo(scope, jobId, exchanges), scope.facts, ours, policyUntil(scope, deadline));
  const judged = judgeRestore(scope, ours, exchanges);
  const seen = scope.guard.writers.other;
  const failures = [
    // Seen during the run: what the other writer leaves (another run puts back what it found, maybe this run's values) is past telling.
    ...(seen === undefined ? [] : [`another writer changed the job during this run (${seen}), so what the job ends with cannot be told: check it once the other writer is done`]),
    ...(theirs.length === 0 ? [] : [`${seen === undefined ? `${otherWriter ?? 'another writer'}; ` : ''}left as they are, not this run's values: ${theirs.map((t) => `${t.field}=${shownValue(t.value)}`).join(', ')}`]),
    ...endCheck(scope, scope.jobId, scope.firstJob, original, exchanges),
    ...(await restoreOthers(scope, deadline)),
  ];
  if (failures.length > 0) {
    const reason = [...(outcome.kind === 'failed' ? [outcome.reason] : []), ...failures].join('; ');
    outcome = { kind: 'failed', reason, retries: outcome.retries };
  }
  // Every request of the restore, the other jobs' reads included (judged or not).
  return { outcome, record: startUpRecord(SCENARIO, judged, wire.redact, wire.transport.counters.sent - sentBefore), otherWriter };
}

/** The job's updatable fields that differ from the first read and hold a value this run did not write. */
async function notOurs(scope: RestoreScope): Promise<Theirs[]> {
  const now = await putTo(scope, scope.jobId, [])({}, { timeoutMs: scope.config.timeoutMs });
  if (now.kind !== 'answered' || now.job === undefined) return [];
  const job = now.job;
  return Object.entries(scope.original.fields)
    .filter(([field, value]) => !sameFieldValue(scope.facts, field, value, job[field]) && !scope.guard.writers.isOwn(field, job[field]))
    .map(([field]) => ({ field, value: job[field] }));
}

/**
 * The whole job, as last read back, against the first read: a property that appeared, went or changed, and that the
 * restore does not put back (the fields it puts back are its own business) and that is not live, cannot be put back
 * by this API. A line naming them, if any.
 */
function endCheck(scope: RestoreScope, jobId: number, first: JobState | undefined, original: OriginalState, exchanges: readonly Exchange[]): string[] {
  const last = exchanges.filter((e) => e.request.body === '{}').at(-1);
  const job = last === undefined ? undefined : jobOf(last.response);
  if (first === undefined || job === undefined) return [];
  const live = scope.guard.live(jobId);
  const keys = [...new Set([...Object.keys(first), ...Object.keys(job)])].filter((key) => !(key in original.fields) && !live.has(key)).sort();
  const changed = keys.flatMap((key) => {
    if (sameFieldValue(scope.facts, key, first[key], job[key])) return [];
    if (!(key in first)) return [`${key} appeared (${shownValue(job[key])})`];
    if (!(key in job)) return [`${key} went (it was ${shownValue(first[key])})`];
    return [`${key} changed (${shownValue(first[key])} -> ${shownValue(job[key])})`];
  });
  if (changed.length === 0) return [];
  return [`job ${jobId} is not as the run found it, and the API cannot put this back: ${changed.join(', ')}`];
}

function jobRequest(scope: RestoreScope, body: Readonly<Record<string, unknown>>, id: number): ApiRequest {
  return { method: scope.facts.method, idSegment: String(id), body: JSON.stringify(body), contentType: 'application/json', auth: { kind: scope.auth } };
}

/** Whether the job still shows the run's marker: a line naming the other writer if not. */
async function markerGone(scope: RestoreScope, marker: RunMarker): Promise<string | undefined> {
  const seen = await scope.wire.transport.sendOnce(jobRequest(scope, {}, scope.jobId), scope.config.timeoutMs);
  const now = seen.kind === 'response' && seen.exchange.response.status === 200 ? jobOf(seen.exchange.response) : undefined;
  if (now === undefined || now[MARKER_FIELD] === marker.value) return undefined;
  const line = `another writer changed job ${scope.jobId} during this run (${MARKER_FIELD} was ${shownValue(now[MARKER_FIELD])}, not this run's marker): the values it started from may not be the job's own`;
  scope.log(scope.wire.redact(line));
  return line;
}

/** A PUT of a job through the restore's own lane, each within what is left of the budget; the 200s are kept. */
function putTo(scope: RestoreScope, id: number, answered: Exchange[]): JobPut {
  return async (body, limits) => {
    const outcome = await scope.wire.transport.sendOnce(jobRequest(scope, body, id), limits.timeoutMs);
    if (outcome.kind !== 'response') {
      const reason = outcome.kind === 'network-error' ? outcome.message : outcome.kind === 'timeout' ? `no answer within ${outcome.timeoutMs} ms` : outcome.reason;
      return { kind: 'no-answer', reason };
    }
    const { response } = outcome.exchange;
    if (response.status === 200) answered.push(outcome.exchange);
    return { kind: 'answered', status: response.status, job: response.status === 200 ? jobOf(response) : undefined, retryAfter: response.headers['retry-after'] };
  };
}

/** The restore of the job and of any other job that changed share one budget. */
function policyUntil(scope: RestoreScope, deadline: number): RestorePolicy {
  const { config, wire } = scope;
  return {
    budgetMs: Math.max(1, deadline - Date.now()),
    attemptTimeoutMs: config.timeoutMs,
    throttleWaitMs: wire.throttleWaitMs,
    settleMs: wire.transport.unansweredWrites > 0 ? config.timeoutMs : 0,
    unanswered: wire.transport.unansweredWrites,
    ...(scope.onStep ? { onStep: scope.onStep } : {}),
  };
}

/** The last write and read-back that were answered 200 (a retried blip is the restore's business, not a finding). */
function judgeRestore(scope: RestoreScope, original: OriginalState, exchanges: readonly Exchange[]): Evaluation[] {
  const { facts, checks, jobId } = scope;
  const where = { route: scope.wire.route, group: START_UP_GROUP, case: SCENARIO };
  const write = exchanges.filter((e) => e.request.body !== '{}').at(-1);
  const readBack = exchanges.filter((e) => e.request.body === '{}').at(-1);
  return [
    ...(write ? [evaluate(checks, write, { facts, expect: { kind: 'update', jobId, changes: original.fields } }, where)] : []),
    ...(readBack ? [evaluate(checks, readBack, { facts, expect: { kind: 'update', jobId, changes: {} } }, where)] : []),
  ];
}

/** The other jobs: read each, and put it back only if it is not as it was; the failures, a line each. */
async function restoreOthers(scope: RestoreScope, deadline: number): Promise<string[]> {
  const failures: string[] = [];
  for (const other of scope.others) {
    const reads: Exchange[] = [];
    const now = await putTo(scope, other.jobId, reads)({}, { timeoutMs: scope.config.timeoutMs });
    const end = () => endCheck(scope, other.jobId, scope.otherJobs.get(other.jobId), other, reads);
    if (now.kind === 'answered' && now.job !== undefined && sameFields(scope.facts, other, now.job)) {
      failures.push(...end());
      continue;
    }
    const restored = await restoreJob(putTo(scope, other.jobId, reads), scope.facts, other, policyUntil(scope, deadline));
    failures.push(...end());
    const why = scope.lanes.includes(other.jobId) ? '(a lane of the run)' : 'had changed during the run:';
    scope.log(scope.wire.redact(`job ${other.jobId} ${why} ${restored.kind === 'restored' ? 'put back' : 'NOT put back'} (${describeOriginal(other)})`));
    if (restored.kind === 'failed') failures.push(`job ${other.jobId} (${describeOriginal(other)}): ${restored.reason}`);
  }
  return failures;
}
