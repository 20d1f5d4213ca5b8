/** `auth.methods-agree`: see its rule and sources in the declaration below (docs/checks.md shows its examples). */
import { defineCheck } from '../declaration';
import { answer, doesNotApply, exchange, fails, JOB, oracle, passes, put, update } from '../examples';
import { fail, PASS } from '../types';
import { jobOf, sameFieldValue, show } from '../values';

const BY_BASIC = exchange(answer(200, JOB), put({}, { kind: 'basic' }));

export const methodsAgree = defineCheck({
  id: 'auth.methods-agree',
  group: 'auth',
  rules: ['auth.methods-agree'],
  rule: 'The same request sent with Basic auth and with the key query parameter gets the same answer.',
  appliesTo: 'every response',
  needs: ['otherMethod'],
  examples: (facts) => [
    passes('the same Job both ways', exchange(answer(200, JOB), put({}, { kind: 'query' })), oracle(facts, update(), { otherMethod: BY_BASIC })),
    fails('a 403 by the query parameter', exchange(answer(403, { message: 'x' }), put({}, { kind: 'query' })), oracle(facts, update(), { otherMethod: BY_BASIC }), 'query: status 403'),
    fails('another name by the query parameter', exchange(answer(200, { ...JOB, name: 'other' }), put({}, { kind: 'query' })), oracle(facts, update(), { otherMethod: BY_BASIC }), 'query: name "other"'),
    doesNotApply('sent by one method only', exchange(answer(200, JOB), put({}, { kind: 'query' })), oracle(facts, update())),
  ],
  judge({ request, response }, { otherMethod, facts }) {
    const other = otherMethod.response;
    const here = request.auth.kind;
    const there = otherMethod.request.auth.kind;
    if (other.status !== response.status) {
      return fail(`the same status both ways (${there}: ${other.status})`, `${here}: status ${response.status}`);
    }
    const a = jobOf(other);
    const b = jobOf(response);
    if (response.status !== 200 || a === undefined || b === undefined) return PASS;
    const fields = [facts.idField, ...facts.updatableFields];
    const differ = fields.filter((field) => !sameFieldValue(facts, field, a[field], b[field]));
    return differ.length === 0
      ? PASS
      : fail(`the same Job both ways (${there}: ${differ.map((f) => `${f} ${show(a[f])}`).join(', ')})`, `${here}: ${differ.map((f) => `${f} ${show(b[f])}`).join(', ')}`);
  },
});
