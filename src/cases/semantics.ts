/**
 * Group 2, semantics: the id comes back; name, due and isProcessing round-trip (any RFC 3339 form as the same instant,
 * a string or a number in, an integer out); a partial update keeps the rest; the same PUT twice gives the same Job;
 * read-only, unknown, empty and absent bodies change nothing.
 */
import type { ScenarioDef } from '../case/case';
import { changesOf, each, put, putJson } from './common';
import { otherValueFor, validValues } from './inputs';
import type { JobState } from '../checks/types';
import { jobOf } from '../checks/values';

/** One scenario per request field: each of its valid values round-trips (partial updates: other fields kept). */
function fieldRoundTrips(): ScenarioDef {
  return {
    name: 'each field round-trips alone (partial update keeps the others)',
    estimate: (facts) => Object.values(facts.requestFields).reduce((sum, schema) => sum + validValues(schema).length, 0),
    run: async (s) => {
      for (const [field, schema] of s.requestFields) {
        await each(validValues(schema), async ({ value }) => {
          const body = { [field]: value };
          await s.send(putJson(s, body), { expect: { kind: 'update', jobId: s.run.jobId, changes: changesOf(s.facts, body) } });
        });
      }
    },
  };
}

export const SEMANTIC_SCENARIOS: readonly ScenarioDef[] = [
  {
    name: 'PUT {} returns the job unchanged',
    estimate: () => 2,
    run: async (s) => {
      // From a state the case wrote itself (each field's last valid value): a PUT {} that puts a field back to some
      // default shows against it, whatever the job held and whatever ran before (on whichever lane).
      const body = Object.fromEntries(s.updatableFields.map((field) => [field, validValues(s.facts.requestFields[field] ?? {}).at(-1)?.value]));
      const written = await s.send(putJson(s, body), { expect: { kind: 'update', jobId: s.run.jobId, changes: changesOf(s.facts, body) } });
      const before = (written.response.status === 200 ? jobOf(written.response) : undefined) ?? (await s.readJob());
      await s.send(putJson(s, {}), { expect: { kind: 'update', jobId: s.run.jobId, changes: {} }, before });
    },
  },
  {
    name: 'an absent body changes nothing',
    estimate: () => 1,
    run: async (s) => {
      await s.send(put(s, undefined), { expect: { kind: 'update', jobId: s.run.jobId, changes: {} } });
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
      await s.send(putJson(s, body), { expect: { kind: 'update', jobId: s.run.jobId, changes: changesOf(s.facts, body) } });
    },
  },
  {
    name: 'the same PUT twice gives the same Job',
    estimate: () => 2,
    run: async (s) => {
      const body = Object.fromEntries(
        s.updatableFields.map((field) => [field, validValues(s.facts.requestFields[field] ?? {}).at(-1)?.value]),
      );
      const expect = { kind: 'update', jobId: s.run.jobId, changes: changesOf(s.facts, body) } as const;
      const first = await s.send(putJson(s, body), { expect });
      await s.send(putJson(s, body), { expect, earlier: first });
    },
  },
  {
    name: 'read-only Job fields in the body change nothing',
    estimate: (facts) => 2 * Object.keys(facts.readOnlyFields).length,
    run: async (s) => {
      for (const [field, schema] of Object.entries(s.facts.readOnlyFields)) {
        const before = await s.readJob();
        const sent = otherValueFor(schema, before[field]);
        await s.send(putJson(s, { [field]: sent }), {
          expect: { kind: 'update', jobId: s.run.jobId, changes: {}, readOnlySent: { [field]: sent } },
          before,
        });
      }
    },
  },
  {
    name: 'other jobs: each comes back with its own id, and an update of this job changes no other',
    // Each other job read before and after; the update, after a read of this job (the reads of others left it unknown).
    estimate: (_facts, run) => (run.otherJobIds.length === 0 ? 0 : 2 + 2 * run.otherJobIds.length),
    quiet: true,
    run: async (s) => {
      if (s.run.otherJobIds.length === 0) return;
      const befores: Array<{ id: number; job: JobState | undefined }> = [];
      for (const id of s.run.otherJobIds) {
        const read = await s.send(putJson(s, {}, s.auth, String(id)), { expect: { kind: 'update', jobId: id, changes: {} } });
        befores.push({ id, job: read.response.status === 200 ? jobOf(read.response) : undefined });
      }
      const body = { name: 'lilt-conformance cross-job probe' };
      await s.send(putJson(s, body), { expect: { kind: 'update', jobId: s.run.jobId, changes: changesOf(s.facts, body) } });
      for (const { id, job } of befores) {
        await s.send(putJson(s, {}, s.auth, String(id)), {
          expect: { kind: 'other-job', jobId: id, written: s.run.jobId },
          ...(job === undefined ? {} : { before: job }),
        });
      }
    },
  },
  {
    name: 'unknown fields change nothing',
    estimate: () => 1,
    run: async (s) => {
      await s.send(putJson(s, { liltConformanceUnknown: 'x', nested: { name: 'not me' } }), {
        expect: { kind: 'update', jobId: s.run.jobId, changes: {} },
      });
    },
  },
];
