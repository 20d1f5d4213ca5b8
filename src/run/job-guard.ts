/**
 * The job guard: staging is shared, so whatever writes a job (the conformance run, pact:verify's provider states)
 * snapshots it before its first write and puts name, due and isProcessing back at the end (and on failure, and on
 * SIGINT/SIGTERM), then reads them back to confirm. One failure policy for every user: the restoring PUT (it is
 * idempotent) and its read-back are retried with backoff, honouring 429 and Retry-After, within a budget
 * (--restore-timeout); only then the restore has failed, which is loud, lists the original values so a person can put
 * them back by hand, and makes the command exit non-zero.
 *
 * A field the job does not have is never written by a run (the API cannot unset one): the snapshot names those
 * (`absent`), the run leaves them out, and the closing line says so instead of "restored".
 */
import type { JobState } from '../checks/types';
import { sameFieldValue } from '../checks/values';
import { expectedJobValue, type ConformanceFacts } from '../checks/facts';
import { oneLineJson } from '../http/one-line-json';
import { retryAfterOf } from '../http/rate-limiter';

export interface OriginalState {
  readonly jobId: number;
  /** The updatable fields' values as the Job showed them (absent fields are not listed). */
  readonly fields: Readonly<Record<string, unknown>>;
  /** Updatable fields the Job does not have: the API cannot unset one, so a run never writes them. */
  readonly absent: readonly string[];
}

export type RestoreOutcome =
  /** `retries`: tries beyond the first of each request (a blip survived). */
  | { readonly kind: 'restored'; readonly retries: number }
  | { readonly kind: 'failed'; readonly reason: string; readonly retries: number };

/** What one PUT of the guard came to: the status, the Job on a 200 with a JSON object, Retry-After; or why none. */
export type JobPutAnswer =
  | { readonly kind: 'answered'; readonly status: number; readonly job: JobState | undefined; readonly retryAfter?: string | undefined }
  | { readonly kind: 'no-answer'; readonly reason: string };

/** One PUT of `body` to the guarded job, within `timeoutMs`. */
export type JobPut = (body: Readonly<Record<string, unknown>>, limits: { readonly timeoutMs: number }) => Promise<JobPutAnswer>;

/** What the restore is doing, as it goes (a second signal prints the latest). */
export type RestoreStep =
  | { readonly kind: 'attempt'; readonly what: RestoreRequest; readonly attempt: number; readonly leftMs: number }
  | { readonly kind: 'retry-wait'; readonly what: RestoreRequest; readonly attempt: number; readonly waitMs: number; readonly why: string; readonly leftMs: number }
  | { readonly kind: 'settle-wait'; readonly waitMs: number; readonly unanswered: number };

export type RestoreRequest = 'the restoring PUT' | 'the read-back';

export interface RestorePolicy {
  /** The whole restore's budget: every attempt and wait fits in it (--restore-timeout). */
  readonly budgetMs: number;
  /** Each attempt's timeout at most (--timeout-ms); less when the budget has less left. */
  readonly attemptTimeoutMs: number;
  /** The wait after a 429 without Retry-After (the document's 60 s). */
  readonly throttleWaitMs: number;
  /**
   * When writes of the run got no answer (they may still land): after a good read-back, wait this long and read
   * again; a change means one landed, and the job is put back again. 0: no second read.
   */
  readonly settleMs?: number;
  readonly unanswered?: number;
  readonly onStep?: (step: RestoreStep) => void;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** For callers without flags of their own (pact verify): the run's defaults. */
export const DEFAULT_RESTORE_POLICY: RestorePolicy = { budgetMs: 120_000, attemptTimeoutMs: 10_000, throttleWaitMs: 60_000 };

/** Statuses worth another try of an idempotent PUT: the target was busy or briefly broken, not refusing it. */
const RETRYABLE = new Set([408, 425, 429, 500, 502, 503, 504]);
/** Backoff between tries without a Retry-After: 250 ms, doubling, at most 8 s. */
export function backoffMs(attempt: number): number {
  return Math.min(8_000, 250 * 2 ** Math.max(0, attempt - 1));
}

export function snapshotOf(facts: ConformanceFacts, jobId: number, job: JobState): OriginalState {
  return {
    jobId,
    fields: Object.fromEntries(facts.updatableFields.filter((f) => job[f] !== undefined).map((f) => [f, job[f]])),
    absent: facts.updatableFields.filter((f) => job[f] === undefined),
  };
}

/**
 * The request body that puts the original values back: each in the request's representation (an integer Job value
 * goes back as the string the request enum has, when it has one).
 */
export function restoreBody(facts: ConformanceFacts, original: OriginalState): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(original.fields)) {
    const schema = facts.requestFields[field];
    if (schema?.type === 'string' && typeof value === 'number') body[field] = String(value);
    else body[field] = value;
  }
  return body;
}

export function describeOriginal(original: Pick<OriginalState, 'fields'>): string {
  return Object.entries(original.fields)
    .map(([field, value]) => `${field}=${oneLineJson(value)}`)
    .join(', ');
}

/** Whether a Job shows the original values (date-times as instants, integer fields as sent back in their request form). */
export function sameFields(facts: ConformanceFacts, original: OriginalState, job: JobState): boolean {
  return Object.entries(original.fields).every(([field, value]) => sameFieldValue(facts, field, expectedJobValue(facts, field, value), job[field]));
}

/** The fields a run never wrote, in words (empty when there are none). */
export function describeAbsent(original: Pick<OriginalState, 'absent'>): string {
  if (original.absent.length === 0) return '';
  const fields = original.absent.join(', ');
  return `${fields} ${original.absent.length === 1 ? 'was' : 'were'} never written (the job had none, and the API cannot unset a field)`;
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

type Tried = { readonly kind: 'ok'; readonly job: JobState | undefined } | { readonly kind: 'gave-up'; readonly reason: string };

/**
 * Writes the original values back, then reads the job (PUT {}) and compares; each PUT retried within the budget, and
 * the whole round again if the read-back shows other values (a late write may have landed in between).
 */
export async function restoreJob(put: JobPut, facts: ConformanceFacts, original: OriginalState, policy: RestorePolicy = DEFAULT_RESTORE_POLICY): Promise<RestoreOutcome> {
  const now = policy.now ?? (() => Date.now());
  const sleep = policy.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const deadline = now() + policy.budgetMs;
  const left = () => deadline - now();
  let retries = 0;

  /** One request until it gets a 200, is refused for good, or the budget cannot hold another try. */
  const tryHard = async (what: RestoreRequest, body: Readonly<Record<string, unknown>>): Promise<Tried> => {
    for (let attempt = 1; ; attempt += 1) {
      policy.onStep?.({ kind: 'attempt', what, attempt, leftMs: left() });
      if (attempt > 1) retries += 1;
      const answer = await put(body, { timeoutMs: Math.max(1, Math.min(policy.attemptTimeoutMs, left())) });
      if (answer.kind === 'answered' && answer.status === 200) return { kind: 'ok', job: answer.job };
      const last = answer.kind === 'no-answer' ? `no answer (${answer.reason})` : `status ${answer.status}`;
      if (answer.kind === 'answered' && !RETRYABLE.has(answer.status)) {
        return { kind: 'gave-up', reason: `${what} got ${last}, which another try would not change` };
      }
      let waitMs = backoffMs(attempt);
      let why = last;
      if (answer.kind === 'answered' && (answer.status === 429 || answer.retryAfter !== undefined)) {
        const asked = retryAfterOf(answer.retryAfter, answer.status === 429 ? policy.throttleWaitMs : waitMs);
        waitMs = Math.max(waitMs, asked.ms);
        why = `${last}, ${asked.said}`;
      }
      if (waitMs >= left()) {
        return {
          kind: 'gave-up',
          reason: `${what} failed ${attempt} time(s) within the restore's ${seconds(policy.budgetMs)} (last: ${why}; the next try would be past it)`,
        };
      }
      policy.onStep?.({ kind: 'retry-wait', what, attempt, waitMs, why, leftMs: left() });
      await sleep(waitMs);
    }
  };
  const wrongIn = (job: JobState) =>
    Object.entries(original.fields).filter(([field, value]) => !sameFieldValue(facts, field, expectedJobValue(facts, field, value), job[field]));

  let settled = (policy.settleMs ?? 0) <= 0;
  for (let round = 1; ; round += 1) {
    const write = await tryHard('the restoring PUT', restoreBody(facts, original));
    if (write.kind === 'gave-up') return { kind: 'failed', reason: write.reason, retries };
    const read = await tryHard('the read-back', {});
    if (read.kind === 'gave-up') return { kind: 'failed', reason: read.reason, retries };
    if (read.job === undefined) return { kind: 'failed', reason: 'the job read back is not a JSON object', retries };
    const wrong = wrongIn(read.job);
    if (wrong.length === 0 && !settled) {
      // Writes that got no answer may still land: wait as long as one could take, and read again.
      settled = true;
      const waitMs = Math.min(policy.settleMs ?? 0, Math.max(0, left() - policy.attemptTimeoutMs));
      policy.onStep?.({ kind: 'settle-wait', waitMs, unanswered: policy.unanswered ?? 0 });
      await sleep(waitMs);
      const again = await tryHard('the read-back', {});
      if (again.kind === 'gave-up') return { kind: 'failed', reason: again.reason, retries };
      if (again.job === undefined) return { kind: 'failed', reason: 'the job read back is not a JSON object', retries };
      const late = wrongIn(again.job);
      if (late.length === 0) return { kind: 'restored', retries };
      if (left() <= policy.attemptTimeoutMs) {
        return { kind: 'failed', reason: `a late write landed after the restore: ${late.map(([f]) => `${f}=${oneLineJson(again.job?.[f])}`).join(', ')}`, retries };
      }
      continue; // put back again
    }
    if (wrong.length === 0) return { kind: 'restored', retries };
    if (round >= 3 || left() <= backoffMs(round) + policy.attemptTimeoutMs) {
      return {
        kind: 'failed',
        reason: `read back after restoring: ${wrong.map(([field]) => `${field}=${oneLineJson(read.job?.[field])}`).join(', ')}`,
        retries,
      };
    }
    await sleep(backoffMs(round));
  }
}

/**
 * The block a failed restore prints, whoever wrote the job. `command`: a ready command that puts the values back
 * (the key in it as $LILT_API_KEY, never its value), when the caller can give one.
 */
export function loudRestoreFailure(target: string, original: OriginalState, reason: string, command?: string): string {
  const absent = describeAbsent(original);
  return [
    '',
    '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
    `!! RESTORE FAILED: job ${original.jobId} on ${target} may still hold test values.`,
    `!! ${reason}`,
    `!! Put these original values back by hand: ${describeOriginal(original)}`,
    ...(command === undefined ? [] : ['!! This puts them back (with LILT_API_KEY exported; then read the job to check):', command]),
    ...(absent ? [`!! (${absent}.)`] : []),
    '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
    '',
  ].join('\n');
}
