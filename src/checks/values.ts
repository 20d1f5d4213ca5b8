/** Reading a response body and comparing Job field values the way the contract allows (instants for date-times). */
import { isDeepStrictEqual } from 'node:util';
import type { ApiResponse } from '../http/request';
import { sameInstant } from '../validation/date-time';
import { formatViolation, trimmed } from '../validation/violations';
import { mediaTypeOf } from '../contract/operation';
import { expectedJobValue, OPERATION_ID, type ConformanceFacts } from './facts';
import { fail, NOT_APPLICABLE, PASS, type CheckResult, type JobState } from './types';

type Parsed = { ok: true; value: unknown } | { ok: false };

/** Each response's body parsed once (every check and the run's bookkeeping ask for it); read, never changed. */
const parsedBodies = new WeakMap<ApiResponse, Parsed>();

export function parseJson(response: ApiResponse): Parsed {
  let parsed = parsedBodies.get(response);
  if (parsed === undefined) {
    try {
      parsed = { ok: true, value: JSON.parse(response.text) as unknown };
    } catch {
      parsed = { ok: false };
    }
    parsedBodies.set(response, parsed);
  }
  return parsed;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The response body as a Job-like object, or undefined. */
export function jobOf(response: ApiResponse): JobState | undefined {
  const parsed = parseJson(response);
  return parsed.ok && isObject(parsed.value) ? parsed.value : undefined;
}

/** Equal values for a Job field: date-time fields name the same instant (any RFC 3339 form), others deep-equal. */
export function sameFieldValue(facts: ConformanceFacts, field: string, a: unknown, b: unknown): boolean {
  if (facts.dateTimeFields.includes(field) && typeof a === 'string' && typeof b === 'string') {
    return a === b || sameInstant(a, b);
  }
  return isDeepStrictEqual(a, b);
}

export function show(value: unknown): string {
  return trimmed(value, 160);
}

/** The fields among `fields` whose values differ between two job states, each with "field: a -> b". */
export function changesBetween(
  facts: ConformanceFacts,
  fields: readonly string[],
  before: JobState,
  after: JobState,
): Array<{ readonly field: string; readonly text: string }> {
  return fields
    .filter((field) => !sameFieldValue(facts, field, before[field], after[field]))
    .map((field) => ({ field, text: `${field}: ${show(before[field])} -> ${show(after[field])}` }));
}

/** The fields among `fields` whose values differ between two job states, as "field: a -> b". */
export function changedFields(
  facts: ConformanceFacts,
  fields: readonly string[],
  before: JobState,
  after: JobState,
): string[] {
  return changesBetween(facts, fields, before, after).map((change) => change.text);
}

/** Passes when the response has exactly the status the oracle expects; fails showing the status and body received. */
export function statusIs(response: ApiResponse, status: number): CheckResult {
  return response.status === status ? PASS : fail(`status ${status}`, `status ${response.status}: ${show(response.text)}`);
}

/**
 * The Job properties a before/after comparison judges: every property of the Job schema (read-only ones included;
 * undocumented extras are not part of the contract), but the `except`ed (sent, or open) and those the run has seen
 * move on their own.
 */
export function comparedFields(
  facts: ConformanceFacts,
  drifting: ReadonlySet<string> | undefined,
  except: readonly string[] = [],
): string[] {
  return Object.keys(facts.jobProperties).filter((field) => !except.includes(field) && !(drifting?.has(field) ?? false));
}

/** The Job values a body must produce: updatable fields only (processingErrorMsg has no Job field). */
export function changesOf(facts: ConformanceFacts, body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(body)
      .filter(([field]) => facts.updatableFields.includes(field))
      .map(([field, value]) => [field, expectedJobValue(facts, field, value)]),
  );
}

/** A 4xx other than 401 (the credentials were valid), with a body valid against the errors' schema. */
export function errorRefusal(response: ApiResponse, facts: ConformanceFacts): CheckResult {
  const { status } = response;
  const expected = `a 4xx (not 401: the credentials were valid) with the Error body (${facts.jsonMediaType})`;
  if (status < 400 || status >= 500 || status === 401) return fail(expected, `status ${status}: ${show(response.text)}`);
  // The Error schema is whatever the document gives a 4xx it does not write out (`default`).
  const validator = facts.validators.findResponseValidator(OPERATION_ID, status, facts.jsonMediaType);
  if (validator === undefined || mediaTypeOf(response.contentType) !== mediaTypeOf(validator.mediaType)) {
    return fail(expected, `status ${status} with Content-Type ${response.contentType ?? '(none)'}`);
  }
  if (response.coding?.kind === 'not-decoded') return NOT_APPLICABLE; // no body to read: schema.content-coding-known reports it
  const result = validator.validateText(response.text);
  if (!result.valid) {
    return fail(expected, `status ${status}, body ${result.violations.slice(0, 2).map(formatViolation).join('; ')}`);
  }
  const body = result.value;
  const missing = facts.errorProperties.filter((name) => typeof body !== 'object' || body === null || !(name in body));
  return missing.length === 0 ? PASS : fail(expected, `status ${status}, body without ${missing.join(', ')}`);
}
