/** `semantics.fields-round-trip`: see its rule and sources in the declaration below (docs/checks.md shows its examples). */
import { defineCheck } from '../declaration';
import { answer, doesNotApply, exchange, fails, JOB, JOB_ID, oracle, passes, put, update, OPEN_INPUT, OPEN_REQUEST } from '../examples';
import { fail, NOT_APPLICABLE, PASS, type Expectation } from '../types';
import { jobOf, sameFieldValue, show } from '../values';

const SENT = { name: 'new', due: '2031-01-02T12:04:05.120+09:00', isProcessing: '1' };
const SENT_AS_JOB = { name: 'new', due: '2031-01-02T12:04:05.120+09:00', isProcessing: 1 };
/** `due` sent twice, valid then invalid: if accepted, the valid one must be stored. */
const TWICE: Expectation = { kind: 'observe', rule: 'envelope.duplicate-keys', ifAccepted: { jobId: JOB_ID, changes: {}, unjudged: ['due'], oneOf: { due: ['2031-01-02T03:04:05Z'] } } };
const BACK = { ...JOB, name: 'new', due: '2031-01-02T03:04:05.12Z', isProcessing: 1 };

export const fieldsRoundTrip = defineCheck({
  id: 'semantics.fields-round-trip',
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
    passes('a key twice, one of its valid values stored', exchange(answer(200, { ...JOB, due: '2031-01-02T03:04:05Z' }), put('{"due":"2031-01-02T03:04:05Z","due":"soon"}')), oracle(facts, TWICE)),
    fails('a key twice, the invalid value stored', exchange(answer(200, { ...JOB, due: 'soon' }), put('{"due":"2031-01-02T03:04:05Z","due":"soon"}')), oracle(facts, TWICE), 'due "soon"'),
  ],
  judge({ response }, { accepted, facts }) {
    const entries = Object.entries(accepted.changes);
    const oneOf = Object.entries(accepted.oneOf ?? {});
    if (entries.length === 0 && oneOf.length === 0) return NOT_APPLICABLE; // nothing sent to round-trip: semantics.no-op-changes-nothing's
    const job = jobOf(response);
    if (job === undefined) return NOT_APPLICABLE; // not a Job: schema.body-matches-schema reports it
    const wrong = entries.filter(([field, value]) => !sameFieldValue(facts, field, value, job[field]));
    const notOne = oneOf.filter(([field, values]) => !values.some((value) => sameFieldValue(facts, field, value, job[field])));
    if (wrong.length === 0 && notOne.length === 0) return PASS;
    return fail(
      [...wrong.map(([field, value]) => `${field} ${show(value)}`), ...notOne.map(([field, values]) => `${field} one of ${values.map(show).join(', ')}`)].join(', '),
      [...wrong, ...notOne].map(([field]) => `${field} ${show(job[field])}`).join(', '),
    );
  },
});
