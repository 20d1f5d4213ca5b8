/**
 * Groups 3 to 5, refusals: invalid data and invalid ids get a 4xx with the Error body, the missing job 404, bad
 * credentials 401; no refusal changes the job; a valid key works by either method, with the same answer.
 */
import { mediaTypeOf } from '../../contract/operation';
import { formatViolation } from '../../validation/violations';
import { OPERATION_ID, type ConformanceFacts } from '../facts';
import type { ApiResponse } from '../../http/request';
import { changedFields, jobOf, sameFieldValue, show, statusIs } from './values';
import { fail, NOT_APPLICABLE, PASS, type Check, type CheckResult } from './types';

/** A 4xx other than 401 (the credentials were valid), with a body valid against the errors' schema. */
function errorRefusal(response: ApiResponse, facts: ConformanceFacts): CheckResult {
  const { status } = response;
  const expected = `a 4xx (not 401: the credentials were valid) with the Error body (${facts.jsonMediaType})`;
  if (status < 400 || status >= 500 || status === 401) return fail(expected, `status ${status}: ${show(response.text)}`);
  // The Error schema is whatever the document gives a 4xx it does not write out (`default`).
  const validator = facts.validators.findResponseValidator(OPERATION_ID, status, facts.jsonMediaType);
  if (validator === undefined || mediaTypeOf(response.contentType) !== mediaTypeOf(validator.mediaType)) {
    return fail(expected, `status ${status} with Content-Type ${response.contentType ?? '(none)'}`);
  }
  const result = validator.validateText(response.text);
  if (!result.valid) {
    return fail(expected, `status ${status}, body ${result.violations.slice(0, 2).map(formatViolation).join('; ')}`);
  }
  const body = result.value;
  const missing = facts.errorProperties.filter((name) => typeof body !== 'object' || body === null || !(name in body));
  return missing.length === 0 ? PASS : fail(expected, `status ${status}, body without ${missing.join(', ')}`);
}

export const invalidRejected: Check = {
  id: 'invalid.rejected-4xx',
  group: 'negative',
  rule: 'Invalid data (wrong types, null, enum near-misses, impossible or zone-less dates, malformed or non-object JSON) gets a 4xx with the Error body.',
  run({ response }, { expect, facts }) {
    return expect.kind === 'reject' ? errorRefusal(response, facts) : NOT_APPLICABLE;
  },
};

export const refusalChangesNothing: Check = {
  id: 'refusal.job-unchanged',
  group: 'negative',
  rule: 'A refused request (invalid data, bad credentials) leaves the job as it was.',
  run(_exchange, { expect, facts, before, after }) {
    if (expect.kind !== 'reject' && expect.kind !== 'unauthorized') return NOT_APPLICABLE;
    if (before === undefined || after === undefined) return NOT_APPLICABLE;
    const changed = changedFields(facts, facts.updatableFields, before, after);
    return changed.length === 0
      ? PASS
      : fail(`${facts.updatableFields.join(', ')} unchanged (read back after the request)`, changed.join('; '));
  },
};

export const missingJob404: Check = {
  id: 'id.missing-404',
  group: 'ids',
  rule: 'An integer id that names no job gets 404.',
  run({ response }, { expect }) {
    if (expect.kind !== 'not-found') return NOT_APPLICABLE;
    return statusIs(response, 404);
  },
};

export const invalidIdRejected: Check = {
  id: 'id.invalid-rejected-4xx',
  group: 'ids',
  rule: 'A path id that is not a positive integer (abc, 1.5, -1, 0, 1e3, 2^63, empty) gets a 4xx with the Error body.',
  run({ response }, { expect, facts }) {
    return expect.kind === 'invalid-id' ? errorRefusal(response, facts) : NOT_APPLICABLE;
  },
};

export const unauthorized401: Check = {
  id: 'auth.refused-401',
  group: 'auth',
  rule: 'No credentials, a wrong key or a malformed Authorization header get 401, whatever else the request holds.',
  run({ response }, { expect }) {
    if (expect.kind !== 'unauthorized') return NOT_APPLICABLE;
    return statusIs(response, 401);
  },
};

export const validKeyAccepted: Check = {
  id: 'auth.valid-key-accepted',
  group: 'auth',
  rule: 'A valid key is accepted by Basic auth and by the key query parameter alike (never 401).',
  run({ request, response }) {
    if (request.auth.kind !== 'basic' && request.auth.kind !== 'query') return NOT_APPLICABLE;
    return response.status === 401
      ? fail(`the valid key accepted by ${request.auth.kind === 'basic' ? 'Basic auth' : 'the key query parameter'}`, 'status 401')
      : PASS;
  },
};

export const methodsAgree: Check = {
  id: 'auth.methods-agree',
  group: 'auth',
  rule: 'The same request sent with Basic auth and with the key query parameter gets the same answer.',
  run({ request, response }, { otherMethod, facts }) {
    if (otherMethod === undefined) return NOT_APPLICABLE;
    const other = otherMethod.response;
    const here = request.auth.kind;
    const there = otherMethod.request.auth.kind;
    if (other.status !== response.status) {
      return fail(`the same status both ways (${there}: ${other.status})`, `${here}: status ${response.status}`);
    }
    const a = jobOf(other);
    const b = jobOf(response);
    if (response.status !== 200 || a === undefined || b === undefined) return PASS;
    const fields = [facts.idField, ...facts.updatableFields];
    const differ = fields.filter((field) => !sameFieldValue(facts, field, a[field], b[field]));
    return differ.length === 0
      ? PASS
      : fail(`the same Job both ways (${there}: ${differ.map((f) => `${f} ${show(a[f])}`).join(', ')})`, `${here}: ${differ.map((f) => `${f} ${show(b[f])}`).join(', ')}`);
  },
};

export const REFUSAL_CHECKS: readonly Check[] = [
  invalidRejected,
  refusalChangesNothing,
  missingJob404,
  invalidIdRejected,
  unauthorized401,
  validKeyAccepted,
  methodsAgree,
];

