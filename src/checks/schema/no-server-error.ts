/** `schema.no-server-error`: see its rule and sources in the declaration below (docs/checks.md shows its examples). */
import { defineCheck } from '../declaration';
import { answer, exchange, fails, oracle, passes, put } from '../examples';
import { fail, PASS } from '../types';

export const noServerError = defineCheck({
  id: 'schema.no-server-error',
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
