/** `semantics.no-op-changes-nothing`: see its rule and sources in the declaration below (docs/checks.md shows its examples). */
import { defineCheck } from '../declaration';
import { answer, doesNotApply, exchange, fails, JOB, oracle, passes, put, update } from '../examples';
import { failOnProperties, NOT_APPLICABLE, PASS } from '../types';
import { changesBetween, comparedFields, jobOf } from '../values';

export const noOpChangesNothing = defineCheck({
  id: 'semantics.no-op-changes-nothing',
  group: 'semantics',
  rules: ['body.no-op'],
  rule: 'An empty or absent body, or one with only read-only or unknown fields, changes nothing.',
  appliesTo: ['update'],
  when: ['status 200'],
  needs: ['before'],
  examples: (facts) => [
    passes('PUT {}: the job as it was', exchange(answer(200, JOB)), oracle(facts, update(), { before: JOB })),
    fails('PUT {}: isProcessing set', exchange(answer(200, { ...JOB, isProcessing: 1 })), oracle(facts, update(), { before: JOB }), 'isProcessing: 0 -> 1'),
    doesNotApply('PUT {"name":"new"} (not a no-op)', exchange(answer(200, { ...JOB, name: 'new' }), put({ name: 'new' })), oracle(facts, update({ name: 'new' }), { before: JOB })),
  ],
  judge({ response }, { expect, facts, before, drifting }) {
    if (Object.keys(expect.changes).length > 0) return NOT_APPLICABLE; // not a no-op: semantics.fields-round-trip and semantics.other-fields-kept judge it
    const job = jobOf(response);
    if (job === undefined) return NOT_APPLICABLE; // not a Job: schema.body-matches-schema reports it
    const changes = changesBetween(facts, comparedFields(facts, drifting), before, job);
    return changes.length === 0 ? PASS : failOnProperties('the Job as it was', changes);
  },
});
