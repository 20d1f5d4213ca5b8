/**
 * Group 1, response conformance: run on every response the run gets, whatever the request expected.
 */
import { isJsonMediaType, mediaTypeOf, responseKeyFor } from '../contract/operation';
import { formatViolation } from '../validation/violations';
import { MAX_RESPONSE_BYTES } from '../http/request';
import { OPERATION_ID } from './facts';
import { defineCheck, isDocumentedStatus } from './declaration';
import { answer, doesNotApply, exchange, fails, JOB, MISSING_JOB_ID, noAnswer, oracle, passes, put } from './examples';
import { fail, NOT_APPLICABLE, PASS, type Check } from './types';

function documentedStatusText(explicit: readonly number[], hasDefault: boolean): string {
  return `${explicit.join(', ')}${hasDefault ? ', or an error status (4xx) under default' : ''}`;
}

export const statusDocumented = defineCheck({
  id: 'response.status-documented',
  group: 'schema',
  rules: ['response.status-documented'],
  rule: 'The status is one the operation documents (an explicit code, or an error under `default`); 201/204 and 3xx are not.',
  appliesTo: 'every response',
  examples: (facts) => [
    passes('a 200 with the Job', exchange(answer(200, JOB)), oracle(facts)),
    passes('a 404 with the Error body (an error, under default)', exchange(answer(404, { message: 'Job not found' })), oracle(facts)),
    fails('a 201 Created', exchange(answer(201, JOB)), oracle(facts), 'status 201'),
    fails('a 302 redirect', exchange(answer(302, '', 'text/html')), oracle(facts), 'status 302'),
  ],
  judge({ response }, { facts }) {
    const { status } = response;
    if (isDocumentedStatus(facts, status)) return PASS;
    return fail(documentedStatusText(facts.explicitStatuses, facts.hasDefault), `status ${status}`);
  },
});

export const noServerError = defineCheck({
  id: 'response.no-server-error',
  group: 'schema',
  rules: ['response.no-5xx'],
  rule: 'No request, however malformed, gets a 5xx.',
  appliesTo: 'every response',
  examples: (facts) => [
    passes('malformed JSON refused with a 400', exchange(answer(400, { message: 'Invalid JSON' }), put('{"name":')), oracle(facts, { kind: 'reject' })),
    fails('malformed JSON answered 500', exchange(answer(500, { message: 'Internal server error.' }), put('{"name":')), oracle(facts, { kind: 'reject' }), 'status 500'),
  ],
  judge({ response }) {
    return response.status >= 500 ? fail('a status below 500', `status ${response.status}`) : PASS;
  },
});

export const contentTypeDocumented = defineCheck({
  id: 'response.content-type-documented',
  group: 'schema',
  rules: ['response.media-type'],
  rule: 'The Content-Type is one documented for that status (parameters such as charset allowed).',
  appliesTo: 'every response',
  // An undocumented status (a 201 would fall to default's Error): response.status-documented alone reports it.
  when: ['a documented status'],
  examples: (facts) => [
    passes('a 200 with application/json; charset=utf-8', exchange(answer(200, JOB)), oracle(facts)),
    passes('a 401 with text/plain', exchange(answer(401, 'Unauthorized', 'text/plain'), put({}, { kind: 'none' })), oracle(facts, { kind: 'unauthorized' })),
    fails('a 200 with text/html', exchange(answer(200, JOB, 'text/html')), oracle(facts), 'Content-Type text/html'),
    fails('a 200 without a Content-Type', exchange(answer(200, JOB, null)), oracle(facts), 'no Content-Type header'),
    passes('an empty 401 without a Content-Type (no content, no media type)', exchange(answer(401, '', null), put({}, { kind: 'none' })), oracle(facts, { kind: 'unauthorized' })),
    fails('a 401 with a JSON body', exchange(answer(401, { message: 'no' }, 'application/json'), put({}, { kind: 'none' })), oracle(facts, { kind: 'unauthorized' }), 'Content-Type application/json'),
    doesNotApply('a 201 (response.status-documented reports it)', exchange(answer(201, JOB)), oracle(facts)),
  ],
  judge({ response }, { facts }) {
    const documented = facts.validators.documentedMediaTypes(OPERATION_ID, response.status);
    if (documented.length === 0) return NOT_APPLICABLE; // the status documents no body: no media type to hold it to
    if (response.contentType === undefined) {
      // No content, no media type to name (RFC 9110 8.3 asks for one where there is content); the schema judges the
      // empty body itself (no Job or Error is empty).
      if (response.text === '' && response.oversize === undefined) return PASS;
      return fail(`Content-Type ${documented.join(' or ')}`, 'no Content-Type header');
    }
    return documented.includes(mediaTypeOf(response.contentType))
      ? PASS
      : fail(`Content-Type ${documented.join(' or ')}`, `Content-Type ${response.contentType}`);
  },
});

/** Examples' codings: a gzip bomb as the transport marks it, and a body in a coding no client knows. */
const GZIP_BOMB = { kind: 'decoded', codings: ['gzip'], wireBytes: 522_528 } as const;
const X_CUSTOM = {
  ...answer(200, ''),
  headers: { 'content-type': 'application/json; charset=utf-8', 'content-encoding': 'x-custom' },
  coding: { kind: 'not-decoded', codings: ['x-custom'], reason: 'x-custom is not a coding the run reads (it reads gzip, deflate and br)' },
} as const;

export const bodyMatchesSchema = defineCheck({
  id: 'response.body-matches-schema',
  group: 'schema',
  rules: ['response.schema'],
  rule: 'The body is valid against the schema documented for that status and Content-Type (Job, Error with its message, the 401 text); date-times are strict RFC 3339.',
  appliesTo: 'every response',
  // An undocumented status (a 201 would fall to default's Error): response.status-documented alone reports it.
  when: ['a documented status'],
  examples: (facts) => [
    passes('a 200 with the Job', exchange(answer(200, JOB)), oracle(facts)),
    passes('a 400 with the Error body', exchange(answer(400, { message: 'bad' }), put({ isProcessing: 7 })), oracle(facts, { kind: 'reject' })),
    fails('a Job whose id is a string', exchange(answer(200, { ...JOB, id: '241' })), oracle(facts), '/id: type'),
    fails('a Job whose due is not RFC 3339', exchange(answer(200, { ...JOB, due: '2021-06-03 13:43:00Z' })), oracle(facts), '/due'),
    fails('a 404 whose Error has no message', exchange(answer(404, { error: 'not found' }), put({}, { kind: 'basic' }, MISSING_JOB_ID)), oracle(facts, { kind: 'not-found' }), '/message: required: absent'),
    fails(
      'a body past the run\'s 1 MiB cap (one that never ends): read up to the cap, then the connection dropped',
      exchange({ ...answer(200, JOB), oversize: { limitBytes: MAX_RESPONSE_BYTES } }),
      oracle(facts),
      `more than ${MAX_RESPONSE_BYTES} bytes`,
    ),
    fails(
      'a small gzip body that inflates past the cap (a compression bomb): decoded up to the cap, then no further',
      exchange({ ...answer(200, ''), oversize: { limitBytes: MAX_RESPONSE_BYTES, decoded: true }, coding: GZIP_BOMB }),
      oracle(facts),
      `more than ${MAX_RESPONSE_BYTES} bytes once decoded`,
    ),
    passes('a gzip body, decoded: the Job', exchange({ ...answer(200, JOB), coding: { kind: 'decoded', codings: ['gzip'], wireBytes: 120 } }), oracle(facts)),
    doesNotApply('a body in a coding the run does not read (response.content-coding-known reports it)', exchange(X_CUSTOM), oracle(facts)),
    doesNotApply('a 201 with the Job (response.status-documented reports it)', exchange(answer(201, JOB)), oracle(facts)),
  ],
  judge({ response }, { facts }) {
    if (response.oversize !== undefined) {
      // The transport stopped reading (or decoding) at its cap: a body this size is no Job or Error.
      const limit = response.oversize.limitBytes;
      const coding = response.coding?.kind === 'decoded' ? response.coding : undefined;
      return fail(
        `a body of at most ${limit} bytes (the run's cap)`,
        response.oversize.decoded === true && coding !== undefined
          ? `more than ${limit} bytes once decoded (${coding.codings.join(', ')}; ${coding.wireBytes} bytes on the wire): the run stopped decoding there`
          : `more than ${limit} bytes: the run stopped reading there and dropped the connection`,
      );
    }
    if (response.coding?.kind === 'not-decoded') return NOT_APPLICABLE; // no body to read: response.content-coding-known reports it
    if (response.contentType === undefined) return NOT_APPLICABLE; // no schema to pick: response.content-type-documented reports it
    const validator = facts.validators.findResponseValidator(OPERATION_ID, response.status, response.contentType);
    if (validator === undefined) return NOT_APPLICABLE; // an undocumented media type: response.content-type-documented reports it
    const result = validator.validateText(response.text);
    if (result.valid) {
      // BEHAVIOUR.md reads the Error as {"message": string}: its properties are required, though the schema says not.
      const isError = responseKeyFor(facts.operation, response.status) === 'default' && isJsonMediaType(mediaTypeOf(response.contentType));
      const body = result.value;
      if (!isError || typeof body !== 'object' || body === null || Array.isArray(body)) return PASS;
      const missing = facts.errorProperties.filter((name) => !(name in body));
      if (missing.length === 0) return PASS;
      return fail(
        `an Error body with ${facts.errorProperties.map((name) => `'${name}'`).join(', ')} (BEHAVIOUR.md: {"message": string})`,
        missing.map((name) => `/${name}: required: absent`).join('; '),
      );
    }
    const shown = result.violations.slice(0, 3).map(formatViolation);
    if (result.violations.length > 3) shown.push(`(and ${result.violations.length - 3} more)`);
    return fail(`a body valid against #${validator.schemaPointer}`, shown.join('; '));
  },
});

export const contentCodingKnown = defineCheck({
  id: 'response.content-coding-known',
  group: 'schema',
  rules: ['response.content-coding'],
  rule:
    'The body comes in no content coding, or in codings a client can read (gzip, deflate, br), and decodes. The run sends no Accept-Encoding, so the target may pick any coding (RFC 9110 section 12.5.3), but the body in a coding no client knows (or that does not decode) cannot be read as the document\'s JSON (section 8.4).',
  appliesTo: 'every response',
  examples: (facts) => [
    passes('no Content-Encoding', exchange(answer(200, JOB)), oracle(facts)),
    passes('gzip, decoded', exchange({ ...answer(200, JOB), coding: { kind: 'decoded', codings: ['gzip'], wireBytes: 120 } }), oracle(facts)),
    passes('br over gzip ("gzip, br"), decoded', exchange({ ...answer(200, JOB), coding: { kind: 'decoded', codings: ['gzip', 'br'], wireBytes: 110 } }), oracle(facts)),
    passes('a compression bomb (response.body-matches-schema reports its size)', exchange({ ...answer(200, ''), oversize: { limitBytes: MAX_RESPONSE_BYTES, decoded: true }, coding: GZIP_BOMB }), oracle(facts)),
    fails('Content-Encoding: x-custom', exchange(X_CUSTOM), oracle(facts), 'Content-Encoding: x-custom'),
    fails(
      'Content-Encoding: gzip on a body that is not gzip',
      exchange({ ...answer(200, ''), coding: { kind: 'not-decoded', codings: ['gzip'], reason: 'not valid gzip data (incorrect header check)' } }),
      oracle(facts),
      'not valid gzip data',
    ),
  ],
  judge({ response }) {
    const { coding } = response;
    if (coding === undefined || coding.kind === 'decoded') return PASS;
    return fail('no content coding, or gzip, deflate or br (decoded)', `Content-Encoding: ${coding.codings.join(', ')}: ${coding.reason}; the body was not read`);
  },
});

export const answered = defineCheck({
  id: 'response.answered',
  group: 'schema',
  rules: ['response.answered'],
  rule: 'Every request gets an answer: no connection closed or reset without a response, no timeout (a target that stops answering altogether ends the run with no verdict instead).',
  appliesTo: 'every request',
  examples: (facts) => [
    passes('a 200 with the Job', exchange(answer(200, JOB)), oracle(facts)),
    passes('a 401 (an answer all the same)', exchange(answer(401, 'Unauthorized', 'text/plain')), oracle(facts, { kind: 'unauthorized' })),
    fails('the connection reset before any answer', exchange(noAnswer('ECONNRESET: read ECONNRESET')), oracle(facts), 'ECONNRESET'),
  ],
  judge({ response }) {
    return response.noAnswer === undefined ? PASS : fail('an answer (a status line, headers and a body)', `no answer: ${response.noAnswer}`);
  },
});

export const RESPONSE_CHECKS: readonly Check[] = [statusDocumented, noServerError, contentTypeDocumented, contentCodingKnown, bodyMatchesSchema, answered];
