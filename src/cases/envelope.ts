/**
 * Group 7, the request envelope: the same requests in the other shapes a real client may send them, each with what
 * BEHAVIOUR.md says of it. Must be accepted: the JSON media type in any case, with `charset=utf-8` however it is
 * spelled; `Expect: 100-continue`; an unknown field holding JSON escapes. Left open (no verdict
 * either way, but if accepted the update must take effect and nothing else change): a chunked body (accepting it is
 * advised), no or another Content-Type, a
 * parameter other than charset=utf-8, an empty body with a JSON Content-Type, a leading byte-order mark, duplicate
 * keys, unknown fields holding deep nesting, huge numbers, long strings or lone surrogates (ignored, or refused with a
 * 4xx: never a 5xx, which group 1 judges on every response).
 */
import { stringField, textBody } from './common';
import type { ApiRequest, AuthSpec, RequestEnvelope } from '../http/request';
import type { RuleId } from '../contract/rules';
import type { Expectation } from '../checks/types';
import type { Case, CaseDef } from '../case/case';
import { changesOf } from '../checks/values';

/** The unknown key that carries odd values: no contract has it. */
const UNKNOWN = 'liltConformanceUnknown';

interface Shape {
  readonly body: string | undefined;
  readonly contentType: string | undefined;
  readonly envelope?: RequestEnvelope;
  readonly auth?: AuthSpec;
}

function request(s: Case, shape: Shape): ApiRequest {
  return {
    method: s.facts.method,
    idSegment: s.jobSegment,
    body: shape.body,
    contentType: shape.contentType,
    auth: shape.auth ?? s.auth,
    ...(shape.envelope ? { envelope: shape.envelope } : {}),
  };
}

/** An update of the string field to a value naming the case, as an object (empty when the contract has no such field). */
function probeBody(s: Case, label: string): Record<string, unknown> {
  return textBody(s, `lilt-conformance envelope: ${label}`);
}

/** The JSON text of `body` with the unknown key holding `valueText` (written as is: it may not be JSON.stringify's). */
function withUnknown(body: Record<string, unknown>, valueText: string): string {
  const members = Object.entries(body).map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`);
  return `{${[...members, `${JSON.stringify(UNKNOWN)}:${valueText}`].join(',')}}`;
}

function update(s: Case, body: Record<string, unknown>, rule: RuleId): Expectation {
  return { kind: 'update', jobId: s.jobId, changes: changesOf(s.facts, body), rule };
}

/**
 * Open (`rule`): no verdict on accepting or refusing; if accepted, `body`'s fields round-trip (but the unjudged) and no
 * other changes.
 */
function open(s: Case, rule: RuleId, body: Record<string, unknown>, unjudged: readonly string[] = []): Expectation {
  const changes = Object.fromEntries(Object.entries(changesOf(s.facts, body)).filter(([field]) => !unjudged.includes(field)));
  return { kind: 'observe', rule, ifAccepted: { jobId: s.jobId, changes, unjudged } };
}

const JSON_TYPE = 'application/json';

/** Spellings of the JSON media type a client may send: media types and the charset value are case-insensitive. */
const ACCEPTED_TYPES: readonly string[] = [
  'application/json; charset=utf-8',
  'application/json;charset=UTF-8',
  'application/json; charset="utf-8"',
  'Application/JSON',
  'APPLICATION/JSON; CHARSET=UTF-8',
];

/** Content-Types BEHAVIOUR.md leaves open for a JSON body: judged as JSON, or 415. */
const OPEN_TYPES: ReadonlyArray<readonly [string, string | undefined]> = [
  ['no Content-Type', undefined],
  ['text/plain', 'text/plain'],
  ["application/x-www-form-urlencoded (curl -d's default)", 'application/x-www-form-urlencoded'],
  ['a parameter other than charset', 'application/json; profile=lilt-conformance'],
  ['another charset (the body is ASCII)', 'application/json; charset=iso-8859-1'],
];

/** Values for an unknown field that a JSON reader may have limits for (RFC 8259 section 9): ignored or a 4xx. */
const LIMIT_VALUES: ReadonlyArray<readonly [string, () => string]> = [
  ['arrays nested 1,000 deep', () => `${'['.repeat(1_000)}${']'.repeat(1_000)}`],
  ['arrays nested 100,000 deep', () => `${'['.repeat(100_000)}${']'.repeat(100_000)}`],
  ['objects nested 10,000 deep', () => `${'{"a":'.repeat(10_000)}{}${'}'.repeat(10_000)}`],
  ['a number beyond a double (1e400)', () => '[1e400,-1e400]'],
  ['a number too small for a double (1e-400)', () => '1e-400'],
  ['an integer of 1,000 digits', () => `${'9'.repeat(1_000)}`],
  ['a string of 512 KiB', () => JSON.stringify('x'.repeat(512 * 1024))],
  ['lone surrogates', () => '["\\ud800","\\udfff","x\\udc00y","\\ud83d"]'],
];

/** Escapes every JSON reader must read (RFC 8259 section 7): an unknown field holding them is ignored. */
const ESCAPES = '"quote \\" backslash \\\\ slash \\/ controls \\b\\f\\n\\r\\t nul \\u0000 e-acute \\u00e9 pair \\ud83d\\ude00"';

// Estimates (see CaseDef.estimate): 1 for a request accepted or left open (an open answer makes the next case
// read the job first), 2 for a refusal, which is read back.
export const ENVELOPE_CASES: readonly CaseDef[] = [
  ...ACCEPTED_TYPES.map(
    (contentType): CaseDef => ({
      name: `Content-Type ${contentType}: the update is accepted`,
      estimate: () => 1,
      run: async (s) => {
        const body = probeBody(s, contentType);
        await s.send(request(s, { body: JSON.stringify(body), contentType }), { expect: update(s, body, 'envelope.media-type') });
      },
    }),
  ),
  ...OPEN_TYPES.map(
    ([label, contentType]): CaseDef => ({
      name: `a JSON body with ${label}: judged as JSON or 415 (if accepted, the update takes effect)`,
      estimate: () => 1,
      run: async (s) => {
        const body = probeBody(s, label);
        await s.send(request(s, { body: JSON.stringify(body), contentType }), { expect: open(s, 'envelope.no-content-type', body) });
      },
    }),
  ),
  {
    name: 'an empty body with Content-Type application/json: the job unchanged or 400',
    estimate: () => 1,
    run: async (s) => {
      await s.send(request(s, { body: '', contentType: JSON_TYPE }), { expect: open(s, 'envelope.empty-body', {}) });
    },
  },
  {
    name: 'a chunked body (Transfer-Encoding: chunked): the update, or 411 (accepting it advised)',
    estimate: () => 1,
    run: async (s) => {
      const body = probeBody(s, 'chunked');
      await s.send(request(s, { body: JSON.stringify(body), contentType: JSON_TYPE, envelope: { chunked: true } }), {
        expect: { ...open(s, 'envelope.chunked', body), prefer: { advice: 'advice.accept-chunked', expect: update(s, body, 'envelope.chunked') } },
      });
    },
  },
  {
    name: 'a chunked malformed body is refused and changes nothing',
    estimate: () => 1,
    probe: true,
    run: async (s) => {
      const text = `${JSON.stringify(probeBody(s, 'chunked, malformed')).slice(0, -1)},`;
      await s.send(request(s, { body: text, contentType: JSON_TYPE, envelope: { chunked: true } }), { expect: { kind: 'reject' } });
    },
  },
  {
    name: 'Expect: 100-continue: the update is accepted',
    estimate: () => 1,
    run: async (s) => {
      const body = probeBody(s, 'Expect: 100-continue');
      await s.send(request(s, { body: JSON.stringify(body), contentType: JSON_TYPE, envelope: { expectContinue: true } }), {
        expect: update(s, body, 'envelope.expect-continue'),
      });
    },
  },
  {
    name: 'Expect: 100-continue without credentials gets 401 and changes nothing',
    estimate: () => 1,
    probe: true,
    run: async (s) => {
      const body = probeBody(s, 'Expect without credentials: must not stick');
      await s.send(
        request(s, { body: JSON.stringify(body), contentType: JSON_TYPE, envelope: { expectContinue: true }, auth: { kind: 'none' } }),
        { expect: { kind: 'unauthorized' } },
      );
    },
  },
  {
    name: 'a body starting with a byte-order mark: accepted or 400 (if accepted, the update takes effect)',
    estimate: () => 1,
    run: async (s) => {
      const body = probeBody(s, 'byte-order mark');
      await s.send(request(s, { body: `\ufeff${JSON.stringify(body)}`, contentType: JSON_TYPE }), { expect: open(s, 'envelope.bom', body) });
    },
  },
  {
    name: 'a key twice in the body: one of the two values, or 400',
    estimate: () => 1,
    run: async (s) => {
      const field = stringField(s);
      if (field === undefined) return;
      const text = `{${JSON.stringify(field)}:"lilt-conformance first",${JSON.stringify(field)}:"lilt-conformance second"}`;
      // Which of the two wins is not judged (RFC 8259 section 4); nothing else may change.
      await s.send(request(s, { body: text, contentType: JSON_TYPE }), { expect: open(s, 'envelope.duplicate-keys', { [field]: '' }, [field]) });
    },
  },
  {
    name: 'an unknown field holding JSON escapes (quote, backslash, controls, NUL, a surrogate pair) is ignored',
    estimate: () => 1,
    run: async (s) => {
      const body = probeBody(s, 'escapes in an unknown field');
      await s.send(request(s, { body: withUnknown(body, ESCAPES), contentType: JSON_TYPE }), { expect: update(s, body, 'body.unknown-ignored') });
    },
  },
  ...LIMIT_VALUES.map(
    ([label, valueText]): CaseDef => ({
      name: `an unknown field holding ${label}: ignored or a 4xx, never a 5xx`,
      estimate: () => 1,
      run: async (s) => {
        const body = probeBody(s, label);
        await s.send(request(s, { body: withUnknown(body, valueText()), contentType: JSON_TYPE }), { expect: open(s, 'envelope.reader-limits', body) });
      },
    }),
  ),
  {
    name: 'a lone surrogate in the string field: accepted or 400, never a 5xx',
    estimate: () => 1,
    run: async (s) => {
      const field = stringField(s);
      if (field === undefined) return;
      const text = `{${JSON.stringify(field)}:"lilt-conformance lone \\ud800 surrogate"}`;
      await s.send(request(s, { body: text, contentType: JSON_TYPE }), { expect: open(s, 'envelope.reader-limits', { [field]: '' }, [field]) });
    },
  },
];
