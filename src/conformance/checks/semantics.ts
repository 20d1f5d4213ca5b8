/**
 * Group 2, semantics of a valid update: the job named by the path comes back, with exactly the changes sent.
 */
import { isDeepStrictEqual } from 'node:util';
import { changedFields, jobOf, sameFieldValue, show, statusIs } from './values';
import { acceptedUpdate, fail, NOT_APPLICABLE, PASS, type Check } from './types';

export const updateAccepted: Check = {
  id: 'update.accepted',
  group: 'semantics',
  rule: 'A valid update with valid credentials gets 200 with the Job.',
  run({ response }, { expect }) {
    if (expect.kind !== 'update') return NOT_APPLICABLE;
    return statusIs(response, 200);
  },
};

export const idMatchesPath: Check = {
  id: 'job.id-matches-path',
  group: 'semantics',
  rule: 'The Job returned has the id of the path (an integer).',
  run({ response }, { expect, facts }) {
    const update = acceptedUpdate(expect, response.status);
    if (update === undefined || response.status !== 200) return NOT_APPLICABLE;
    const job = jobOf(response);
    if (job === undefined) return NOT_APPLICABLE; // response.body-matches-schema reports it
    const id = job[facts.idField];
    return id === update.jobId ? PASS : fail(`${facts.idField} ${update.jobId}`, `${facts.idField} ${show(id)}`);
  },
};

export const fieldsRoundTrip: Check = {
  id: 'update.fields-round-trip',
  group: 'semantics',
  rule: 'Each field sent is in the Job returned: name exactly, due as the same instant, isProcessing as the integer.',
  run({ response }, { expect, facts }) {
    const update = acceptedUpdate(expect, response.status);
    if (update === undefined || response.status !== 200) return NOT_APPLICABLE;
    const entries = Object.entries(update.changes);
    if (entries.length === 0) return NOT_APPLICABLE;
    const job = jobOf(response);
    if (job === undefined) return NOT_APPLICABLE;
    const wrong = entries.filter(([field, value]) => !sameFieldValue(facts, field, value, job[field]));
    if (wrong.length === 0) return PASS;
    return fail(
      wrong.map(([field, value]) => `${field} ${show(value)}`).join(', '),
      wrong.map(([field]) => `${field} ${show(job[field])}`).join(', '),
    );
  },
};

export const otherFieldsKept: Check = {
  id: 'update.other-fields-kept',
  group: 'semantics',
  rule: 'A partial update leaves the fields it does not send as they were.',
  run({ response }, { expect, facts, before }) {
    const update = acceptedUpdate(expect, response.status);
    if (update === undefined || response.status !== 200 || before === undefined) return NOT_APPLICABLE;
    // A no-op is update.no-op-changes-nothing's (an open input's, with its unjudged fields, is judged here).
    if (Object.keys(update.changes).length === 0 && update.unjudged.length === 0) return NOT_APPLICABLE;
    const job = jobOf(response);
    if (job === undefined) return NOT_APPLICABLE;
    const others = facts.updatableFields.filter((field) => !(field in update.changes) && !update.unjudged.includes(field));
    if (others.length === 0) return NOT_APPLICABLE;
    const changed = changedFields(facts, others, before, job);
    return changed.length === 0 ? PASS : fail(`${others.join(', ')} unchanged`, changed.join('; '));
  },
};

export const noOpChangesNothing: Check = {
  id: 'update.no-op-changes-nothing',
  group: 'semantics',
  rule: 'An empty or absent body, or one with only read-only or unknown fields, changes nothing.',
  run({ response }, { expect, facts, before }) {
    if (expect.kind !== 'update' || response.status !== 200 || before === undefined) return NOT_APPLICABLE;
    if (Object.keys(expect.changes).length > 0) return NOT_APPLICABLE;
    const job = jobOf(response);
    if (job === undefined) return NOT_APPLICABLE;
    const changed = changedFields(facts, facts.updatableFields, before, job);
    return changed.length === 0 ? PASS : fail(`${facts.updatableFields.join(', ')} unchanged`, changed.join('; '));
  },
};

export const readOnlyIgnored: Check = {
  id: 'update.read-only-ignored',
  group: 'semantics',
  rule: 'Read-only Job fields sent in the body (id, status, stats, ...) do not take effect.',
  run({ response }, { expect, before }) {
    if (expect.kind !== 'update' || response.status !== 200 || expect.readOnlySent === undefined) return NOT_APPLICABLE;
    const job = jobOf(response);
    if (job === undefined) return NOT_APPLICABLE;
    const taken = Object.entries(expect.readOnlySent).filter(
      ([field, sent]) => isDeepStrictEqual(job[field], sent) && !isDeepStrictEqual(before?.[field], sent),
    );
    if (taken.length === 0) return PASS;
    return fail(
      taken.map(([field]) => `${field} as it was (${show(before?.[field])})`).join(', '),
      taken.map(([field, sent]) => `${field} set to the value sent, ${show(sent)}`).join(', '),
    );
  },
};

export const idempotent: Check = {
  id: 'update.idempotent',
  group: 'semantics',
  rule: 'The same PUT twice gives the same Job.',
  run({ response }, { earlier, facts }) {
    if (earlier === undefined) return NOT_APPLICABLE;
    if (earlier.response.status !== response.status) {
      return fail(`status ${earlier.response.status}, as the first time`, `status ${response.status}`);
    }
    if (response.status !== 200) return NOT_APPLICABLE;
    const first = jobOf(earlier.response);
    const second = jobOf(response);
    if (first === undefined || second === undefined) return NOT_APPLICABLE;
    // The whole Job (date-times as instants): the two PUTs go out back to back, so even counters should hold still.
    const fields = [...new Set([...Object.keys(first), ...Object.keys(second)])];
    const changed = changedFields(facts, fields, first, second);
    return changed.length === 0 ? PASS : fail('the Job of the first PUT', changed.join('; '));
  },
};

export const SEMANTIC_CHECKS: readonly Check[] = [
  updateAccepted,
  idMatchesPath,
  fieldsRoundTrip,
  otherFieldsKept,
  noOpChangesNothing,
  readOnlyIgnored,
  idempotent,
];
