/** Small builders the scenarios share. */
import type { ApiRequest, AuthSpec } from '../http/request';
import { RequestWithheld, type Scenario } from '../case/case';
import { expectedJobValue, type ConformanceFacts } from '../checks/facts';

export function put(s: Scenario, body: string | undefined, auth: AuthSpec = s.auth, idSegment = s.jobSegment): ApiRequest {
  return {
    method: s.facts.method,
    idSegment,
    body,
    contentType: body === undefined ? undefined : 'application/json',
    auth,
  };
}

export function putJson(s: Scenario, value: unknown, auth: AuthSpec = s.auth, idSegment = s.jobSegment): ApiRequest {
  return put(s, JSON.stringify(value), auth, idSegment);
}

/** The Job values a body must produce: updatable fields only (processingErrorMsg has no Job field). */
export function changesOf(facts: ConformanceFacts, body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(body)
      .filter(([field]) => facts.updatableFields.includes(field))
      .map(([field, value]) => [field, expectedJobValue(facts, field, value)]),
  );
}

/**
 * Runs `body` for each item; an aborted item aborts the case (the target is gone); a withheld one (it names a field
 * the job does not have) is skipped.
 */
export async function each<T>(items: readonly T[], body: (item: T) => Promise<void>): Promise<void> {
  for (const item of items) {
    try {
      await body(item);
    } catch (error) {
      if (!(error instanceof RequestWithheld)) throw error;
    }
  }
}
