/** `ids.invalid-rejected-4xx`: see its rule and sources in the declaration below (docs/checks.md shows its examples). */
import { defineCheck } from '../declaration';
import { answer, exchange, fails, JOB, oracle, passes, put } from '../examples';
import { errorRefusal } from '../values';

const INVALID_ID = put({}, { kind: 'basic' }, 'abc');

export const invalidIdRejected = defineCheck({
  id: 'ids.invalid-rejected-4xx',
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
