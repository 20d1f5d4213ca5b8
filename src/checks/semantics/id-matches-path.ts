/** `semantics.id-matches-path`: see its rule and sources in the declaration below (docs/checks.md shows its examples). */
import { defineCheck } from '../declaration';
import { answer, doesNotApply, exchange, fails, JOB, oracle, passes, update } from '../examples';
import { fail, NOT_APPLICABLE, PASS } from '../types';
import { jobOf, show } from '../values';

export const idMatchesPath = defineCheck({
  id: 'semantics.id-matches-path',
  group: 'semantics',
  rules: ['response.job-id'],
  rule: 'The Job returned has the id of the path (an integer).',
  appliesTo: ['update', 'observe.ifAccepted'],
  when: ['status 200'],
  examples: (facts) => [
    passes('the Job of job 241', exchange(answer(200, JOB)), oracle(facts, update())),
    fails('the id as a string', exchange(answer(200, { ...JOB, id: '241' })), oracle(facts, update()), 'id "241"'),
    fails('another job', exchange(answer(200, { ...JOB, id: 242 })), oracle(facts, update()), 'id 242'),
    doesNotApply('an update answered 400 (semantics.update-accepted reports it)', exchange(answer(400, { message: 'x' })), oracle(facts, update())),
  ],
  judge({ response }, { accepted, facts }) {
    const job = jobOf(response);
    if (job === undefined) return NOT_APPLICABLE; // not a Job: schema.body-matches-schema reports it
    const id = job[facts.idField];
    return id === accepted.jobId ? PASS : fail(`${facts.idField} ${accepted.jobId}`, `${facts.idField} ${show(id)}`);
  },
});
