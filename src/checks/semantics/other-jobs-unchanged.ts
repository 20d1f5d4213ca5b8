/** `semantics.other-jobs-unchanged`: see its rule and sources in the declaration below (docs/checks.md shows its examples). */
import { defineCheck } from '../declaration';
import { answer, exchange, fails, JOB, oracle, passes, put, update } from '../examples';
import { fail, failOnProperties, NOT_APPLICABLE, PASS } from '../types';
import { changesBetween, comparedFields, jobOf, show } from '../values';

const OTHER_JOB = { kind: 'other-job', jobId: 242, written: 241 } as const;
const JOB_242 = { ...JOB, id: 242, name: 'another job' };

export const otherJobsUnchanged = defineCheck({
  id: 'semantics.other-jobs-unchanged',
  group: 'semantics',
  rules: ['update.other-jobs-unchanged'],
  rule: 'An update of one job changes no other job, and each job comes back with its own id (the ids do not all map to one job).',
  appliesTo: ['other-job'],
  when: ['status 200'],
  needs: ['before'],
  examples: (facts) => [
    passes('job 242 read after job 241 was written: as it was', exchange(answer(200, JOB_242), put({}, { kind: 'basic' }, '242')), oracle(facts, OTHER_JOB, { before: JOB_242 })),
    fails(
      'job 242 took the name written to job 241',
      exchange(answer(200, { ...JOB_242, name: 'written to 241' }), put({}, { kind: 'basic' }, '242')),
      oracle(facts, OTHER_JOB, { before: JOB_242 }),
      'name: "another job" -> "written to 241"',
    ),
    fails('job 242 read back as job 241', exchange(answer(200, JOB), put({}, { kind: 'basic' }, '242')), oracle(facts, OTHER_JOB, { before: JOB_242 }), 'id 241'),
  ],
  judge({ response }, { expect, facts, before, drifting }) {
    const job = jobOf(response);
    if (job === undefined) return NOT_APPLICABLE; // not a Job: schema.body-matches-schema reports it
    if (job[facts.idField] !== expect.jobId) return fail(`${facts.idField} ${expect.jobId}`, `${facts.idField} ${show(job[facts.idField])}`);
    const changes = changesBetween(facts, comparedFields(facts, drifting), before, job);
    return changes.length === 0 ? PASS : failOnProperties(`job ${expect.jobId} as it was before job ${expect.written} was written`, changes);
  },
});
