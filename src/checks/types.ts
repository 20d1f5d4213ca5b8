/**
 * A check is a declaration: its id, group and rule; what it applies to (the expectations it judges, the oracle fields
 * it needs, conditions on the exchange); examples with the result they must give; and a body that is only the
 * judgement. Given one exchange (a request and its response) and the oracle (what the request expects, and what the
 * run knew before and learnt after), it passes, fails with what was expected and what came back, or does not apply.
 * Its id is the rule it enforces. `defineCheck` (declaration.ts) builds one; `judge` (oracle.ts) applies the
 * declaration before it calls the body.
 */
import type { Exchange } from '../http/request';
import type { ConformanceFacts } from './facts';
import type { AdviceId, RuleId } from '../contract/rules';

/** The check groups, in report order (group 1 to 5; the coverage, properties and envelope groups are kinds of case, judged by these). */
export const CHECK_GROUPS = ['schema', 'semantics', 'negative', 'ids', 'auth'] as const;
export type CheckGroup = (typeof CHECK_GROUPS)[number];

/** A Job as a response carries it (parsed JSON object). */
export type JobState = Readonly<Record<string, unknown>>;

/** What the request expects of the target (its `rule`: the statement of contracts/BEHAVIOUR.md it applies). */
export type Expectation = Expected & {
  /** The rule the expectation applies; by default its kind's (DEFAULT_RULES). */
  readonly rule?: RuleId;
  /**
   * The side of an open choice we would prefer (an ADVICE entry): the request is judged against `expect` too, and
   * what fails there is an advisory (reported apart, never failing the run unless --fail-on-advisory).
   */
  readonly prefer?: Preference;
};

export interface Preference {
  readonly advice: AdviceId;
  readonly expect: Expected;
}

export type Expected =
  /**
   * An input BEHAVIOUR.md leaves open: accepting and refusing are both conformant. Response conformance (group 1)
   * judges it; if `ifAccepted` is given and the target answers 200, the fields it names must round-trip and the
   * others (but the `unjudged`) stay as they were. Its rule is required: the open rule, or what it observes.
   */
  | {
      readonly kind: 'observe';
      readonly rule: RuleId;
      readonly ifAccepted?: {
        readonly jobId: number;
        readonly changes: Readonly<Record<string, unknown>>;
        readonly unjudged: readonly string[];
        /** Fields that must show one of these values (a key sent twice: one of its valid values wins). */
        readonly oneOf?: Readonly<Record<string, readonly unknown[]>>;
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
  | { readonly kind: 'unauthorized' }
  /**
   * A read (PUT {}) of another job than the one just written (`written`): that job is as it was before the write
   * (`before`), and comes back with its own id.
   */
  | { readonly kind: 'other-job'; readonly jobId: number; readonly written: number };

/** The rule an expectation of each kind applies when it names none (an `observe` always names its own). */
export const DEFAULT_RULES: Readonly<Record<Exclude<Expected['kind'], 'observe'>, RuleId>> = {
  update: 'update.round-trip',
  reject: 'body.invalid-value-4xx',
  'not-found': 'id.missing-job-404',
  'invalid-id': 'id.invalid-4xx',
  unauthorized: 'auth.refused-401',
  'other-job': 'update.other-jobs-unchanged',
};

/** The rule an expectation applies. */
export function ruleOfExpectation(expect: Expected & { readonly rule?: RuleId }): RuleId {
  return expect.kind === 'observe' ? expect.rule : (expect.rule ?? DEFAULT_RULES[expect.kind]);
}

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
  /**
   * Job properties the run has seen move on their own (they differed between two back-to-back reads of the job with
   * nothing else sent to it): server-maintained on a live job, so no comparison judges them.
   */
  readonly drifting?: ReadonlySet<string>;
}

export type CheckResult =
  | { readonly status: 'pass' }
  | { readonly status: 'not-applicable' }
  | {
      readonly status: 'fail';
      readonly expected: string;
      readonly actual: string;
      /**
       * The Job properties the failure is about, when it is only about properties that changed (a comparison of two
       * states): if the run finds one to move on its own (a live job), the finding is withdrawn.
       */
      readonly properties?: readonly string[];
    };

export type ExpectationKind = Expectation['kind'];

/**
 * The requests a check judges, by what they expect: an Expectation kind, or `observe.ifAccepted`, an open input that
 * names what must round-trip if the target accepts it (a plain `observe` asks nothing beyond group 1).
 */
export type Target = ExpectationKind | 'observe.ifAccepted';

/** Every response the run gets, whatever its request expected; or only the requests expecting one of the targets. */
/** `every request`: also the requests that got no answer (only schema.answered judges those). */
export type AppliesTo = 'every response' | 'every request' | readonly Target[];

/** Oracle fields a check cannot judge without: it does not apply to an exchange the run gave none. */
export type Need = 'before' | 'after' | 'earlier' | 'otherMethod';

/**
 * Conditions on the exchange itself: `status 200`; `a documented status` (an explicit code, or an error under
 * `default`); `a valid key` (the request sends the API key, by Basic auth or the key query parameter).
 */
export type Condition = 'status 200' | 'a documented status' | 'a valid key';

/** The update a 200 must show: a valid update's changes, or an open input's `ifAccepted`. */
export interface AcceptedUpdate {
  readonly jobId: number;
  readonly changes: Readonly<Record<string, unknown>>;
  /** Fields whose value is not judged (an open value was sent). */
  readonly unjudged: readonly string[];
  /** Fields that must show one of these values (and are not held to `before`). */
  readonly oneOf?: Readonly<Record<string, readonly unknown[]>>;
}

type KindOf<T extends Target> = T extends 'observe.ifAccepted' ? 'observe' : T;

/** The expectation a check declared for `appliesTo` can meet. */
export type ExpectationFor<A extends AppliesTo> = A extends readonly (infer T extends Target)[]
  ? Extract<Expectation, { kind: KindOf<T> }>
  : Expectation;

/**
 * What a body is given: the oracle, its expectation narrowed to the declared targets, the declared needs present,
 * and, for a check of accepted updates only, the update the Job must show.
 */
export type Given<A extends AppliesTo, N extends Need> = Omit<Oracle, 'expect' | N> & {
  readonly expect: ExpectationFor<A>;
} & { readonly [P in N]-?: NonNullable<Oracle[P]> } & (A extends readonly ('update' | 'observe.ifAccepted')[]
    ? { readonly accepted: AcceptedUpdate }
    : unknown);

/** The result an example must give; a failure's `actual` must contain `actualContains` when it is given. */
export type ExampleResult =
  | { readonly result: 'pass' }
  | { readonly result: 'not-applicable' }
  | { readonly result: 'fail'; readonly actualContains?: string };

/** An exchange and its oracle, with the result the check must give (a unit test, and a line of docs/checks.md). */
export type CheckExample = {
  /** What it shows, in a few words ("a 201 Created"). */
  readonly title: string;
  readonly exchange: Exchange;
  readonly oracle: Oracle;
} & ExampleResult;

export interface Check {
  /** The rule's name, e.g. `schema.status-documented`. */
  readonly id: string;
  readonly group: CheckGroup;
  /** The rule, in one sentence. */
  readonly rule: string;
  /** The statements of contracts/BEHAVIOUR.md it enforces (rules.ts): where the rule comes from. */
  readonly rules: readonly [RuleId, ...RuleId[]];
  readonly appliesTo: AppliesTo;
  readonly needs: readonly Need[];
  readonly when: readonly Condition[];
  /**
   * Its examples, built once the contract's facts are loaded (each oracle holds them); building one must not read
   * them (check-examples.test.ts lists the examples before the contract loads).
   */
  readonly examples: (facts: ConformanceFacts) => readonly CheckExample[];
  /**
   * The body: the judgement alone, for an exchange the declaration applies to. Call it through `judge` (oracle.ts),
   * which applies the declaration first; on an exchange it does not apply to, its verdict means nothing.
   */
  readonly judgement: (exchange: Exchange, oracle: Oracle) => CheckResult;
}

export const PASS: CheckResult = { status: 'pass' };
/** For a data-dependent reason only (an unparsable Job, nothing sent to judge): the declaration holds the rest. */
export const NOT_APPLICABLE: CheckResult = { status: 'not-applicable' };
export function fail(expected: string, actual: string): CheckResult {
  return { status: 'fail', expected, actual };
}

/** A failure about Job properties that changed (`properties`): withdrawn if one of them turns out to move on its own. */
export function failOnProperties(expected: string, changes: ReadonlyArray<{ readonly field: string; readonly text: string }>): CheckResult {
  return { status: 'fail', expected, actual: changes.map((c) => c.text).join('; '), properties: changes.map((c) => c.field) };
}
