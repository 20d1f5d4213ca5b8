/**
 * What the arbitraries produce: an input plus what BEHAVIOUR.md says must happen to it. The oracle (the checks) judges
 * a response against `expectation`; it never re-derives the verdict from the value.
 */
import type { RuleId } from '../contract/rules';

/** What BEHAVIOUR.md says must happen to an input. */
export type Expectation =
  /** Must be accepted (200, and the change applied). */
  | 'accept'
  /** Must be refused (a 4xx with the Error body), leaving the job unchanged. */
  | 'reject'
  /** BEHAVIOUR.md allows both: accepting and refusing are conformant (no verdict on that; never a 5xx still holds). */
  | 'open';

/** One value for one body field. `value` is always JSON-safe: `JSON.parse(JSON.stringify(value))` deep-equals it. */
export interface FieldCase<T> {
  readonly value: T;
  readonly expectation: Expectation;
  /** Why this value, e.g. 'rfc3339 lowercase t', 'enum near-miss "00"'. */
  readonly label: string;
  /** For an 'open' value: the open rule of contracts/BEHAVIOUR.md that leaves it open. */
  readonly rule?: RuleId;
}

/**
 * The values the job must show after an accepted update, keyed by Job property name: isProcessing as the integer,
 * due as sent (compare instants, not text). Fields absent here must be unchanged.
 */
export interface ExpectedChanges {
  readonly name?: string;
  readonly due?: string;
  readonly isProcessing?: number;
  /** Any other updatable field a newer contract adds (request and Job property of the same name). */
  readonly [field: string]: string | number | undefined;
}

export interface BodyCase {
  /** The exact body text to send (may be malformed JSON or a non-object), or undefined for no body. */
  readonly text: string | undefined;
  /** Accept only if every field accepts; reject if any field or the body shape rejects; open otherwise. */
  readonly expectation: Expectation;
  /**
   * For 'accept': the updatable fields' values the job must show after it. For 'open': the same for the fields that
   * are themselves accepted, to hold if the target answers 200 (`unjudgedFields` may take either value).
   * For 'reject': empty (the job must be unchanged).
   */
  readonly expectedChanges: ExpectedChanges;
  /** Updatable fields whose value after an 'open' body is not judged (the field itself was open). Empty otherwise. */
  readonly unjudgedFields: readonly string[];
  readonly labels: readonly string[];
  /** For an 'open' body: the open rule of contracts/BEHAVIOUR.md that leaves it open. */
  readonly rule?: RuleId;
}

export interface IdCase {
  /**
   * The path segment exactly as sent, percent-encoded where needed. Send it verbatim: some cases are deliberately
   * malformed percent-encoding ('%zz'), which a URL library would "fix".
   */
  readonly segment: string;
  /**
   * existing: the update proceeds (200). missing: 404 with the Error body. invalid: a 4xx (400 or 404) with the
   * Error body. open: either 200 for the job it could be read as, or a 4xx; neither is a fault.
   */
  readonly expectation: 'existing' | 'missing' | 'invalid' | 'open';
  readonly label: string;
  /** For an 'open' id: the open rule that leaves it open. */
  readonly rule?: RuleId;
}

export type AuthKind = 'basic' | 'query' | 'none' | 'wrong-basic' | 'wrong-query' | 'malformed-header';

export interface AuthCase {
  readonly kind: AuthKind;
  /** For malformed-header: the Authorization header value. Built without the real key (the generator never sees it). */
  readonly header?: string;
  /**
   * For wrong-basic (used as both username and password) and wrong-query (the query parameter's value): a made-up
   * key. The sender should skip the case in the astronomically unlikely event that it equals the real key.
   */
  readonly wrongKey?: string;
  /** For query and wrong-query: the query parameter's name, from the contract's apiKey security scheme. */
  readonly queryParameter?: string;
  readonly expectation: 'authorized' | 'unauthorized';
  readonly label: string;
}

/** A read-only Job field or an unknown key, sent in a body: it must change nothing. */
export interface ExtraField {
  readonly key: string;
  readonly value: unknown;
  readonly label: string;
}
