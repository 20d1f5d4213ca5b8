/** `ids.missing-404`: see its rule and sources in the declaration below (docs/checks.md shows its examples). */
import { defineCheck } from '../declaration';
import { answer, doesNotApply, exchange, fails, JOB, MISSING_JOB_ID, oracle, passes, put, update } from '../examples';
import { statusIs } from '../values';

const MISSING = put({}, { kind: 'basic' }, MISSING_JOB_ID);

export const missingJob404 = defineCheck({
  id: 'ids.missing-404',
  group: 'ids',
  rules: ['id.missing-job-404'],
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
