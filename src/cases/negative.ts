/**
 * Group 3, negative data: invalid values of each field (by its schema's kind), malformed JSON and non-object JSON get
 * a 4xx with the Error body and leave the job as it was (read back after each). Inputs BEHAVIOUR.md leaves open are
 * sent too, and judged by response conformance only.
 */
import type { CaseDef } from '../case/case';
import { jsonRequest, request, skipWithheld } from './common';
import { invalidValues, MALFORMED_BODIES, NON_OBJECT_BODIES, openValues } from './inputs';

export const NEGATIVE_CASES: readonly CaseDef[] = [
  {
    name: 'invalid field values are refused and change nothing',
    // One request each: the refusals are read back by their probe section (one read-back a round, counted there).
    estimate: (facts) => Object.values(facts.requestFields).reduce((sum, schema) => sum + invalidValues(schema).length, 0),
    probe: true,
    run: async (s) => {
      const inputs = s.requestFields.flatMap(([field, schema]) => invalidValues(schema).map(({ value }) => ({ field, value })));
      await s.forEach(inputs, async ({ field, value }) => {
        await s.send(jsonRequest(s, { [field]: value }), { expect: { kind: 'reject' } });
      });
    },
  },
  {
    name: 'an invalid field among valid ones is refused and changes nothing',
    estimate: () => 1,
    probe: true,
    run: async (s) => {
      const [first, second] = s.updatableFields;
      if (first === undefined || second === undefined) return;
      const bad = invalidValues(s.facts.requestFields[second] ?? {})[0];
      await s.send(jsonRequest(s, { [first]: 'lilt-conformance must not stick', [second]: bad?.value ?? null }), {
        expect: { kind: 'reject' },
      });
    },
  },
  {
    name: 'malformed JSON is refused and changes nothing',
    estimate: () => MALFORMED_BODIES.length,
    probe: true,
    run: async (s) => {
      await s.forEach(MALFORMED_BODIES, async ({ value }) => {
        await s.send(request(s, String(value)), { expect: { kind: 'reject' } });
      });
    },
  },
  {
    name: 'JSON that is not an object is refused and changes nothing',
    estimate: () => NON_OBJECT_BODIES.length,
    probe: true,
    run: async (s) => {
      await s.forEach(NON_OBJECT_BODIES, async ({ value }) => {
        await s.send(request(s, String(value)), { expect: { kind: 'reject' } });
      });
    },
  },
  {
    name: 'inputs BEHAVIOUR.md leaves open get a conformant answer either way',
    // An open answer leaves the state unknown: every value after the first is preceded by a read.
    estimate: (facts) => {
      const values = Object.values(facts.requestFields).reduce((sum, schema) => sum + openValues(schema).length, 0);
      return Math.max(0, 2 * values - 1);
    },
    run: async (s) => {
      for (const [field, schema] of s.requestFields) {
        await skipWithheld(openValues(schema), async ({ value }) => {
          await s.send(jsonRequest(s, { [field]: value }), {
            expect: { kind: 'observe', rule: 'body.due-open-forms', ifAccepted: { jobId: s.jobId, changes: {}, unjudged: [field] } },
          });
        });
      }
    },
  },
];
