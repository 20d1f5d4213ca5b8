/**
 * Small builders for the checks' examples: a sample Job, a PUT, a response, an exchange, an oracle, and an example
 * with the result it must give. The values are the contract's own (its Job example, job 241).
 */
import type { ApiRequest, ApiResponse, AuthSpec, Exchange } from '../http/request';
import type { ConformanceFacts } from './facts';
import type { CheckExample, Expectation, JobState, Oracle } from './types';

/** The Job as the contract's examples show it. */
export const JOB: JobState = { id: 241, name: 'My New Job', due: '2021-06-03T13:43:00Z', isProcessing: 0, status: 'active' };
export const JOB_ID = 241;
export const MISSING_JOB_ID = '999999';

/** A PUT with a JSON body (a string is sent as written), by Basic auth with the API key unless told. */
export function put(body: unknown = {}, auth: AuthSpec = { kind: 'basic' }, idSegment = String(JOB_ID)): ApiRequest {
  return {
    method: 'PUT',
    idSegment,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    contentType: 'application/json',
    auth,
  };
}

/** A response with a JSON body (a string is the body as written); `contentType: null` sends none. */
export function answer(status: number, body: unknown, contentType: string | null = 'application/json; charset=utf-8'): ApiResponse {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  if (contentType === null) return { status, headers: {}, contentType: undefined, text };
  return { status, headers: { 'content-type': contentType }, contentType, text };
}

/** What a request that got no answer is recorded as. */
export function noAnswer(why: string): ApiResponse {
  return { status: 0, headers: {}, contentType: undefined, text: '', noAnswer: why };
}

export function exchange(response: ApiResponse, request: ApiRequest = put()): Exchange {
  return { request, response, durationMs: 1 };
}

/** A valid update of job 241 with `changes` (Job values). */
export function update(changes: Readonly<Record<string, unknown>> = {}, more: { readOnlySent?: Readonly<Record<string, unknown>> } = {}): Expectation {
  return { kind: 'update', jobId: JOB_ID, changes, ...more };
}

export function oracle(facts: ConformanceFacts, expect: Expectation = { kind: 'observe', rule: 'response.schema' }, extra: Omit<Partial<Oracle>, 'facts' | 'expect'> = {}): Oracle {
  return { facts, expect, ...extra };
}

export function passes(title: string, on: Exchange, given: Oracle): CheckExample {
  return { title, exchange: on, oracle: given, result: 'pass' };
}

/** `actualContains`: a piece of the failure's `actual` text. */
export function fails(title: string, on: Exchange, given: Oracle, actualContains?: string): CheckExample {
  return actualContains === undefined
    ? { title, exchange: on, oracle: given, result: 'fail' }
    : { title, exchange: on, oracle: given, result: 'fail', actualContains };
}

export function doesNotApply(title: string, on: Exchange, given: Oracle): CheckExample {
  return { title, exchange: on, oracle: given, result: 'not-applicable' };
}

/** An open input (`due` sent in a form BEHAVIOUR.md leaves open): if accepted, `name` must round-trip. */
export const OPEN_INPUT: Expectation = { kind: 'observe', rule: 'body.due-open-forms', ifAccepted: { jobId: JOB_ID, changes: { name: 'n' }, unjudged: ['due'] } };
export const OPEN_REQUEST = put({ name: 'n', due: '2031-01-02 03:04:05+09' });

/** Invalid data: an isProcessing outside its enum, with valid credentials. */
export const INVALID = put({ isProcessing: '2' });

/** A body that inflates past the cap (a compression bomb), and one in a coding the run does not read. */
export const GZIP_BOMB = { kind: 'decoded', codings: ['gzip'], wireBytes: 522_528 } as const;
export const X_CUSTOM = {
  ...answer(200, ''),
  headers: { 'content-type': 'application/json; charset=utf-8', 'content-encoding': 'x-custom' },
  coding: { kind: 'not-decoded', codings: ['x-custom'], reason: 'x-custom is not a coding the run reads (it reads gzip, deflate and br)' },
} as const;
