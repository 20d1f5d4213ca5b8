/**
 * The job guard: staging is shared, so whatever writes a job (the conformance run, pact:verify's provider states)
 * snapshots it before its first write and puts name, due and isProcessing back at the end (and on failure, and on
 * SIGINT/SIGTERM), then reads them back to confirm. One failure policy for every user: a restore that fails is loud,
 * lists the original values so a person can put them back by hand, and makes the command exit non-zero.
 */
import type { JobState } from '../conformance/checks/types';
import { sameFieldValue } from '../conformance/checks/values';
import { expectedJobValue, type ConformanceFacts } from '../conformance/facts';

export interface OriginalState {
  readonly jobId: number;
  /** The updatable fields' values as the Job showed them (absent fields are not listed). */
  readonly fields: Readonly<Record<string, unknown>>;
}

export type RestoreOutcome =
  | { readonly kind: 'restored' }
  | { readonly kind: 'failed'; readonly reason: string };

/** One PUT of `body` to the guarded job: the status and, on a 200 with a JSON object, the Job; or why there was none. */
export type JobPut = (
  body: Readonly<Record<string, unknown>>,
) => Promise<{ readonly kind: 'answered'; readonly status: number; readonly job: JobState | undefined } | { readonly kind: 'no-answer'; readonly reason: string }>;

export function snapshotOf(facts: ConformanceFacts, jobId: number, job: JobState): OriginalState {
  return {
    jobId,
    fields: Object.fromEntries(facts.updatableFields.filter((f) => job[f] !== undefined).map((f) => [f, job[f]])),
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

export function describeOriginal(original: OriginalState): string {
  return Object.entries(original.fields)
    .map(([field, value]) => `${field}=${JSON.stringify(value)}`)
    .join(', ');
}

/** Whether a Job shows the original values (date-times as instants, integer fields as sent back in their request form). */
export function sameFields(facts: ConformanceFacts, original: OriginalState, job: JobState): boolean {
  return Object.entries(original.fields).every(([field, value]) => sameFieldValue(facts, field, expectedJobValue(facts, field, value), job[field]));
}

/** Writes the original values back, then reads the job (PUT {}) and compares. */
export async function restoreJob(put: JobPut, facts: ConformanceFacts, original: OriginalState): Promise<RestoreOutcome> {
  const write = await put(restoreBody(facts, original));
  if (write.kind === 'no-answer') return { kind: 'failed', reason: `the restoring PUT got no answer (${write.reason})` };
  if (write.status !== 200) return { kind: 'failed', reason: `the restoring PUT got status ${write.status}` };
  const read = await put({});
  if (read.kind === 'no-answer' || read.status !== 200) {
    return { kind: 'failed', reason: 'the job could not be read back after restoring it' };
  }
  const job = read.job;
  if (job === undefined) return { kind: 'failed', reason: 'the job read back is not a JSON object' };
  const wrong = Object.entries(original.fields).filter(
    ([field, value]) => !sameFieldValue(facts, field, expectedJobValue(facts, field, value), job[field]),
  );
  if (wrong.length > 0) {
    return {
      kind: 'failed',
      reason: `read back after restoring: ${wrong.map(([field]) => `${field}=${JSON.stringify(job[field])}`).join(', ')}`,
    };
  }
  return { kind: 'restored' };
}

/** The block a failed restore prints, whoever wrote the job. */
export function loudRestoreFailure(target: string, original: OriginalState, reason: string): string {
  return [
    '',
    '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
    `!! RESTORE FAILED: job ${original.jobId} on ${target} may still hold test values.`,
    `!! ${reason}`,
    `!! Put these original values back by hand: ${describeOriginal(original)}`,
    '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
    '',
  ].join('\n');
}
