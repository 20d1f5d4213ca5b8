/**
 * Groups 3 to 5, refusals: invalid data and invalid ids get a 4xx with the Error body, the missing job 404, bad
 * credentials 401; no refusal changes the job; a valid key works by either method, with the same answer.
 */
import { mediaTypeOf } from '../contract/operation';
import { formatViolation } from '../validation/violations';
import { OPERATION_ID, type ConformanceFacts } from './facts';
import type { ApiResponse } from '../http/request';
import { defineCheck } from './declaration';
import { answer, doesNotApply, exchange, fails, JOB, MISSING_JOB_ID, oracle, passes, put, update } from './examples';
import { changesBetween, comparedFields, jobOf, sameFieldValue, show, statusIs } from './values';
import { fail, failOnProperties, NOT_APPLICABLE, PASS, type Check, type CheckResult } from './types';

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
  if (response.coding?.kind === 'not-decoded') return NOT_APPLICABLE; // no body to read: response.content-coding-known reports it
  const result = validator.validateText(response.text);
  if (!result.valid) {
    return fail(expected, `status ${status}, body ${result.violations.slice(0, 2).map(formatViolation).join('; ')}`);
  }
  const body = result.value;
  const missing = facts.errorProperties.filter((name) => typeof body !== 'object' || body === null || !(name in body));
  return missing.length === 0 ? PASS : fail(expected, `status ${status}, body without ${missing.join(', ')}`);
}

/** Invalid data: an isProcessing outside its enum, with valid credentials. */
const INVALID = put({ isProcessing: '2' });

export const invalidRejected = defineCheck({
  id: 'invalid.rejected-4xx',
  group: 'negative',
  rules: ['body.invalid-value-4xx', 'body.malformed-400'],
  rule: 'Invalid data (wrong types, null, enum near-misses, impossible or zone-less dates, malformed or non-object JSON) gets a 4xx with the Error body.',
  appliesTo: ['reject'],
  examples: (facts) => [
    passes('a 400 with the Error body', exchange(answer(400, { message: 'bad' }), INVALID), oracle(facts, { kind: 'reject' })),
    passes('a 422 with the Error body', exchange(answer(422, { message: 'bad' }), INVALID), oracle(facts, { kind: 'reject' })),
    fails('accepted: 200 with the Job', exchange(answer(200, JOB), INVALID), oracle(facts, { kind: 'reject' }), 'status 200'),
    fails('a 401 (the key was valid)', exchange(answer(401, 'Unauthorized', 'text/plain'), INVALID), oracle(facts, { kind: 'reject' }), 'status 401'),
    fails('a 400 as text', exchange(answer(400, 'bad', 'text/plain'), INVALID), oracle(facts, { kind: 'reject' }), 'Content-Type text/plain'),
    fails('a 400 whose message is a number', exchange(answer(400, { message: 1 }), INVALID), oracle(facts, { kind: 'reject' }), '/message'),
    doesNotApply('a valid update', exchange(answer(200, JOB)), oracle(facts, update())),
    doesNotApply(
      'a 400 whose body is in a coding the run does not read (response.content-coding-known reports it)',
      exchange({ ...answer(400, ''), coding: { kind: 'not-decoded', codings: ['x-custom'], reason: 'x-custom is not a coding the run reads' } }, INVALID),
      oracle(facts, { kind: 'reject' }),
    ),
  ],
  judge({ response }, { facts }) {
    return errorRefusal(response, facts);
  },
});

export const refusalChangesNothing = defineCheck({
  id: 'refusal.job-unchanged',
  group: 'negative',
  rules: ['update.refusal-unchanged'],
  rule: 'A refused request (invalid data, bad credentials) leaves the job as it was.',
  appliesTo: ['reject', 'unauthorized'],
  needs: ['before', 'after'],
  examples: (facts) => [
    passes('invalid data refused, the job read back as it was', exchange(answer(400, { message: 'x' }), INVALID), oracle(facts, { kind: 'reject' }, { before: JOB, after: JOB })),
    fails(
      'a wrong key refused, but the name it carried taken',
      exchange(answer(401, 'Unauthorized', 'text/plain'), put({ name: 'x' }, { kind: 'wrong-basic' })),
      oracle(facts, { kind: 'unauthorized' }, { before: JOB, after: { ...JOB, name: 'x' } }),
      'name: "My New Job" -> "x"',
    ),
    doesNotApply('not read back after the request', exchange(answer(400, { message: 'x' }), INVALID), oracle(facts, { kind: 'reject' }, { before: JOB })),
  ],
  judge(_exchange, { facts, before, after, drifting }) {
    const changes = changesBetween(facts, comparedFields(facts, drifting), before, after);
    return changes.length === 0 ? PASS : failOnProperties('the Job as it was (read back after the request)', changes);
  },
});

const MISSING = put({}, { kind: 'basic' }, MISSING_JOB_ID);

export const missingJob404 = defineCheck({
  id: 'id.missing-404',
  group: 'ids',
  rules: ['id.missing-404'],
  rule: 'An integer id that names no job gets 404.',
  appliesTo: ['not-found'],
  examples: (facts) => [
    passes('a 404', exchange(answer(404, { message: 'x' }), MISSING), oracle(facts, { kind: 'not-found' })),
    fails('a 400', exchange(answer(400, { message: 'x' }), MISSING), oracle(facts, { kind: 'not-found' }), 'status 400'),
    fails('a 200 with a Job', exchange(answer(200, JOB), MISSING), oracle(facts, { kind: 'not-found' }), 'status 200'),
    doesNotApply('an existing job', exchange(answer(200, JOB)), oracle(facts, update())),
  ],
  judge({ response }) {
    return statusIs(response, 404);
  },
});

const INVALID_ID = put({}, { kind: 'basic' }, 'abc');

export const invalidIdRejected = defineCheck({
  id: 'id.invalid-rejected-4xx',
  group: 'ids',
  rules: ['id.invalid-4xx'],
  rule: 'A path id that is not a positive integer (abc, 1.5, -1, 0, 1e3, 2^63, empty) gets a 4xx with the Error body.',
  appliesTo: ['invalid-id'],
  examples: (facts) => [
    passes('a 400 with the Error body', exchange(answer(400, { message: 'x' }), INVALID_ID), oracle(facts, { kind: 'invalid-id' })),
    passes('a 404 with the Error body', exchange(answer(404, { message: 'x' }), INVALID_ID), oracle(facts, { kind: 'invalid-id' })),
    fails('a 200 with a Job', exchange(answer(200, JOB), INVALID_ID), oracle(facts, { kind: 'invalid-id' }), 'status 200'),
    fails('a 500', exchange(answer(500, { message: 'x' }), INVALID_ID), oracle(facts, { kind: 'invalid-id' }), 'status 500'),
  ],
  judge({ response }, { facts }) {
    return errorRefusal(response, facts);
  },
});

const NO_CREDENTIALS = put({ name: 'x' }, { kind: 'none' });

export const unauthorized401 = defineCheck({
  id: 'auth.refused-401',
  group: 'auth',
  rules: ['auth.refused-401'],
  rule: 'No credentials, a wrong key or a malformed Authorization header get 401, whatever else the request holds.',
  appliesTo: ['unauthorized'],
  examples: (facts) => [
    passes('no credentials: 401', exchange(answer(401, 'Unauthorized', 'text/plain'), NO_CREDENTIALS), oracle(facts, { kind: 'unauthorized' })),
    fails('no credentials: 200 (auth ignored)', exchange(answer(200, { ...JOB, name: 'x' }), NO_CREDENTIALS), oracle(facts, { kind: 'unauthorized' }), 'status 200'),
    fails(
      'a malformed header: 400',
      exchange(answer(400, { message: 'x' }), put({}, { kind: 'raw-header', header: 'Basic !!!' })),
      oracle(facts, { kind: 'unauthorized' }),
      'status 400',
    ),
  ],
  judge({ response }) {
    return statusIs(response, 401);
  },
});

export const validKeyAccepted = defineCheck({
  id: 'auth.valid-key-accepted',
  group: 'auth',
  rules: ['auth.valid-key'],
  rule: 'A valid key is accepted by Basic auth and by the key query parameter alike (never 401).',
  appliesTo: 'every response',
  when: ['a valid key'],
  examples: (facts) => [
    passes('the key as the query parameter: 200', exchange(answer(200, JOB), put({}, { kind: 'query' })), oracle(facts, update())),
    fails('the key as the query parameter: 401', exchange(answer(401, 'Unauthorized', 'text/plain'), put({}, { kind: 'query' })), oracle(facts, update()), 'status 401'),
    fails('the key by Basic auth: 401', exchange(answer(401, 'Unauthorized', 'text/plain'), put({}, { kind: 'basic' })), oracle(facts, update()), 'status 401'),
    doesNotApply('no credentials', exchange(answer(401, 'Unauthorized', 'text/plain'), put({}, { kind: 'none' })), oracle(facts, { kind: 'unauthorized' })),
  ],
  judge({ request, response }) {
    return response.status === 401
      ? fail(`the valid key accepted by ${request.auth.kind === 'basic' ? 'Basic auth' : 'the key query parameter'}`, 'status 401')
      : PASS;
  },
});

const BY_BASIC = exchange(answer(200, JOB), put({}, { kind: 'basic' }));

export const methodsAgree = defineCheck({
  id: 'auth.methods-agree',
  group: 'auth',
  rules: ['auth.methods-agree'],
  rule: 'The same request sent with Basic auth and with the key query parameter gets the same answer.',
  appliesTo: 'every response',
  needs: ['otherMethod'],
  examples: (facts) => [
    passes('the same Job both ways', exchange(answer(200, JOB), put({}, { kind: 'query' })), oracle(facts, update(), { otherMethod: BY_BASIC })),
    fails('a 403 by the query parameter', exchange(answer(403, { message: 'x' }), put({}, { kind: 'query' })), oracle(facts, update(), { otherMethod: BY_BASIC }), 'query: status 403'),
    fails('another name by the query parameter', exchange(answer(200, { ...JOB, name: 'other' }), put({}, { kind: 'query' })), oracle(facts, update(), { otherMethod: BY_BASIC }), 'query: name "other"'),
    doesNotApply('sent by one method only', exchange(answer(200, JOB), put({}, { kind: 'query' })), oracle(facts, update())),
  ],
  judge({ request, response }, { otherMethod, facts }) {
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
});

export const REFUSAL_CHECKS: readonly Check[] = [
  invalidRejected,
  refusalChangesNothing,
  missingJob404,
  invalidIdRejected,
  unauthorized401,
  validKeyAccepted,
  methodsAgree,
];
