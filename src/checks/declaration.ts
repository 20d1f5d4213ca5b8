/**
 * What a check's declaration means: `defineCheck` turns a declaration into a registry entry, `applies` decides
 * whether the declaration covers an exchange (`judge` in oracle.ts asks it before it calls the body), and
 * `describeApplicability` says the same in words for docs/checks.md.
 */
import type { AuthSpec, Exchange } from '../http/request';
import type { ConformanceFacts } from './facts';
import type { RuleId } from '../contract/rules';
import type {
  AcceptedUpdate,
  AppliesTo,
  Check,
  CheckExample,
  CheckGroup,
  CheckResult,
  Condition,
  Expectation,
  Given,
  Need,
  Oracle,
  Target,
} from './types';

export interface CheckDeclaration<A extends AppliesTo, N extends Need> {
  readonly id: string;
  readonly group: CheckGroup;
  readonly rule: string;
  /** The statements of contracts/BEHAVIOUR.md it enforces (rules.ts): where it comes from. */
  readonly rules: readonly [RuleId, ...RuleId[]];
  readonly appliesTo: A;
  readonly needs?: readonly N[];
  readonly when?: readonly Condition[];
  /** At least one passing and one failing example; a not-applicable one where the line is worth showing. */
  readonly examples: (facts: ConformanceFacts) => readonly CheckExample[];
  /** The judgement alone: the declaration has been applied before it is called. */
  judge(exchange: Exchange, given: Given<A, N>): CheckResult;
}

export function defineCheck<const A extends AppliesTo, const N extends Need = never>(declaration: CheckDeclaration<A, N>): Check {
  const { id, group, rule, rules, appliesTo, needs = [], when = [], examples, judge } = declaration;
  return {
    id,
    group,
    rule,
    rules,
    appliesTo,
    needs,
    when,
    examples,
    judgement: (exchange, oracle) => {
      const accepted = acceptedUpdateOf(oracle.expect);
      // `judge` (oracle.ts) calls this only where `applies` holds for this very declaration: the targets it names
      // (so the expectation is of their kinds, and `accepted` is there when they are accepted updates only) and the
      // needs it lists (present). That is what Given<A, N> states; the compiler cannot follow it through `applies`
      // (a conditional type on A), hence the one cast, here and nowhere else.
      const given: unknown = { ...oracle, accepted };
      return judge(exchange, given as Given<A, N>);
    },
  };
}

/** Whether the declaration covers the exchange: a target matches its expectation, its needs are there, its conditions hold. */
export function applies(check: Pick<Check, 'appliesTo' | 'needs' | 'when'>, exchange: Exchange, oracle: Oracle): boolean {
  // A request that got no answer has nothing to judge but that.
  if (exchange.response.noAnswer !== undefined) return check.appliesTo === 'every request';
  if (check.appliesTo === 'every request' || check.appliesTo === 'every response') {
    // every one
  } else if (!check.appliesTo.some((target) => targets(target, oracle.expect))) return false;
  if (check.needs.some((need) => oracle[need] === undefined)) return false;
  return check.when.every((condition) => holds(condition, exchange, oracle.facts));
}

function targets(target: Target, expect: Expectation): boolean {
  if (target === 'observe.ifAccepted') return expect.kind === 'observe' && expect.ifAccepted !== undefined;
  return expect.kind === target;
}

function holds(condition: Condition, { request, response }: Exchange, facts: ConformanceFacts): boolean {
  switch (condition) {
    case 'status 200':
      return response.status === 200;
    case 'a documented status':
      return isDocumentedStatus(facts, response.status);
    case 'a valid key':
      return sendsOnlyTheKey(request.auth);
  }
}

/**
 * Whether the request's credentials are all the API key, and there is one: Basic with the key, the key query
 * parameter, or both together (the Basic scheme spelled in any case, with any spaces RFC 9110 allows).
 */
export function sendsOnlyTheKey(auth: AuthSpec): boolean {
  if (auth.kind === 'basic' || auth.kind === 'query') return true;
  if (auth.kind !== 'credentials') return false;
  const basicOk = auth.basic === undefined || (auth.basic.user === 'key' && auth.basic.password === 'key');
  const queryOk = (auth.query ?? []).every((form) => form === 'key');
  return (auth.basic !== undefined || (auth.query ?? []).length > 0) && basicOk && queryOk;
}

/** An explicit code, or an error under `default`: `default` covers errors only, not a success or redirect (BEHAVIOUR.md). */
export function isDocumentedStatus(facts: ConformanceFacts, status: number): boolean {
  return facts.explicitStatuses.includes(status) || (facts.hasDefault && status >= 400);
}

/** The update a 200 must show, if the expectation names one: a valid update's, or an open input's `ifAccepted`. */
export function acceptedUpdateOf(expect: Expectation): AcceptedUpdate | undefined {
  if (expect.kind === 'update') return { jobId: expect.jobId, changes: expect.changes, unjudged: [] };
  if (expect.kind === 'observe') return expect.ifAccepted;
  return undefined;
}

const TARGET_TEXT: Readonly<Record<Target, string>> = {
  update: 'a valid update (`update`)',
  observe: 'an input BEHAVIOUR.md leaves open (`observe`)',
  'observe.ifAccepted': 'an open input that names what must round-trip if accepted (`observe` with `ifAccepted`)',
  reject: 'invalid data with valid credentials (`reject`)',
  'not-found': 'the missing job (`not-found`)',
  'invalid-id': 'a path id that is not a positive integer (`invalid-id`)',
  unauthorized: 'no, a wrong or a malformed credential (`unauthorized`)',
  'other-job': 'a read of another job after the run wrote its own (`other-job`)',
};

const NEED_TEXT: Readonly<Record<Need, string>> = {
  before: "the job's state before the request is known (`before`)",
  after: 'the job was read back after the request (`after`)',
  earlier: 'the same request was sent just before (`earlier`)',
  otherMethod: 'the same request was sent with the other auth method (`otherMethod`)',
};

const CONDITION_TEXT: Readonly<Record<Condition, string>> = {
  'status 200': 'the status is 200',
  'a documented status': 'the status is documented (an explicit code, or an error under `default`)',
  'a valid key': 'the request sends the valid key (Basic auth or the key query parameter)',
};

/** The declaration in words: "Every response" or "Requests that expect ...", then "; only when ..." for the rest. */
export function describeApplicability(check: Pick<Check, 'appliesTo' | 'needs' | 'when'>): string {
  const what =
    check.appliesTo === 'every request'
      ? 'Every request the run sends, answered or not'
      : check.appliesTo === 'every response'
      ? 'Every response'
      : `Requests that expect ${orList(check.appliesTo.map((target) => TARGET_TEXT[target]))}`;
  const only = [...check.when.map((condition) => CONDITION_TEXT[condition]), ...check.needs.map((need) => NEED_TEXT[need])];
  return only.length === 0 ? `${what}.` : `${what}; only when ${andList(only)}.`;
}

function orList(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

function andList(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
