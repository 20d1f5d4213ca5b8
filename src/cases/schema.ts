/**
 * Group 1 on its own (`--checks schema`): a handful of requests that draw each documented kind of response (the Job,
 * the 401 text, the Error body); response conformance judges each.
 */
import type { CaseDef } from '../case/case';
import { jsonRequest, request, textBody } from './common';
import { changesOf } from '../checks/values';

export const SCHEMA_CASES: readonly CaseDef[] = [
  {
    name: 'a read (PUT {}) gets a conformant Job',
    estimate: () => 1,
    probe: true,
    run: async (s) => {
      await s.send(jsonRequest(s, {}), { expect: { kind: 'observe', rule: 'response.schema' } });
    },
  },
  {
    name: 'an update gets a conformant Job',
    estimate: () => 1,
    run: async (s) => {
      // Judged by group 1 only under --checks schema; in a full run the first write's other properties are compared too.
      const body = textBody(s, 'lilt-conformance schema probe');
      await s.send(jsonRequest(s, body), { expect: { kind: 'observe', rule: 'response.schema', ifAccepted: { jobId: s.jobId, changes: changesOf(s.facts, body), unjudged: [] } } });
    },
  },
  {
    name: 'no credentials get a conformant 401',
    estimate: () => 1,
    probe: true,
    run: async (s) => {
      await s.send(jsonRequest(s, {}, { kind: 'none' }), { expect: { kind: 'observe', rule: 'response.schema' } });
    },
  },
  {
    name: 'malformed JSON gets a conformant error',
    estimate: () => 1,
    probe: true,
    run: async (s) => {
      await s.send(request(s, '{"name":'), { expect: { kind: 'observe', rule: 'response.schema' } });
    },
  },
  {
    name: 'the missing job gets a conformant error',
    estimate: () => 1,
    independent: true,
    run: async (s) => {
      await s.send(jsonRequest(s, {}, s.auth, String(s.missingJobId)), { expect: { kind: 'observe', rule: 'response.schema' } });
    },
  },
  {
    name: 'a non-integer id gets a conformant error',
    estimate: () => 1,
    independent: true,
    run: async (s) => {
      await s.send(jsonRequest(s, {}, s.auth, 'abc'), { expect: { kind: 'observe', rule: 'response.schema' } });
    },
  },
];
