/** `semantics.idempotent`: see its rule and sources in the declaration below (docs/checks.md shows its examples). */
import { defineCheck } from '../declaration';
import { answer, doesNotApply, exchange, fails, JOB, oracle, passes, update } from '../examples';
import { fail, failOnProperties, NOT_APPLICABLE, PASS } from '../types';
import { changesBetween, comparedFields, jobOf } from '../values';

export const idempotent = defineCheck({
  id: 'semantics.idempotent',
  group: 'semantics',
  rules: ['update.same-twice'],
  rule: 'The same PUT twice gives the same Job.',
  appliesTo: 'every response',
  needs: ['earlier'],
  examples: (facts) => [
    passes('the same Job twice', exchange(answer(200, JOB)), oracle(facts, update(), { earlier: exchange(answer(200, JOB)) })),
    fails('a 409 the second time', exchange(answer(409, { message: 'x' })), oracle(facts, update(), { earlier: exchange(answer(200, JOB)) }), 'status 409'),
    fails('another status the second time', exchange(answer(200, { ...JOB, status: 'archived' })), oracle(facts, update(), { earlier: exchange(answer(200, JOB)) }), 'status: "active" -> "archived"'),
    doesNotApply('the first PUT', exchange(answer(200, JOB)), oracle(facts, update())),
  ],
  judge({ response }, { earlier, facts, drifting }) {
    if (earlier.response.status !== response.status) {
      return fail(`status ${earlier.response.status}, as the first time`, `status ${response.status}`);
    }
    if (response.status !== 200) return NOT_APPLICABLE; // the same non-200 status twice: no Job to compare
    const first = jobOf(earlier.response);
    const second = jobOf(response);
    if (first === undefined || second === undefined) return NOT_APPLICABLE; // not a Job: schema.body-matches-schema reports it
    // The whole Job (date-times as instants), but what the run saw move on its own (a live job's counters).
    const changes = changesBetween(facts, comparedFields(facts, drifting), first, second);
    return changes.length === 0 ? PASS : failOnProperties('the Job of the first PUT', changes);
  },
});
