/**
 * Staging is shared: the run reads the job before its first write and puts name, due and isProcessing back at the
 * end (and on failure, and on SIGINT/SIGTERM), then reads them back to confirm. A restore that fails is loud and
 * lists the original values, so a person can put them back by hand.
 */
import type { ApiRequest, SendOutcome, ValidAuth } from '../http/request';
import type { JobState } from './checks/types';
import { jobOf, sameFieldValue } from './checks/values';
import { expectedJobValue, type ConformanceFacts } from './facts';

export interface OriginalState {
  readonly jobId: number;
  /** The updatable fields' values as the Job showed them (absent fields are not listed). */
  readonly fields: Readonly<Record<string, unknown>>;
}

export type RestoreOutcome =
  | { readonly kind: 'restored' }
  | { readonly kind: 'failed'; readonly reason: string };

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

export async function restoreJob(
  send: (request: ApiRequest) => Promise<SendOutcome>,
  facts: ConformanceFacts,
  original: OriginalState,
  auth: ValidAuth,
): Promise<RestoreOutcome> {
  const idSegment = String(original.jobId);
  const body = restoreBody(facts, original);
  const write = await send({ method: facts.method, idSegment, body: JSON.stringify(body), contentType: 'application/json', auth });
  if (write.kind !== 'response') return { kind: 'failed', reason: `the restoring PUT got no answer (${write.kind})` };
  if (write.exchange.response.status !== 200) {
    return { kind: 'failed', reason: `the restoring PUT got status ${write.exchange.response.status}` };
  }
  const read = await send({ method: facts.method, idSegment, body: '{}', contentType: 'application/json', auth });
  if (read.kind !== 'response' || read.exchange.response.status !== 200) {
    return { kind: 'failed', reason: 'the job could not be read back after restoring it' };
  }
  const job = jobOf(read.exchange.response);
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
