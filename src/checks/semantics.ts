/**
 * Group 2, semantics of a valid update: the job named by the path comes back, with exactly the changes sent.
 */
import { isDeepStrictEqual } from 'node:util';
import { defineCheck } from './declaration';
import { answer, doesNotApply, exchange, fails, JOB, JOB_ID, oracle, passes, put, update } from './examples';
import { changesBetween, comparedFields, jobOf, sameFieldValue, show, statusIs } from './values';
import { fail, failOnProperties, NOT_APPLICABLE, PASS, type Check, type Expectation } from './types';

/** An open input (`due` sent in a form BEHAVIOUR.md leaves open): if accepted, `name` must round-trip. */
const OPEN_INPUT: Expectation = { kind: 'observe', rule: 'body.due-open-forms', ifAccepted: { jobId: JOB_ID, changes: { name: 'n' }, unjudged: ['due'] } };
const OPEN_REQUEST = put({ name: 'n', due: '2031-01-02 03:04:05+09' });

export const updateAccepted = defineCheck({
  id: 'update.accepted',
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

export const idMatchesPath = defineCheck({
  id: 'job.id-matches-path',
  group: 'semantics',
  rules: ['response.job-id'],
  rule: 'The Job returned has the id of the path (an integer).',
  appliesTo: ['update', 'observe.ifAccepted'],
  when: ['status 200'],
  examples: (facts) => [
    passes('the Job of job 241', exchange(answer(200, JOB)), oracle(facts, update())),
    fails('the id as a string', exchange(answer(200, { ...JOB, id: '241' })), oracle(facts, update()), 'id "241"'),
    fails('another job', exchange(answer(200, { ...JOB, id: 242 })), oracle(facts, update()), 'id 242'),
    doesNotApply('an update answered 400 (update.accepted reports it)', exchange(answer(400, { message: 'x' })), oracle(facts, update())),
  ],
  judge({ response }, { accepted, facts }) {
    const job = jobOf(response);
    if (job === undefined) return NOT_APPLICABLE; // not a Job: response.body-matches-schema reports it
    const id = job[facts.idField];
    return id === accepted.jobId ? PASS : fail(`${facts.idField} ${accepted.jobId}`, `${facts.idField} ${show(id)}`);
  },
});

const SENT = { name: 'new', due: '2031-01-02T12:04:05.120+09:00', isProcessing: '1' };
const SENT_AS_JOB = { name: 'new', due: '2031-01-02T12:04:05.120+09:00', isProcessing: 1 };
const BACK = { ...JOB, name: 'new', due: '2031-01-02T03:04:05.12Z', isProcessing: 1 };

export const fieldsRoundTrip = defineCheck({
  id: 'update.fields-round-trip',
  group: 'semantics',
  rules: ['update.round-trip', 'body.name-exact', 'body.due-instant', 'body.isProcessing'],
  rule: 'Each field sent is in the Job returned: name exactly, due as the same instant, isProcessing as the integer.',
  appliesTo: ['update', 'observe.ifAccepted'],
  when: ['status 200'],
  examples: (facts) => [
    passes('every field back, due as the same instant in another form', exchange(answer(200, BACK), put(SENT)), oracle(facts, update(SENT_AS_JOB))),
    fails('the name lost', exchange(answer(200, { ...BACK, name: 'My New Job' }), put(SENT)), oracle(facts, update(SENT_AS_JOB)), 'name "My New Job"'),
    fails('isProcessing back as a string', exchange(answer(200, { ...BACK, isProcessing: '1' }), put(SENT)), oracle(facts, update(SENT_AS_JOB)), 'isProcessing "1"'),
    passes('an open input accepted, its name back', exchange(answer(200, { ...JOB, name: 'n', due: '2031-01-02T03:04:05+09:00' }), OPEN_REQUEST), oracle(facts, OPEN_INPUT)),
    doesNotApply('an open input refused (no verdict either way)', exchange(answer(400, { message: 'x' }), OPEN_REQUEST), oracle(facts, OPEN_INPUT)),
  ],
  judge({ response }, { accepted, facts }) {
    const entries = Object.entries(accepted.changes);
    if (entries.length === 0) return NOT_APPLICABLE; // nothing sent to round-trip: update.no-op-changes-nothing's
    const job = jobOf(response);
    if (job === undefined) return NOT_APPLICABLE; // not a Job: response.body-matches-schema reports it
    const wrong = entries.filter(([field, value]) => !sameFieldValue(facts, field, value, job[field]));
    if (wrong.length === 0) return PASS;
    return fail(
      wrong.map(([field, value]) => `${field} ${show(value)}`).join(', '),
      wrong.map(([field]) => `${field} ${show(job[field])}`).join(', '),
    );
  },
});

export const otherFieldsKept = defineCheck({
  id: 'update.other-fields-kept',
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
    // A no-op is update.no-op-changes-nothing's (an open input's, with its unjudged fields, is judged here).
    if (Object.keys(accepted.changes).length === 0 && accepted.unjudged.length === 0) return NOT_APPLICABLE; // a no-op
    const job = jobOf(response);
    if (job === undefined) return NOT_APPLICABLE; // not a Job: response.body-matches-schema reports it
    const others = comparedFields(facts, drifting, [...Object.keys(accepted.changes), ...accepted.unjudged]);
    const changes = changesBetween(facts, others, before, job);
    return changes.length === 0 ? PASS : failOnProperties('every property not sent as it was', changes);
  },
});

export const noOpChangesNothing = defineCheck({
  id: 'update.no-op-changes-nothing',
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
    if (Object.keys(expect.changes).length > 0) return NOT_APPLICABLE; // not a no-op: update.fields-round-trip and update.other-fields-kept judge it
    const job = jobOf(response);
    if (job === undefined) return NOT_APPLICABLE; // not a Job: response.body-matches-schema reports it
    const changes = changesBetween(facts, comparedFields(facts, drifting), before, job);
    return changes.length === 0 ? PASS : failOnProperties('the Job as it was', changes);
  },
});

const READ_ONLY_SENT = update({}, { readOnlySent: { status: 'archived' } });

export const readOnlyIgnored = defineCheck({
  id: 'update.read-only-ignored',
  group: 'semantics',
  rules: ['body.read-only-ignored'],
  rule: 'Read-only Job fields sent in the body (id, status, stats, ...) do not take effect.',
  appliesTo: ['update'],
  when: ['status 200'],
  examples: (facts) => [
    passes('PUT {"status":"archived"}: status as it was', exchange(answer(200, JOB), put({ status: 'archived' })), oracle(facts, READ_ONLY_SENT, { before: JOB })),
    fails(
      'PUT {"status":"archived"}: status archived',
      exchange(answer(200, { ...JOB, status: 'archived' }), put({ status: 'archived' })),
      oracle(facts, READ_ONLY_SENT, { before: JOB }),
      'status set to the value sent, "archived"',
    ),
    doesNotApply('PUT {} (nothing read-only sent)', exchange(answer(200, JOB)), oracle(facts, update(), { before: JOB })),
  ],
  judge({ response }, { expect, before }) {
    if (expect.readOnlySent === undefined) return NOT_APPLICABLE; // nothing read-only was sent
    const job = jobOf(response);
    if (job === undefined) return NOT_APPLICABLE; // not a Job: response.body-matches-schema reports it
    const taken = Object.entries(expect.readOnlySent).filter(
      ([field, sent]) => isDeepStrictEqual(job[field], sent) && !isDeepStrictEqual(before?.[field], sent),
    );
    if (taken.length === 0) return PASS;
    return fail(
      taken.map(([field]) => `${field} as it was (${show(before?.[field])})`).join(', '),
      taken.map(([field, sent]) => `${field} set to the value sent, ${show(sent)}`).join(', '),
    );
  },
});

export const idempotent = defineCheck({
  id: 'update.idempotent',
  group: 'semantics',
  rules: ['update.idempotent'],
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
    if (first === undefined || second === undefined) return NOT_APPLICABLE; // not a Job: response.body-matches-schema reports it
    // The whole Job (date-times as instants), but what the run saw move on its own (a live job's counters).
    const changes = changesBetween(facts, comparedFields(facts, drifting), first, second);
    return changes.length === 0 ? PASS : failOnProperties('the Job of the first PUT', changes);
  },
});

const OTHER_JOB = { kind: 'other-job', jobId: 242, written: 241 } as const;
const JOB_242 = { ...JOB, id: 242, name: 'another job' };

export const otherJobsUnchanged = defineCheck({
  id: 'jobs.others-unchanged',
  group: 'semantics',
  rules: ['jobs.others-unchanged'],
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
    if (job === undefined) return NOT_APPLICABLE; // not a Job: response.body-matches-schema reports it
    if (job[facts.idField] !== expect.jobId) return fail(`${facts.idField} ${expect.jobId}`, `${facts.idField} ${show(job[facts.idField])}`);
    const changes = changesBetween(facts, comparedFields(facts, drifting), before, job);
    return changes.length === 0 ? PASS : failOnProperties(`job ${expect.jobId} as it was before job ${expect.written} was written`, changes);
  },
});

export const SEMANTIC_CHECKS: readonly Check[] = [
  updateAccepted,
  idMatchesPath,
  fieldsRoundTrip,
  otherFieldsKept,
  noOpChangesNothing,
  readOnlyIgnored,
  idempotent,
  otherJobsUnchanged,
];
