/**
 * Each check on a passing and a failing exchange (plus where it must not apply). The exchanges are built by hand;
 * the facts (statuses, schemas, fields) come from the real contract. Each goes through `judge`, which applies the
 * check's declaration (what it applies to) before its body, as the run does. The declared examples are run by
 * check-examples.test.ts.
 */
import type { ApiRequest, ApiResponse, AuthSpec, Exchange } from '../../src/http/request';
import { loadValidators } from '../../src/validation/validators';
import { conformanceFacts, type ConformanceFacts } from '../../src/checks/facts';
import { ALL_CHECKS, checkById, checksFor } from '../../src/checks/registry';
import { selectChecks } from '../../src/checks/selection';
import type { Check, Expectation, JobState, Oracle } from '../../src/checks/types';
import { judge } from '../../src/case/judge';

let facts: ConformanceFacts;
beforeAll(async () => {
  facts = conformanceFacts(await loadValidators());
});

const JOB: JobState = { id: 241, name: 'My New Job', due: '2021-06-03T13:43:00Z', isProcessing: 0, status: 'active' };

function request(body: unknown = {}, auth: AuthSpec = { kind: 'basic' }, idSegment = '241'): ApiRequest {
  return { method: 'PUT', idSegment, body: JSON.stringify(body), contentType: 'application/json', auth };
}

/** `contentType: null` sends none. */
function response(status: number, body: unknown, contentType: string | null = 'application/json; charset=utf-8'): ApiResponse {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  if (contentType === null) return { status, headers: {}, contentType: undefined, text };
  return { status, headers: { 'content-type': contentType }, contentType, text };
}

function exchange(res: ApiResponse, req: ApiRequest = request()): Exchange {
  return { request: req, response: res, durationMs: 1 };
}

function oracle(expect: Expectation = { kind: 'observe', rule: 'response.schema' }, extra: Partial<Oracle> = {}): Oracle {
  return { facts, expect, ...extra };
}

function check(id: string): Check {
  const found = checkById(id);
  if (!found) throw new Error(`no check ${id}`);
  return found;
}

function selected(include: string, exclude?: string) {
  const outcome = selectChecks(include, exclude);
  if (outcome.kind !== 'selected') throw new Error(`not selected: ${outcome.kind}`);
  return outcome.selection;
}

const update = (changes: Record<string, unknown> = {}, more: object = {}): Expectation => ({ kind: 'update', jobId: 241, changes, ...more });

test('the registry: unique ids, every group, --checks schema keeps group 1 only', () => {
  const ids = ALL_CHECKS.map((c) => c.id);
  expect(new Set(ids).size).toBe(ids.length);
  expect(new Set(ALL_CHECKS.map((c) => c.group))).toEqual(new Set(['schema', 'semantics', 'negative', 'ids', 'auth']));
  expect(checksFor(selected('schema')).map((c) => c.group)).toEqual(['schema', 'schema', 'schema', 'schema', 'schema', 'schema']);
});

describe('group 1: response conformance', () => {
  test('schema.status-documented: 200, 401 and errors pass; 201, 204, 302 fail', () => {
    const c = check('schema.status-documented');
    for (const status of [200, 401, 400, 404, 429]) expect(judge(c, exchange(response(status, {})), oracle()).status).toBe('pass');
    for (const status of [201, 204, 302]) {
      const result = judge(c, exchange(response(status, {})), oracle());
      expect(result).toMatchObject({ status: 'fail', actual: `status ${status}` });
    }
  });

  test('schema.no-server-error: 4xx passes, 500 and 503 fail', () => {
    const c = check('schema.no-server-error');
    expect(judge(c, exchange(response(400, { message: 'x' })), oracle()).status).toBe('pass');
    expect(judge(c, exchange(response(500, { message: 'x' })), oracle()).status).toBe('fail');
    expect(judge(c, exchange(response(503, 'x', 'text/plain')), oracle()).status).toBe('fail');
  });

  test('schema.content-type-documented: charset allowed; html, missing, JSON 401 fail', () => {
    const c = check('schema.content-type-documented');
    expect(judge(c, exchange(response(200, JOB, 'application/json; charset=utf-8')), oracle()).status).toBe('pass');
    expect(judge(c, exchange(response(401, 'Unauthorized', 'text/plain')), oracle()).status).toBe('pass');
    expect(judge(c, exchange(response(401, 'Unauthorized', 'application/octet-stream')), oracle()).status).toBe('pass');
    expect(judge(c, exchange(response(200, JOB, 'text/html')), oracle()).status).toBe('fail');
    expect(judge(c, exchange(response(200, JOB, null)), oracle())).toMatchObject({ status: 'fail', actual: 'no Content-Type header' });
    expect(judge(c, exchange(response(401, { message: 'no' }, 'application/json')), oracle()).status).toBe('fail');
    // An undocumented status is schema.status-documented's alone: not judged against default's media types.
    expect(judge(c, exchange(response(201, JOB)), oracle()).status).toBe('not-applicable');
    expect(judge(c, exchange(response(204, '', null)), oracle()).status).toBe('not-applicable');
    expect(judge(c, exchange(response(302, '', 'text/html')), oracle()).status).toBe('not-applicable');
    // An error status is documented under default: its media type is still judged.
    expect(judge(c, exchange(response(418, '<p>no</p>', 'text/html')), oracle()).status).toBe('fail');
  });

  test('schema.body-matches-schema: a Job passes; a string id, a non-RFC due, an Error without a string message fail', () => {
    const c = check('schema.body-matches-schema');
    expect(judge(c, exchange(response(200, JOB)), oracle()).status).toBe('pass');
    expect(judge(c, exchange(response(400, { message: 'bad' })), oracle()).status).toBe('pass');
    const stringId = judge(c, exchange(response(200, { ...JOB, id: '241' })), oracle());
    expect(stringId).toMatchObject({ status: 'fail' });
    expect(stringId.status === 'fail' && stringId.actual).toMatch(/\/id: type/);
    expect(judge(c, exchange(response(200, { ...JOB, due: '2021-06-03 13:43:00Z' })), oracle()).status).toBe('fail');
    expect(judge(c, exchange(response(400, { message: 42 })), oracle()).status).toBe('fail');
    // BEHAVIOUR.md reads the Error as {"message": string}: an error body without it fails, though the schema allows it.
    expect(judge(c, exchange(response(404, { error: 'not found' })), oracle())).toMatchObject({ status: 'fail', actual: '/message: required: absent' });
    expect(judge(c, exchange(response(200, '')), oracle()).status).toBe('fail');
    // A 201 with the Job is not judged against default's Error schema: schema.status-documented reports the status.
    expect(judge(c, exchange(response(201, JOB)), oracle()).status).toBe('not-applicable');
    expect(judge(c, exchange(response(418, { error: 'teapot' })), oracle()).status).toBe('fail');
  });
});

describe('group 2: semantics', () => {
  test('semantics.update-accepted: 200 passes, 400 fails, other expectations not judged', () => {
    const c = check('semantics.update-accepted');
    expect(judge(c, exchange(response(200, JOB)), oracle(update())).status).toBe('pass');
    expect(judge(c, exchange(response(400, { message: 'x' })), oracle(update())).status).toBe('fail');
    expect(judge(c, exchange(response(400, { message: 'x' })), oracle({ kind: 'reject' })).status).toBe('not-applicable');
  });

  test('semantics.id-matches-path: 241 passes; "241" and 242 fail', () => {
    const c = check('semantics.id-matches-path');
    expect(judge(c, exchange(response(200, JOB)), oracle(update())).status).toBe('pass');
    expect(judge(c, exchange(response(200, { ...JOB, id: '241' })), oracle(update())).status).toBe('fail');
    expect(judge(c, exchange(response(200, { ...JOB, id: 242 })), oracle(update())).status).toBe('fail');
  });

  test('semantics.fields-round-trip: same instant in another form passes; a lost name or a string isProcessing fails', () => {
    const c = check('semantics.fields-round-trip');
    const sent = { name: 'new', due: '2031-01-02T12:04:05.120+09:00', isProcessing: 1 };
    const back = { ...JOB, name: 'new', due: '2031-01-02T03:04:05.12Z', isProcessing: 1 };
    expect(judge(c, exchange(response(200, back)), oracle(update(sent))).status).toBe('pass');
    expect(judge(c, exchange(response(200, { ...back, name: 'My New Job' })), oracle(update(sent)))).toMatchObject({
      status: 'fail',
      expected: 'name "new"',
      actual: 'name "My New Job"',
    });
    expect(judge(c, exchange(response(200, { ...back, isProcessing: '1' })), oracle(update(sent))).status).toBe('fail');
    expect(judge(c, exchange(response(200, { ...back, due: '2031-01-02T03:04:05Z' })), oracle(update(sent))).status).toBe('fail');
  });

  test('semantics.other-fields-kept: untouched fields as before pass; a wiped due fails', () => {
    const c = check('semantics.other-fields-kept');
    const after = { ...JOB, name: 'new' };
    expect(judge(c, exchange(response(200, after)), oracle(update({ name: 'new' }), { before: JOB })).status).toBe('pass');
    expect(
      judge(c, exchange(response(200, { ...after, due: '2000-01-01T00:00:00Z' })), oracle(update({ name: 'new' }), { before: JOB })).status,
    ).toBe('fail');
  });

  test('an open input: no verdict on a refusal; if accepted, its judged fields round-trip and the rest stay', () => {
    const open: Expectation = {
      kind: 'observe',
      rule: 'body.due-open-forms',
      ifAccepted: { jobId: 241, changes: { name: 'n' }, unjudged: ['due'] },
    };
    const roundTrip = check('semantics.fields-round-trip');
    const kept = check('semantics.other-fields-kept');
    expect(judge(roundTrip, exchange(response(400, { message: 'x' })), oracle(open, { before: JOB })).status).toBe('not-applicable');
    expect(judge(check('semantics.update-accepted'), exchange(response(400, { message: 'x' })), oracle(open)).status).toBe('not-applicable');
    const accepted = { ...JOB, name: 'n', due: '2031-01-02T03:04:05+09:00' };
    expect(judge(roundTrip, exchange(response(200, accepted)), oracle(open, { before: JOB })).status).toBe('pass');
    expect(judge(kept, exchange(response(200, accepted)), oracle(open, { before: JOB })).status).toBe('pass');
    expect(judge(roundTrip, exchange(response(200, { ...accepted, name: 'lost' })), oracle(open, { before: JOB })).status).toBe('fail');
    expect(judge(kept, exchange(response(200, { ...accepted, isProcessing: 1 })), oracle(open, { before: JOB })).status).toBe('fail');
  });

  test('semantics.no-op-changes-nothing: the same job passes; a reset isProcessing fails', () => {
    const c = check('semantics.no-op-changes-nothing');
    expect(judge(c, exchange(response(200, JOB)), oracle(update(), { before: JOB })).status).toBe('pass');
    expect(judge(c, exchange(response(200, { ...JOB, isProcessing: 1 })), oracle(update(), { before: JOB })).status).toBe('fail');
  });

  test('semantics.read-only-ignored: a status sent and not taken passes; taken fails', () => {
    const c = check('semantics.read-only-ignored');
    const expectation = update({}, { readOnlySent: { status: 'archived' } });
    expect(judge(c, exchange(response(200, JOB)), oracle(expectation, { before: JOB })).status).toBe('pass');
    expect(judge(c, exchange(response(200, { ...JOB, status: 'archived' })), oracle(expectation, { before: JOB })).status).toBe('fail');
  });

  test('semantics.idempotent: the same Job twice passes; a 409 or another name the second time fails', () => {
    const c = check('semantics.idempotent');
    const earlier = exchange(response(200, JOB));
    expect(judge(c, exchange(response(200, JOB)), oracle(update(), { earlier })).status).toBe('pass');
    expect(judge(c, exchange(response(409, { message: 'x' })), oracle(update(), { earlier })).status).toBe('fail');
    expect(judge(c, exchange(response(200, { ...JOB, name: 'x' })), oracle(update(), { earlier })).status).toBe('fail');
    expect(judge(c, exchange(response(200, { ...JOB, status: 'archived' })), oracle(update(), { earlier })).status).toBe('fail');
  });
});

describe('groups 3-5: refusals', () => {
  test('negative.invalid-rejected-4xx: 400 with the Error body passes; 200, 500, 401, 400 as text fail', () => {
    const c = check('negative.invalid-rejected-4xx');
    const reject: Expectation = { kind: 'reject' };
    expect(judge(c, exchange(response(400, { message: 'bad' })), oracle(reject)).status).toBe('pass');
    expect(judge(c, exchange(response(422, { message: 'bad' })), oracle(reject)).status).toBe('pass');
    expect(judge(c, exchange(response(200, JOB)), oracle(reject)).status).toBe('fail');
    expect(judge(c, exchange(response(500, { message: 'x' })), oracle(reject)).status).toBe('fail');
    expect(judge(c, exchange(response(401, 'no', 'text/plain')), oracle(reject)).status).toBe('fail');
    expect(judge(c, exchange(response(400, 'bad', 'text/plain')), oracle(reject)).status).toBe('fail');
    expect(judge(c, exchange(response(400, { message: 1 })), oracle(reject)).status).toBe('fail');
  });

  test('negative.refusal-changes-nothing: the same state read back passes; a changed name fails', () => {
    const c = check('negative.refusal-changes-nothing');
    const refused = exchange(response(400, { message: 'x' }));
    expect(judge(c, refused, oracle({ kind: 'reject' }, { before: JOB, after: JOB })).status).toBe('pass');
    expect(judge(c, refused, oracle({ kind: 'unauthorized' }, { before: JOB, after: { ...JOB, name: 'x' } })).status).toBe('fail');
    expect(judge(c, refused, oracle({ kind: 'reject' }, { before: JOB })).status).toBe('not-applicable');
  });

  test('ids.missing-404: 404 passes, 400 and 200 fail', () => {
    const c = check('ids.missing-404');
    const missing: Expectation = { kind: 'not-found' };
    expect(judge(c, exchange(response(404, { message: 'x' })), oracle(missing)).status).toBe('pass');
    expect(judge(c, exchange(response(400, { message: 'x' })), oracle(missing)).status).toBe('fail');
    expect(judge(c, exchange(response(200, JOB)), oracle(missing)).status).toBe('fail');
  });

  test('ids.invalid-rejected-4xx: 400 or 404 with the Error body pass; 200 and 500 fail', () => {
    const c = check('ids.invalid-rejected-4xx');
    const invalid: Expectation = { kind: 'invalid-id' };
    expect(judge(c, exchange(response(400, { message: 'x' })), oracle(invalid)).status).toBe('pass');
    expect(judge(c, exchange(response(404, { message: 'x' })), oracle(invalid)).status).toBe('pass');
    expect(judge(c, exchange(response(200, JOB)), oracle(invalid)).status).toBe('fail');
    expect(judge(c, exchange(response(500, { message: 'x' })), oracle(invalid)).status).toBe('fail');
  });

  test('auth.refused-401: 401 passes; 200 (auth ignored) fails', () => {
    const c = check('auth.refused-401');
    const unauthorized: Expectation = { kind: 'unauthorized' };
    expect(judge(c, exchange(response(401, 'no', 'text/plain')), oracle(unauthorized)).status).toBe('pass');
    expect(judge(c, exchange(response(200, JOB)), oracle(unauthorized)).status).toBe('fail');
  });

  test('auth.valid-key-accepted: a valid key answered 401 fails, by either method; no key is not judged', () => {
    const c = check('auth.valid-key-accepted');
    expect(judge(c, exchange(response(200, JOB), request({}, { kind: 'query' })), oracle()).status).toBe('pass');
    expect(judge(c, exchange(response(401, 'no', 'text/plain'), request({}, { kind: 'query' })), oracle()).status).toBe('fail');
    expect(judge(c, exchange(response(401, 'no', 'text/plain'), request({}, { kind: 'basic' })), oracle()).status).toBe('fail');
    expect(judge(c, exchange(response(401, 'no', 'text/plain'), request({}, { kind: 'none' })), oracle()).status).toBe('not-applicable');
  });

  test('auth.methods-agree: the same answer both ways passes; another status or Job fails', () => {
    const c = check('auth.methods-agree');
    const byBasic = exchange(response(200, JOB), request({}, { kind: 'basic' }));
    const byQuery = (res: ApiResponse) => exchange(res, request({}, { kind: 'query' }));
    expect(judge(c, byQuery(response(200, JOB)), oracle(update(), { otherMethod: byBasic })).status).toBe('pass');
    expect(judge(c, byQuery(response(403, { message: 'x' })), oracle(update(), { otherMethod: byBasic })).status).toBe('fail');
    expect(judge(c, byQuery(response(200, { ...JOB, name: 'other' })), oracle(update(), { otherMethod: byBasic })).status).toBe('fail');
  });
});
