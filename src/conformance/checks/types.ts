/**
 * A check is a small named unit: given one exchange (a request and its response) and the oracle (what the request
 * expects, and what the run knew before and learnt after), it passes, fails with what was expected and what came
 * back, or does not apply. Its id is the rule it enforces.
 */
import type { Exchange } from '../../http/request';
import type { ConformanceFacts } from '../facts';

export type CheckGroup = 'schema' | 'semantics' | 'negative' | 'ids' | 'auth';

/** A Job as a response carries it (parsed JSON object). */
export type JobState = Readonly<Record<string, unknown>>;

/** What the request expects of the target. */
export type Expectation =
  /**
   * An input BEHAVIOUR.md leaves open: accepting and refusing are both conformant. Response conformance (group 1)
   * judges it; if `ifAccepted` is given and the target answers 200, the fields it names must round-trip and the
   * others (but the `unjudged`) stay as they were.
   */
  | {
      readonly kind: 'observe';
      readonly ifAccepted?: {
        readonly jobId: number;
        readonly changes: Readonly<Record<string, unknown>>;
        readonly unjudged: readonly string[];
      };
    }
  /** A valid update of the job: 200 with the Job, `changes` applied (Job values), nothing else changed. */
  | {
      readonly kind: 'update';
      readonly jobId: number;
      readonly changes: Readonly<Record<string, unknown>>;
      /** Read-only Job fields sent in the body, with the values sent: they must not take effect. */
      readonly readOnlySent?: Readonly<Record<string, unknown>>;
    }
  /** Invalid data with valid credentials: a 4xx with the Error body, the job unchanged. */
  | { readonly kind: 'reject' }
  /** The missing job id: 404. */
  | { readonly kind: 'not-found' }
  /** A path id that is not a positive integer: a 4xx with the Error body. */
  | { readonly kind: 'invalid-id' }
  /** No, wrong or malformed credentials: 401, the job unchanged. */
  | { readonly kind: 'unauthorized' };

export interface Oracle {
  readonly facts: ConformanceFacts;
  readonly expect: Expectation;
  /** The job's state just before the request, when known. */
  readonly before?: JobState;
  /** The job's state read back after the request (refusals), when read. */
  readonly after?: JobState;
  /** The same request, sent earlier in the same state (idempotence). */
  readonly earlier?: Exchange;
  /** The same request with the other valid auth method. */
  readonly otherMethod?: Exchange;
}

export type CheckResult =
  | { readonly status: 'pass' }
  | { readonly status: 'not-applicable' }
  | { readonly status: 'fail'; readonly expected: string; readonly actual: string };

export interface Check {
  /** The rule's name, e.g. `response.status-documented`. */
  readonly id: string;
  readonly group: CheckGroup;
  /** The rule, in one sentence. */
  readonly rule: string;
  run(exchange: Exchange, oracle: Oracle): CheckResult;
}

export const PASS: CheckResult = { status: 'pass' };
export const NOT_APPLICABLE: CheckResult = { status: 'not-applicable' };
export function fail(expected: string, actual: string): CheckResult {
  return { status: 'fail', expected, actual };
}

/** The update a 200 must show: a valid update's, or an open input's when the target accepted it. */
export function acceptedUpdate(
  expect: Expectation,
  status: number,
): { jobId: number; changes: Readonly<Record<string, unknown>>; unjudged: readonly string[] } | undefined {
  if (expect.kind === 'update') return { jobId: expect.jobId, changes: expect.changes, unjudged: [] };
  if (expect.kind === 'observe' && expect.ifAccepted !== undefined && status === 200) return expect.ifAccepted;
  return undefined;
}
