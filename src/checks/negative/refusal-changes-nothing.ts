/** `negative.refusal-changes-nothing`: see its rule and sources in the declaration below (docs/checks.md shows its examples). */
import { defineCheck } from '../declaration';
import { answer, doesNotApply, exchange, fails, JOB, oracle, passes, put, update, INVALID } from '../examples';
import { failOnProperties, PASS } from '../types';
import { changesBetween, comparedFields } from '../values';

export const refusalChangesNothing = defineCheck({
  id: 'negative.refusal-changes-nothing',
  group: 'negative',
  rules: ['update.refusal-unchanged'],
  rule: 'A refused request (invalid data, bad credentials) leaves the job as it was.',
  appliesTo: ['reject', 'unauthorized'],
  needs: ['before', 'after'],
  examples: (facts) => [
    passes('invalid data refused, the job read back as it was', exchange(answer(400, { message: 'x' }), INVALID), oracle(facts, { kind: 'reject' }, { before: JOB, after: JOB })),
    fails(
      'a wrong key refused, but the name it carried taken',
      exchange(answer(401, 'Unauthorized', 'text/plain'), put({ name: 'x' }, { kind: 'wrong-basic' })),
      oracle(facts, { kind: 'unauthorized' }, { before: JOB, after: { ...JOB, name: 'x' } }),
      'name: "My New Job" -> "x"',
    ),
    doesNotApply('not read back after the request', exchange(answer(400, { message: 'x' }), INVALID), oracle(facts, { kind: 'reject' }, { before: JOB })),
  ],
  judge(_exchange, { facts, before, after, drifting }) {
    const changes = changesBetween(facts, comparedFields(facts, drifting), before, after);
    return changes.length === 0 ? PASS : failOnProperties('the Job as it was (read back after the request)', changes);
  },
});
