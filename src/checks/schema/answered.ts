/** `schema.answered`: see its rule and sources in the declaration below (docs/checks.md shows its examples). */
import { defineCheck } from '../declaration';
import { answer, exchange, fails, JOB, noAnswer, oracle, passes } from '../examples';
import { fail, PASS } from '../types';

export const answered = defineCheck({
  id: 'schema.answered',
  group: 'schema',
  rules: ['response.every-request-answered'],
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
