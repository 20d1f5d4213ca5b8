/** `schema.status-documented`: see its rule and sources in the declaration below (docs/checks.md shows its examples). */
import { defineCheck, isDocumentedStatus } from '../declaration';
import { answer, exchange, fails, JOB, oracle, passes } from '../examples';
import { fail, PASS } from '../types';

function documentedStatusText(explicit: readonly number[], hasDefault: boolean): string {
  return `${explicit.join(', ')}${hasDefault ? ', or an error status (4xx) under default' : ''}`;
}

export const statusDocumented = defineCheck({
  id: 'schema.status-documented',
  group: 'schema',
  rules: ['status.documented'],
  rule: 'The status is one the operation documents (an explicit code, or an error under `default`); 201/204 and 3xx are not.',
  appliesTo: 'every response',
  examples: (facts) => [
    passes('a 200 with the Job', exchange(answer(200, JOB)), oracle(facts)),
    passes('a 404 with the Error body (an error, under default)', exchange(answer(404, { message: 'Job not found' })), oracle(facts)),
    fails('a 201 Created', exchange(answer(201, JOB)), oracle(facts), 'status 201'),
    fails('a 302 redirect', exchange(answer(302, '', 'text/html')), oracle(facts), 'status 302'),
  ],
  judge({ response }, { facts }) {
    const { status } = response;
    if (isDocumentedStatus(facts, status)) return PASS;
    return fail(documentedStatusText(facts.explicitStatuses, facts.hasDefault), `status ${status}`);
  },
});
