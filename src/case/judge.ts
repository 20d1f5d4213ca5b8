/**
 * Runs the registry's checks on one exchange with its oracle: the verdict of each check, and a Finding for each
 * failure. Each check's declaration decides first whether it applies (group 1 to every response, the others to the
 * expectations they name, with the oracle fields and conditions they declare); only then is its body asked.
 */
import { ADVICE, sourcesOf, type RuleId } from '../contract/rules';
import type { Exchange } from '../http/request';
import type { Route } from '../http/target-url';
import { applies } from '../checks/declaration';
import { NOT_APPLICABLE, ruleOfExpectation, type Check, type CheckResult, type Expectation, type Oracle } from '../checks/types';
import { reproduction, storedRequest, storedResponse, type Advisory, type Finding } from './finding';

export interface Evaluation {
  readonly verdicts: ReadonlyArray<{ readonly checkId: string; readonly result: CheckResult }>;
  readonly findings: readonly Finding[];
  /** The judged exchange's duration (what the checks' time in junit.xml adds up). */
  readonly durationMs?: number;
}

/** One check's verdict: not applicable where its declaration does not cover the exchange, else its body's. */
export function judge(check: Check, exchange: Exchange, oracle: Oracle): CheckResult {
  return applies(check, exchange, oracle) ? check.judgement(exchange, oracle) : NOT_APPLICABLE;
}

export interface Where {
  readonly route: Route;
  readonly group: string;
  readonly case: string;
  /** --fail-on-advisory: advisories fail the run too. */
  readonly failOnAdvisory?: boolean;
}

/**
 * Every check's verdict on one exchange, and a finding for each failure. When the expectation prefers a side of an
 * open choice (`prefer`), the checks that judge what a request expects are asked again against the preferred
 * expectation: what fails only there is an advisory (no verdict of its own: the tallies count the contract alone).
 */
export function evaluate(checks: readonly Check[], exchange: Exchange, oracle: Oracle, where: Where): Evaluation {
  const verdicts = checks.map((check) => ({ checkId: check.id, result: judge(check, exchange, oracle) }));
  const findings: Finding[] = [];
  const failed = new Set<string>();
  verdicts.forEach(({ result }, i) => {
    if (result.status !== 'fail') return;
    const check = checks[i]!;
    failed.add(check.id);
    findings.push(findingOf(check, result, exchange, oracle.expect, where));
  });
  const prefer = oracle.expect.prefer;
  if (prefer !== undefined) {
    const advice = ADVICE[prefer.advice];
    const advisory: Advisory = { id: prefer.advice, statement: advice.statement, reason: advice.reason, failsTheRun: where.failOnAdvisory === true };
    const preferred: Oracle = { ...oracle, expect: prefer.expect };
    for (const check of checks) {
      // Only what the request expects is preferred: the checks of every response judged it already.
      if (typeof check.appliesTo === 'string' || failed.has(check.id)) continue;
      const result = judge(check, exchange, preferred);
      // Its source is the open rule the advice takes a side of: the contract allows what was found.
      if (result.status === 'fail') findings.push({ ...findingOf(check, result, exchange, prefer.expect, where, [advice.rule]), advisory });
    }
  }
  return { verdicts, findings, durationMs: exchange.durationMs };
}

function findingOf(
  check: Check,
  result: Extract<CheckResult, { status: 'fail' }>,
  exchange: Exchange,
  expect: Expectation | Oracle['expect'],
  where: Where,
  ruleIds?: readonly RuleId[],
): Finding {
  // A check that judges what the request expects applies the expectation's rule too; one of every response, its own.
  const rules: RuleId[] =
    ruleIds !== undefined ? [...ruleIds] : typeof check.appliesTo === 'string' ? [...check.rules] : [...new Set([...check.rules, ruleOfExpectation(expect)])];
  const jobId = jobIdOf(exchange, expect);
  return {
    checkId: check.id,
    checkGroup: check.group,
    rule: check.rule,
    rules,
    sources: sourcesOf(rules),
    ...(result.properties !== undefined && jobId !== undefined ? { about: { jobId, properties: result.properties } } : {}),
    expected: result.expected,
    actual: result.actual,
    group: where.group,
    case: where.case,
    request: storedRequest(where.route, exchange.request),
    response: storedResponse(exchange),
    curl: reproduction(where.route, exchange.request),
  };
}

/** The job a comparison of states was about: the one the expectation names, else the request's (a plain integer id). */
function jobIdOf(exchange: Exchange, expect: Oracle['expect']): number | undefined {
  if (expect.kind === 'update' || expect.kind === 'other-job') return expect.jobId;
  if (expect.kind === 'observe' && expect.ifAccepted !== undefined) return expect.ifAccepted.jobId;
  return /^[1-9]\d*$/.test(exchange.request.idSegment) ? Number(exchange.request.idSegment) : undefined;
}
