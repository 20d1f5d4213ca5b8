/** `semantics.other-fields-kept`: see its rule and sources in the declaration below (docs/checks.md shows its examples). */
import { defineCheck } from '../declaration';
import { answer, doesNotApply, exchange, fails, JOB, oracle, passes, put, update, OPEN_INPUT, OPEN_REQUEST } from '../examples';
import { failOnProperties, NOT_APPLICABLE, PASS } from '../types';
import { changesBetween, comparedFields, jobOf } from '../values';

export const otherFieldsKept = defineCheck({
  id: 'semantics.other-fields-kept',
  group: 'semantics',
  rules: ['body.partial'],
  rule: 'An update leaves every Job property it does not set as it was (read-only ones included; those the run saw move on their own aside).',
  appliesTo: ['update', 'observe.ifAccepted'],
  when: ['status 200'],
  needs: ['before'],
  examples: (facts) => [
    passes('PUT {"name":"new"}: due and isProcessing as before', exchange(answer(200, { ...JOB, name: 'new' }), put({ name: 'new' })), oracle(facts, update({ name: 'new' }), { before: JOB })),
    fails(
      'PUT {"name":"new"}: due wiped',
      exchange(answer(200, { ...JOB, name: 'new', due: '2000-01-01T00:00:00Z' }), put({ name: 'new' })),
      oracle(facts, update({ name: 'new' }), { before: JOB }),
      'due: "2021-06-03T13:43:00Z" -> "2000-01-01T00:00:00Z"',
    ),
    fails(
      'an open input accepted: isProcessing changed',
      exchange(answer(200, { ...JOB, name: 'n', due: '2031-01-02T03:04:05+09:00', isProcessing: 1 }), OPEN_REQUEST),
      oracle(facts, OPEN_INPUT, { before: JOB }),
      'isProcessing: 0 -> 1',
    ),
    doesNotApply('the state before is not known', exchange(answer(200, { ...JOB, name: 'new' }), put({ name: 'new' })), oracle(facts, update({ name: 'new' }))),
  ],
  judge({ response }, { accepted, facts, before, drifting }) {
    // A no-op is semantics.no-op-changes-nothing's (an open input's, with its unjudged fields, is judged here).
    if (Object.keys(accepted.changes).length === 0 && accepted.unjudged.length === 0) return NOT_APPLICABLE; // a no-op
    const job = jobOf(response);
    if (job === undefined) return NOT_APPLICABLE; // not a Job: schema.body-matches-schema reports it
    const others = comparedFields(facts, drifting, [...Object.keys(accepted.changes), ...accepted.unjudged]);
    const changes = changesBetween(facts, others, before, job);
    return changes.length === 0 ? PASS : failOnProperties('every property not sent as it was', changes);
  },
});
