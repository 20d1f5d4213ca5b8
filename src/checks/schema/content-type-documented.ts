/** `schema.content-type-documented`: see its rule and sources in the declaration below (docs/checks.md shows its examples). */
import { defineCheck } from '../declaration';
import { answer, doesNotApply, exchange, fails, JOB, oracle, passes, put } from '../examples';
import { fail, NOT_APPLICABLE, PASS } from '../types';
import { mediaTypeOf } from '../../contract/operation';
import { OPERATION_ID } from '../facts';

export const contentTypeDocumented = defineCheck({
  id: 'schema.content-type-documented',
  group: 'schema',
  rules: ['response.media-type'],
  rule: 'The Content-Type is one documented for that status (parameters such as charset allowed).',
  appliesTo: 'every response',
  // An undocumented status (a 201 would fall to default's Error): schema.status-documented alone reports it.
  when: ['a documented status'],
  examples: (facts) => [
    passes('a 200 with application/json; charset=utf-8', exchange(answer(200, JOB)), oracle(facts)),
    passes('a 401 with text/plain', exchange(answer(401, 'Unauthorized', 'text/plain'), put({}, { kind: 'none' })), oracle(facts, { kind: 'unauthorized' })),
    fails('a 200 with text/html', exchange(answer(200, JOB, 'text/html')), oracle(facts), 'Content-Type text/html'),
    fails('a 200 without a Content-Type', exchange(answer(200, JOB, null)), oracle(facts), 'no Content-Type header'),
    passes('an empty 401 without a Content-Type (no content, no media type)', exchange(answer(401, '', null), put({}, { kind: 'none' })), oracle(facts, { kind: 'unauthorized' })),
    fails('a 401 with a JSON body', exchange(answer(401, { message: 'no' }, 'application/json'), put({}, { kind: 'none' })), oracle(facts, { kind: 'unauthorized' }), 'Content-Type application/json'),
    doesNotApply('a 201 (schema.status-documented reports it)', exchange(answer(201, JOB)), oracle(facts)),
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
