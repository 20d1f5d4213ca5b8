/** `auth.valid-key-accepted`: see its rule and sources in the declaration below (docs/checks.md shows its examples). */
import { defineCheck } from '../declaration';
import { answer, doesNotApply, exchange, fails, JOB, oracle, passes, put, update } from '../examples';
import { fail, PASS } from '../types';

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
