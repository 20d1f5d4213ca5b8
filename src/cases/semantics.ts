/**
 * Group 2, semantics: the id comes back; name, due and isProcessing round-trip (any RFC 3339 form as the same instant,
 * a string or a number in, an integer out); a partial update keeps the rest; the same PUT twice gives the same Job;
 * read-only, unknown, empty and absent bodies change nothing.
 */
import type { CaseDef } from '../case/case';
import { jsonRequest, request, skipWithheld, textBody } from './common';
import { changesOf } from '../checks/values';
import { otherValueFor, validValues } from './inputs';
import type { JobState } from '../checks/types';
import { jobOf } from '../checks/values';

/** One case per request field: each of its valid values round-trips (partial updates: other fields kept). */
function fieldRoundTrips(): CaseDef {
  return {
    name: 'each field round-trips alone (partial update keeps the others)',
    estimate: (facts) => Object.values(facts.requestFields).reduce((sum, schema) => sum + validValues(schema).length, 0),
    run: async (s) => {
      for (const [field, schema] of s.requestFields) {
        await skipWithheld(validValues(schema), async ({ value }) => {
          const body = { [field]: value };
          await s.send(jsonRequest(s, body), { expect: { kind: 'update', jobId: s.jobId, changes: changesOf(s.facts, body) } });
        });
      }
    },
  };
}

export const SEMANTIC_CASES: readonly CaseDef[] = [
  {
    name: 'PUT {} returns the job unchanged',
    estimate: () => 2,
    run: async (s) => {
      // From a state the case wrote itself (each field's last valid value): a PUT {} that puts a field back to some
      // default shows against it, whatever the job held and whatever ran before (on whichever lane).
      const body = Object.fromEntries(s.updatableFields.map((field) => [field, validValues(s.facts.requestFields[field] ?? {}).at(-1)?.value]));
      const written = await s.send(jsonRequest(s, body), { expect: { kind: 'update', jobId: s.jobId, changes: changesOf(s.facts, body) } });
      const before = (written.response.status === 200 ? jobOf(written.response) : undefined) ?? (await s.readJob());
      await s.send(jsonRequest(s, {}), { expect: { kind: 'update', jobId: s.jobId, changes: {} }, before });
    },
  },
  {
    name: 'an absent body changes nothing',
    estimate: () => 1,
    run: async (s) => {
      await s.send(request(s, undefined), { expect: { kind: 'update', jobId: s.jobId, changes: {} } });
    },
  },
  fieldRoundTrips(),
  {
    name: 'every updatable field at once round-trips',
    estimate: () => 1,
    run: async (s) => {
      const body = Object.fromEntries(
        s.updatableFields.map((field) => [field, validValues(s.facts.requestFields[field] ?? {})[0]?.value]),
      );
      await s.send(jsonRequest(s, body), { expect: { kind: 'update', jobId: s.jobId, changes: changesOf(s.facts, body) } });
    },
  },
  {
    name: 'the same PUT twice gives the same Job',
    estimate: () => 2,
    run: async (s) => {
      const body = Object.fromEntries(
        s.updatableFields.map((field) => [field, validValues(s.facts.requestFields[field] ?? {}).at(-1)?.value]),
      );
      const expect = { kind: 'update', jobId: s.jobId, changes: changesOf(s.facts, body) } as const;
      const first = await s.send(jsonRequest(s, body), { expect });
      await s.send(jsonRequest(s, body), { expect, earlier: first });
    },
  },
  {
    name: 'read-only Job fields in the body change nothing',
    estimate: (facts) => 2 * Object.keys(facts.readOnlyFields).length,
    run: async (s) => {
      for (const [field, schema] of Object.entries(s.facts.readOnlyFields)) {
        const before = await s.readJob();
        const sent = otherValueFor(schema, before[field]);
        await s.send(jsonRequest(s, { [field]: sent }), {
          expect: { kind: 'update', jobId: s.jobId, changes: {}, readOnlySent: { [field]: sent } },
          before,
        });
      }
    },
  },
  {
    name: 'other jobs: each comes back with its own id, and an update of this job changes no other',
    // Each other job read before and after; the update, after a read of this job (the reads of others left it unknown).
    estimate: (_facts, run) => (run.otherJobIds.length === 0 ? 0 : 2 + 2 * run.otherJobIds.length),
    readsOtherJobs: true,
    run: async (s) => {
      if (s.otherJobIds.length === 0) return;
      const befores: Array<{ id: number; job: JobState | undefined }> = [];
      for (const id of s.otherJobIds) {
        const read = await s.send(jsonRequest(s, {}, s.auth, String(id)), { expect: { kind: 'update', jobId: id, changes: {} } });
        befores.push({ id, job: read.response.status === 200 ? jobOf(read.response) : undefined });
      }
      const body = textBody(s, 'lilt-conformance cross-job probe');
      await s.send(jsonRequest(s, body), { expect: { kind: 'update', jobId: s.jobId, changes: changesOf(s.facts, body) } });
      for (const { id, job } of befores) {
        await s.send(jsonRequest(s, {}, s.auth, String(id)), {
          expect: { kind: 'other-job', jobId: id, written: s.jobId },
          ...(job === undefined ? {} : { before: job }),
        });
      }
    },
  },
  {
    name: 'unknown fields change nothing',
    estimate: () => 1,
    run: async (s) => {
      await s.send(jsonRequest(s, { liltConformanceUnknown: 'x', nested: { name: 'not me' } }), {
        expect: { kind: 'update', jobId: s.jobId, changes: {} },
      });
    },
  },
];
