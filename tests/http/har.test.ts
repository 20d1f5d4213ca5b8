/**
 * HAR entries as the transport's attempts make them: an answer, an attempt without one (status 0 and `_error`), a
 * body cut at the cap (said in a comment): each valid against the HAR 1.2 schema (har-schema with ajv); the request
 * shown never holds the key (credentials and the key parameter in words), and every text passes the redaction.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json';
import { harEntry, openHar } from '../../src/http/har';
import { redactor } from '../../src/http/key-scan';
import { shownRequest, wireRequest, type AttemptLog } from '../../src/http/transport';
import type { ApiRequest } from '../../src/http/request';
import type { Route } from '../../src/http/target-url';
import { tempDir } from '../helpers/temp';

const KEY = 'lcK3y-Qz7/vW+x_9pRt4';
const route: Route = { baseUrl: 'http://127.0.0.1:1', pathTemplate: '/v2/jobs/{jobId}', keyParameter: 'key', headers: [] };

function validator() {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addMetaSchema(draft06);
  const schemas = require('har-schema') as Record<string, { $id: string }>;
  for (const schema of Object.values(schemas)) ajv.addSchema(schema);
  return ajv.getSchema('har.json#')!;
}

function attempt(request: ApiRequest, outcome: AttemptLog['outcome']): AttemptLog {
  const wired = wireRequest(request, { route, apiKey: KEY, wrongKey: 'wrong' });
  return { startedAt: new Date(0), method: request.method, ...shownRequest(request, wired, route), outcome, totalMs: 12.345 };
}

const put = (auth: ApiRequest['auth']): ApiRequest => ({ method: 'PUT', idSegment: '241', body: '{"name":"a"}', contentType: 'application/json', auth });

test('an answer, no answer, and a body cut at the cap: valid HAR 1.2 entries, no key in any', () => {
  const redact = redactor(KEY);
  const answered = harEntry(
    attempt(put({ kind: 'basic' }), {
      kind: 'answer',
      response: { status: 400, headers: { 'content-type': 'application/json', 'x-echo': `Basic ${Buffer.from(`${KEY}:${KEY}`).toString('base64')}` }, contentType: 'application/json', text: `{"message":"bad ${KEY}"}` },
      waitMs: 10,
      receiveMs: 2,
    }),
    redact,
  );
  const none = harEntry(attempt(put({ kind: 'derived-query', values: ['key', 'key-char-added'] }), { kind: 'no-answer', why: 'ECONNRESET' }), redact);
  const cut = harEntry(
    attempt(put({ kind: 'query' }), {
      kind: 'answer',
      response: { status: 200, headers: {}, contentType: undefined, text: 'x'.repeat(100), oversize: { limitBytes: 1024 * 1024 } },
      waitMs: 1,
      receiveMs: 5,
    }),
    redact,
  );
  const har = { log: { version: '1.2', creator: { name: 'lilt-conformance', version: '0' }, entries: [answered, none, cut] } };
  const validate = validator();
  expect([validate(har), validate.errors ?? []]).toEqual([true, []]);
  const text = JSON.stringify(har);
  expect(text).not.toContain(KEY);
  expect(text).not.toContain(encodeURIComponent(KEY));
  expect(text).not.toContain(Buffer.from(`${KEY}:${KEY}`).toString('base64'));
  expect(answered).toMatchObject({ request: { headers: [{ name: 'content-type' }, { name: 'authorization', value: '[redacted: Basic auth with the API key]' }] } });
  expect(none).toMatchObject({ response: { status: 0 }, _error: 'ECONNRESET' });
  expect((none as { request: { queryString: unknown } }).request.queryString).toEqual([
    { name: 'key', value: '[redacted: LILT_API_KEY]' },
    { name: 'key', value: '[redacted: LILT_API_KEY]' },
  ]);
  expect(cut).toMatchObject({ response: { content: { comment: expect.stringMatching(/went past 1048576 bytes/) } } });
});

test('the file: a complete HAR after close, one entry a record, each line redacted after its JSON escaping', () => {
  const dir = tempDir('lilt-har-unit-');
  try {
    const file = path.join(dir, 'run.har');
    const writer = openHar(file, redactor(KEY));
    const echoed = [...KEY].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
    for (let i = 0; i < 3; i += 1) {
      writer.record(attempt(put({ kind: 'basic' }), { kind: 'answer', response: { status: 500, headers: {}, contentType: 'text/plain', text: `oops ${echoed}` }, waitMs: 1, receiveMs: 1 }));
    }
    writer.close();
    writer.close();
    const har = JSON.parse(fs.readFileSync(file, 'utf8')) as { log: { entries: Array<{ response: { content: { text: string } } }> } };
    expect(writer.entries).toBe(3);
    expect(har.log.entries).toHaveLength(3);
    expect(har.log.entries.map((e) => e.response.content.text)).toEqual(Array(3).fill('oops [redacted: LILT_API_KEY]'));
    expect(validator()(har)).toBe(true);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
