/** `auth.refused-401`: see its rule and sources in the declaration below (docs/checks.md shows its examples). */
import { defineCheck } from '../declaration';
import { answer, exchange, fails, JOB, oracle, passes, put } from '../examples';
import { statusIs } from '../values';

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
