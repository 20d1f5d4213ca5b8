/** `semantics.read-only-ignored`: see its rule and sources in the declaration below (docs/checks.md shows its examples). */
import { isDeepStrictEqual } from 'node:util';
import { defineCheck } from '../declaration';
import { answer, doesNotApply, exchange, fails, JOB, oracle, passes, put, update } from '../examples';
import { fail, NOT_APPLICABLE, PASS } from '../types';
import { jobOf, show } from '../values';

const READ_ONLY_SENT = update({}, { readOnlySent: { status: 'archived' } });

export const readOnlyIgnored = defineCheck({
  id: 'semantics.read-only-ignored',
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
    if (job === undefined) return NOT_APPLICABLE; // not a Job: schema.body-matches-schema reports it
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
