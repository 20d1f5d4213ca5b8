/**
 * Runs the registry's checks on one exchange with its oracle: the verdict of each check, and a Finding for each
 * failure. Group 1 applies to every exchange; the others act where the oracle's expectation concerns them.
 */
import type { Exchange } from '../http/request';
import type { Route } from '../http/target-url';
import type { Check, CheckResult, Oracle } from './checks/types';
import { reproduction, storedRequest, storedResponse, type Finding } from './finding';

export interface Evaluation {
  readonly verdicts: ReadonlyArray<{ readonly checkId: string; readonly result: CheckResult }>;
  readonly findings: readonly Finding[];
}

export function evaluate(
  checks: readonly Check[],
  exchange: Exchange,
  oracle: Oracle,
  where: { route: Route; suite: string; scenario: string },
): Evaluation {
  const verdicts = checks.map((check) => ({ checkId: check.id, result: check.run(exchange, oracle) }));
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
