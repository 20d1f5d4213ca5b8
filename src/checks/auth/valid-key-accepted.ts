/** `auth.valid-key-accepted`: see its rule and sources in the declaration below (docs/checks.md shows its examples). */
import { describeAuth } from '../../http/request';
import { defineCheck } from '../declaration';
import { answer, doesNotApply, exchange, fails, JOB, oracle, passes, put, update } from '../examples';
import { fail, PASS } from '../types';

export const validKeyAccepted = defineCheck({
  id: 'auth.valid-key-accepted',
  group: 'auth',
  rules: ['auth.valid-key', 'auth.scheme-case'],
  rule: 'A valid key is accepted by Basic auth (its scheme in any case) and by the key query parameter alike, and by both at once (never 401).',
  appliesTo: 'every response',
  when: ['a valid key'],
  examples: (facts) => [
    passes('the key as the query parameter: 200', exchange(answer(200, JOB), put({}, { kind: 'query' })), oracle(facts, update())),
    fails('the key as the query parameter: 401', exchange(answer(401, 'Unauthorized', 'text/plain'), put({}, { kind: 'query' })), oracle(facts, update()), 'status 401'),
    fails('the key by Basic auth: 401', exchange(answer(401, 'Unauthorized', 'text/plain'), put({}, { kind: 'basic' })), oracle(facts, update()), 'status 401'),
    fails(
      'Basic with the scheme in lower case: 401',
      exchange(answer(401, 'Unauthorized', 'text/plain'), put({}, { kind: 'credentials', basic: { scheme: 'basic', gap: ' ', user: 'key', password: 'key' } })),
      oracle(facts, update()),
      'status 401',
    ),
    fails('both valid credentials at once: 401', exchange(answer(401, 'Unauthorized', 'text/plain'), put({}, { kind: 'credentials', basic: { scheme: 'Basic', gap: ' ', user: 'key', password: 'key' }, query: ['key'] })), oracle(facts, update()), 'status 401'),
    doesNotApply(
      'the key beside a wrong one (either side is conformant)',
      exchange(answer(401, 'Unauthorized', 'text/plain'), put({}, { kind: 'credentials', basic: { scheme: 'Basic', gap: ' ', user: 'key', password: 'key' }, query: ['wrong'] })),
      oracle(facts, { kind: 'observe', rule: 'auth.valid-beside-wrong' }),
    ),
    doesNotApply('no credentials', exchange(answer(401, 'Unauthorized', 'text/plain'), put({}, { kind: 'none' })), oracle(facts, { kind: 'unauthorized' })),
  ],
  judge({ request, response }) {
    return response.status === 401
      ? fail(`the valid key accepted (${describeAuth(request.auth)})`, 'status 401')
      : PASS;
  },
});
