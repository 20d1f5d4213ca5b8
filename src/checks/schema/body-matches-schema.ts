/** `schema.body-matches-schema`: see its rule and sources in the declaration below (docs/checks.md shows its examples). */
import { defineCheck } from '../declaration';
import { answer, doesNotApply, exchange, fails, GZIP_BOMB, JOB, MISSING_JOB_ID, oracle, passes, put, X_CUSTOM } from '../examples';
import { fail, NOT_APPLICABLE, PASS } from '../types';
import { isJsonMediaType, mediaTypeOf, responseKeyFor } from '../../contract/operation';
import { formatViolation } from '../../validation/violations';
import { MAX_RESPONSE_BYTES } from '../../http/request';
import { OPERATION_ID } from '../facts';

export const bodyMatchesSchema = defineCheck({
  id: 'schema.body-matches-schema',
  group: 'schema',
  rules: ['response.schema'],
  rule: 'The body is valid against the schema documented for that status and Content-Type (Job, Error with its message, the 401 text); date-times are strict RFC 3339.',
  appliesTo: 'every response',
  // An undocumented status (a 201 would fall to default's Error): schema.status-documented alone reports it.
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
    doesNotApply('a body in a coding the run does not read (schema.content-coding-known reports it)', exchange(X_CUSTOM), oracle(facts)),
    doesNotApply('a 201 with the Job (schema.status-documented reports it)', exchange(answer(201, JOB)), oracle(facts)),
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
    if (response.coding?.kind === 'not-decoded') return NOT_APPLICABLE; // no body to read: schema.content-coding-known reports it
    if (response.contentType === undefined) return NOT_APPLICABLE; // no schema to pick: schema.content-type-documented reports it
    const validator = facts.validators.findResponseValidator(OPERATION_ID, response.status, response.contentType);
    if (validator === undefined) return NOT_APPLICABLE; // an undocumented media type: schema.content-type-documented reports it
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
