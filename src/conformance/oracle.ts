/**
 * Runs the registry's checks on one exchange with its oracle: the verdict of each check, and a Finding for each
 * failure. Each check's declaration decides first whether it applies (group 1 to every response, the others to the
 * expectations they name, with the oracle fields and conditions they declare); only then is its body asked.
 */
import type { Exchange } from '../http/request';
import type { Route } from '../http/target-url';
import { applies } from './checks/declaration';
import { NOT_APPLICABLE, type Check, type CheckResult, type Oracle } from './checks/types';
import { reproduction, storedRequest, storedResponse, type Finding } from './finding';

export interface Evaluation {
  readonly verdicts: ReadonlyArray<{ readonly checkId: string; readonly result: CheckResult }>;
  readonly findings: readonly Finding[];
}

/** One check's verdict: not applicable where its declaration does not cover the exchange, else its body's. */
export function judge(check: Check, exchange: Exchange, oracle: Oracle): CheckResult {
  return applies(check, exchange, oracle) ? check.judgement(exchange, oracle) : NOT_APPLICABLE;
}

export function evaluate(
  checks: readonly Check[],
  exchange: Exchange,
  oracle: Oracle,
  where: { route: Route; suite: string; scenario: string },
): Evaluation {
  const verdicts = checks.map((check) => ({ checkId: check.id, result: judge(check, exchange, oracle) }));
  const findings: Finding[] = [];
  verdicts.forEach(({ result }, i) => {
    if (result.status !== 'fail') return;
    const check = checks[i]!;
    findings.push({
      checkId: check.id,
      group: check.group,
      rule: check.rule,
      expected: result.expected,
      actual: result.actual,
      suite: where.suite,
      scenario: where.scenario,
      request: storedRequest(where.route, exchange.request),
      response: storedResponse(exchange),
      curl: reproduction(where.route, exchange.request),
    });
  });
  return { verdicts, findings };
}
