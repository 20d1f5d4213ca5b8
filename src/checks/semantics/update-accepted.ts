/** `semantics.update-accepted`: see its rule and sources in the declaration below (docs/checks.md shows its examples). */
import { defineCheck } from '../declaration';
import { answer, doesNotApply, exchange, fails, JOB, oracle, passes, put, update } from '../examples';
import { statusIs } from '../values';

export const updateAccepted = defineCheck({
  id: 'semantics.update-accepted',
  group: 'semantics',
  rules: ['update.round-trip'],
  rule: 'A valid update with valid credentials gets 200 with the Job.',
  appliesTo: ['update'],
  examples: (facts) => [
    passes('PUT {"name":"new"} answered 200', exchange(answer(200, { ...JOB, name: 'new' }), put({ name: 'new' })), oracle(facts, update({ name: 'new' }))),
    fails('PUT {"name":"new"} answered 400', exchange(answer(400, { message: 'x' }), put({ name: 'new' })), oracle(facts, update({ name: 'new' })), 'status 400'),
    doesNotApply('invalid data answered 400 (a refusal is not an update)', exchange(answer(400, { message: 'x' }), put({ isProcessing: 7 })), oracle(facts, { kind: 'reject' })),
  ],
  judge({ response }) {
    return statusIs(response, 200);
  },
});
