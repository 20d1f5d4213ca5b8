/**
 * Group 5, auth: no credentials, a wrong key and malformed Authorization headers get 401 whatever else the request
 * holds (a valid update, malformed JSON, the missing job, a bad id), and change nothing; so do credentials derived
 * from the real key in every way a key check can be half done (the right user with a wrong password and the reverse,
 * an empty password, the key with a character added or removed, its case swapped, spaces around it, the key and a
 * ); a valid key works by Basic auth and by the key query parameter alike, with the same answer.
 * The key given twice in the query is left open, and so is the key beside a wrong copy (refusing it is advised).
 */
import type { AuthSpec, ValidAuth } from '../http/request';
import type { CaseDef } from '../case/case';
import { jsonRequest, request, skipWithheld, textBody } from './common';
import { changesOf } from '../checks/values';

/** Malformed headers, none of which contains the key. */
const MALFORMED_HEADERS: readonly string[] = [
  'Basic',
  'Basic !!!not-base64!!!',
  `Basic ${Buffer.from('no-colon-here').toString('base64')}`,
  'Bearer lilt-conformance',
  'Digest username="x"',
  'basic',
];

const REFUSED: ReadonlyArray<readonly [string, AuthSpec]> = [
  ['no credentials', { kind: 'none' }],
  ['a wrong key by Basic auth', { kind: 'wrong-basic' }],
  ['a wrong key as the key query parameter', { kind: 'wrong-query' }],
  ...MALFORMED_HEADERS.map((header): readonly [string, AuthSpec] => [`Authorization: ${header}`, { kind: 'raw-header', header }]),
];

/**
 * Near misses of the key (derived from it by the transport at send time: the cases never hold it). A check that
 * compares only the user, a prefix, case-insensitively, after trimming, or the first or last of two values lets one
 * of these through.
 */
const HALF_DONE: ReadonlyArray<readonly [string, AuthSpec]> = [
  ['Basic: the right user with a wrong password', { kind: 'derived-basic', user: 'key', password: 'wrong' }],
  ['Basic: a wrong user with the right password', { kind: 'derived-basic', user: 'wrong', password: 'key' }],
  ['Basic: the right user with an empty password', { kind: 'derived-basic', user: 'key', password: 'empty' }],
  ['Basic: an empty user with the right password', { kind: 'derived-basic', user: 'empty', password: 'key' }],
  ['Basic: the key with a character added', { kind: 'derived-basic', user: 'key-char-added', password: 'key-char-added' }],
  ['Basic: the key without its last character', { kind: 'derived-basic', user: 'key-char-removed', password: 'key-char-removed' }],
  ['Basic: the key with its case swapped', { kind: 'derived-basic', user: 'key-case-swapped', password: 'key-case-swapped' }],
  ['Basic: the key between spaces', { kind: 'derived-basic', user: 'key-padded', password: 'key-padded' }],
  ['query: the key with a character added', { kind: 'derived-query', values: ['key-char-added'] }],
  ['query: the key without its last character', { kind: 'derived-query', values: ['key-char-removed'] }],
  ['query: the key with its case swapped', { kind: 'derived-query', values: ['key-case-swapped'] }],
  ['query: the key between spaces', { kind: 'derived-query', values: ['key-padded'] }],
  ['query: an empty key', { kind: 'derived-query', values: ['empty'] }],
];

/**
 * The key and a wrong key in the query, in either order: an open choice (a server may read one copy). Refusing is our
 * preference, an advisory (advice.refuse-wrong-key-copy); if accepted, the update must take effect like any other.
 */
const KEY_AND_WRONG_COPY: ReadonlyArray<readonly [string, AuthSpec]> = [
  ['a wrong key, then the key', { kind: 'derived-query', values: ['wrong', 'key'] }],
  ['the key, then a wrong key', { kind: 'derived-query', values: ['key', 'wrong'] }],
];

export const AUTH_CASES: readonly CaseDef[] = [
  ...REFUSED.map(
    ([label, auth]): CaseDef => ({
      name: `${label} gets 401 and changes nothing`,
      // The request (its read-back is its probe section's, one a round).
      estimate: () => 1,
      probe: true,
      run: async (s) => {
        await s.send(jsonRequest(s, textBody(s, 'lilt-conformance must not stick'), auth), { expect: { kind: 'unauthorized' } });
      },
    }),
  ),
  ...HALF_DONE.map(
    ([label, auth]): CaseDef => ({
      name: `a near miss of the key, ${label}, gets 401 and changes nothing`,
      // The request (its read-back is its probe section's, one a round).
      estimate: () => 1,
      probe: true,
      run: async (s) => {
        await s.send(jsonRequest(s, textBody(s, 'lilt-conformance must not stick'), auth), { expect: { kind: 'unauthorized' } });
      },
    }),
  ),
  {
    name: 'the key twice in the query: accepted or 401 (if accepted, the update takes effect)',
    estimate: () => 1,
    run: async (s) => {
      const body = textBody(s, 'lilt-conformance key twice');
      await s.send(jsonRequest(s, body, { kind: 'derived-query', values: ['key', 'key'] }), {
        expect: { kind: 'observe', rule: 'auth.key-twice', ifAccepted: { jobId: s.jobId, changes: changesOf(s.facts, body), unjudged: [] } },
      });
    },
  },
  ...KEY_AND_WRONG_COPY.map(
    ([label, auth]): CaseDef => ({
      name: `the query holding ${label}: accepted (one copy read) or 401; 401 advised (if accepted, the update takes effect)`,
      estimate: () => 1,
      run: async (s) => {
        const body = textBody(s, `lilt-conformance key and a wrong copy: ${label}`);
        await s.send(jsonRequest(s, body, auth), {
          expect: {
            kind: 'observe',
            rule: 'auth.key-and-wrong-copy',
            ifAccepted: { jobId: s.jobId, changes: changesOf(s.facts, body), unjudged: [] },
            prefer: { advice: 'advice.refuse-wrong-key-copy', expect: { kind: 'unauthorized' } },
          },
        });
      },
    }),
  ),
  {
    name: 'no credentials get 401 whatever the rest of the request (bad JSON, missing job, bad id, no body)',
    // Four requests; the read-backs are the probe section's.
    estimate: () => 4,
    probe: true,
    run: async (s) => {
      const none: AuthSpec = { kind: 'none' };
      await s.forEach([request(s, '{"name":', none), jsonRequest(s, {}, none, String(s.missingJobId)), jsonRequest(s, {}, none, 'abc'), request(s, undefined, none)], async (request) => {
        await s.send(request, { expect: { kind: 'unauthorized' } });
      });
    },
  },
  {
    name: 'a valid key is accepted by Basic auth and by the key query parameter, with the same answer',
    // Four requests both ways, and the two refusals of the job read back.
    estimate: () => 10,
    run: async (s) => {
      const methods: ValidAuth[] = [{ kind: 'basic' }, { kind: 'query' }];
      // A read both ways.
      const [read, ...rest] = methods;
      const first = await s.send(jsonRequest(s, {}, read), { expect: { kind: 'update', jobId: s.jobId, changes: {} } });
      await skipWithheld(rest, async (auth) => {
        await s.send(jsonRequest(s, {}, auth), { expect: { kind: 'update', jobId: s.jobId, changes: {} }, otherMethod: first });
      });
      // The same update both ways (the second re-applies it: the same Job).
      const body = textBody(s, 'lilt-conformance auth probe');
      const expect = { kind: 'update', jobId: s.jobId, changes: changesOf(s.facts, body) } as const;
      const update = await s.send(jsonRequest(s, body, read), { expect });
      await skipWithheld(rest, async (auth) => {
        await s.send(jsonRequest(s, body, auth), { expect, otherMethod: update });
      });
      // Refusals both ways: malformed JSON, and the missing job.
      const malformed = await s.send(request(s, '{"name":', read), { expect: { kind: 'reject' } });
      await skipWithheld(rest, async (auth) => {
        await s.send(request(s, '{"name":', auth), { expect: { kind: 'reject' }, otherMethod: malformed });
      });
      const missing = String(s.missingJobId);
      const notFound = await s.send(jsonRequest(s, {}, read, missing), { expect: { kind: 'not-found' } });
      await skipWithheld(rest, async (auth) => {
        await s.send(jsonRequest(s, {}, auth, missing), { expect: { kind: 'not-found' }, otherMethod: notFound });
      });
    },
  },
];
