/**
 * The request envelope on the wire, against a real loopback server: a chunked body arrives chunked and whole, an
 * `Expect: 100-continue` request sends its body only after the interim 100 (and never when the answer comes first),
 * a byte-order mark and an empty body go out as they are, and the credentials derived from the key are what the
 * transport puts in the header or the query, while the request itself never holds the key. The curl line derives the
 * same forms in a shell from $LILT_API_KEY.
 */
import { execFileSync } from 'node:child_process';
import * as http from 'node:http';
import { curlFor, shownKeyForm, shownUrl } from '../../src/http/curl';
import { createRateLimiter } from '../../src/http/rate-limiter';
import { describeAuth, KEY_FORMS, type ApiRequest, type KeyForm } from '../../src/http/request';
import { createTransport, deriveKey, wireRequest, WRONG_KEY, type Transport } from '../../src/http/transport';
import { listen } from '../helpers/net';

const KEY = 'Test-Key-42';

interface Seen {
  readonly headers: http.IncomingHttpHeaders;
  readonly url: string;
  readonly body: Buffer;
  /** The body arrived in this many 'data' events after the headers (at least 1 when there was one). */
  readonly continued: boolean;
}

interface Loopback {
  readonly url: string;
  readonly seen: Seen[];
  close(): Promise<void>;
}

/** `early`: answer 401 to an Expect request without the interim 100 (and without reading its body). */
async function loopback(options: { early?: boolean } = {}): Promise<Loopback> {
  const seen: Seen[] = [];
  const answer = (req: http.IncomingMessage, res: http.ServerResponse, continued: boolean) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seen.push({ headers: req.headers, url: req.url ?? '', body: Buffer.concat(chunks), continued });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"id":1}');
    });
  };
  const server = http.createServer((req, res) => answer(req, res, false));
  server.on('checkContinue', (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (options.early) {
      seen.push({ headers: req.headers, url: req.url ?? '', body: Buffer.alloc(0), continued: false });
      res.writeHead(401, { 'content-type': 'text/plain', connection: 'close' });
      res.end('Unauthorized');
      return;
    }
    res.writeContinue();
    answer(req, res, true);
  });
  const { url, close } = await listen(server);
  return { url, seen, close };
}

const route = (url: string) => ({ baseUrl: url, pathTemplate: '/v2/jobs/{jobId}', keyParameter: 'key' });

function transportFor(server: Loopback): Transport {
  return createTransport({
    route: route(server.url),
    apiKey: KEY,
    timeoutMs: 3_000,
    limiter: createRateLimiter({ perMinute: undefined, concurrency: 2 }),
    throttleWaitMs: 60_000,
  });
}

const put = (over: Partial<ApiRequest>): ApiRequest => ({
  method: 'PUT',
  idSegment: '241',
  body: '{"name":"x"}',
  contentType: 'application/json',
  auth: { kind: 'basic' },
  ...over,
});

let server: Loopback;
let transport: Transport;
beforeEach(async () => {
  server = await loopback();
  transport = transportFor(server);
});
afterEach(async () => {
  await transport.close();
  await server.close();
});

async function sendOne(request: ApiRequest): Promise<Seen> {
  const outcome = await transport.send(request);
  expect(outcome.kind).toBe('response');
  const last = server.seen.at(-1);
  if (last === undefined) throw new Error('the server saw nothing');
  return last;
}

test('a chunked body arrives with Transfer-Encoding: chunked, no Content-Length, and whole', async () => {
  const body = `{"name":"${'é'.repeat(3000)}"}`;
  const seen = await sendOne(put({ body, envelope: { chunked: true } }));
  expect(seen.headers['transfer-encoding']).toBe('chunked');
  expect(seen.headers['content-length']).toBeUndefined();
  expect(seen.body.toString('utf8')).toBe(body);
});

test('a plain body has a Content-Length and is not chunked', async () => {
  const seen = await sendOne(put({}));
  expect(seen.headers['content-length']).toBe(String(Buffer.byteLength('{"name":"x"}')));
  expect(seen.headers['transfer-encoding']).toBeUndefined();
});

test('Expect: 100-continue: the body goes after the interim 100', async () => {
  const seen = await sendOne(put({ envelope: { expectContinue: true } }));
  expect(seen.headers.expect).toBe('100-continue');
  expect(seen.continued).toBe(true);
  expect(seen.body.toString('utf8')).toBe('{"name":"x"}');
});

test('Expect: 100-continue: a final answer before the 100 is the answer, and the body is never sent', async () => {
  const early = await loopback({ early: true });
  const t = transportFor(early);
  try {
    const outcome = await t.send(put({ envelope: { expectContinue: true } }));
    expect(outcome.kind === 'response' ? [outcome.exchange.response.status, outcome.exchange.response.text] : outcome.kind).toEqual([
      401,
      'Unauthorized',
    ]);
    expect(early.seen.map((s) => s.body.length)).toEqual([0]);
  } finally {
    await t.close();
    await early.close();
  }
});

test('a byte-order mark, an empty body with a JSON Content-Type, and a JSON body without one go out as they are', async () => {
  const bom = await sendOne(put({ body: '\ufeff{}' }));
  expect([...bom.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const empty = await sendOne(put({ body: '' }));
  expect([empty.headers['content-type'], empty.body.length]).toEqual(['application/json', 0]);
  const untyped = await sendOne(put({ contentType: undefined }));
  expect([untyped.headers['content-type'], untyped.body.toString('utf8')]).toEqual([undefined, '{"name":"x"}']);
});

describe('credentials derived from the key', () => {
  const decode = (header: string | undefined) => Buffer.from((header ?? '').replace(/^Basic /, ''), 'base64').toString('utf8');

  test('every form but the key itself differs from the key, for keys of every shape', () => {
    for (const key of [KEY, 'lowercase', 'UPPER', '0123456789', 'k', 'ключ-Ωmega']) {
      for (const form of KEY_FORMS.filter((f) => f !== 'key')) expect([form, deriveKey(form, key, WRONG_KEY)]).not.toEqual([form, key]);
    }
    expect(deriveKey('key-case-swapped', KEY, WRONG_KEY)).toBe('tEST-kEY-42');
    expect(deriveKey('key-case-swapped', '0123', WRONG_KEY)).toBe('0123x');
  });

  test.each([
    ['key', 'key-char-added', `${KEY}:${KEY}x`],
    ['wrong', 'key', `${WRONG_KEY}:${KEY}`],
    ['key', 'empty', `${KEY}:`],
    ['key-padded', 'key-padded', ` ${KEY} : ${KEY} `],
    ['key-char-removed', 'key-case-swapped', `Test-Key-4:tEST-kEY-42`],
  ] as const)('Basic with user %s and password %s', async (user, password, decoded) => {
    const seen = await sendOne(put({ auth: { kind: 'derived-basic', user, password } }));
    expect(decode(seen.headers.authorization)).toBe(decoded);
  });

  test('the key query parameter twice, and padded', async () => {
    const twice = await sendOne(put({ auth: { kind: 'derived-query', values: ['wrong', 'key'] } }));
    expect(new URL(twice.url, 'http://x').searchParams.getAll('key')).toEqual([WRONG_KEY, KEY]);
    const padded = await sendOne(put({ auth: { kind: 'derived-query', values: ['key-padded'] } }));
    expect(new URL(padded.url, 'http://x').searchParams.getAll('key')).toEqual([` ${KEY} `]);
    expect(padded.headers.authorization).toBeUndefined();
  });

  test('the request, its description and its curl line never hold the key', () => {
    const requests: ApiRequest[] = [
      put({ auth: { kind: 'derived-basic', user: 'key', password: 'key-char-added' } }),
      put({ auth: { kind: 'derived-query', values: ['key', 'key-case-swapped'] } }),
    ];
    const r = route('http://127.0.0.1:1');
    for (const request of requests) {
      const shown = [JSON.stringify(request), describeAuth(request.auth), curlFor(r, request), shownUrl(r, request)].join('\n');
      for (const form of KEY_FORMS) {
        const derived = deriveKey(form, KEY, WRONG_KEY);
        if (derived.trim().length >= 4 && form !== 'wrong') expect(shown).not.toContain(derived.trim());
      }
      // ... while the wire form does
      expect(JSON.stringify(wireRequest(request, { route: r, apiKey: KEY, wrongKey: WRONG_KEY }))).toMatch(/Test-Key|VGVzdC1LZXk/);
    }
  });

  test.each(KEY_FORMS.map((form) => [form] as const))('the shell expands the curl form of %s to what the transport sends', (form: KeyForm) => {
    const expanded = execFileSync('sh', ['-c', `printf '%s' "${shownKeyForm(form)}"`], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LILT_API_KEY: KEY },
    });
    expect(expanded).toBe(deriveKey(form, KEY, WRONG_KEY));
  });

  test('curl lines: derived Basic, the query twice, chunked, Expect, and no form Content-Type for an untyped body', () => {
    const r = route('https://staging.example.com');
    expect(curlFor(r, put({ auth: { kind: 'derived-basic', user: 'key', password: 'empty' }, body: undefined, contentType: undefined }))).toBe(
      `curl -sS -i -X PUT 'https://staging.example.com/v2/jobs/241' -u "$LILT_API_KEY:"`,
    );
    expect(curlFor(r, put({ auth: { kind: 'derived-query', values: ['key', 'key'] }, body: undefined, contentType: undefined }))).toBe(
      `curl -sS -i -X PUT "https://staging.example.com/v2/jobs/241?key=$LILT_API_KEY&key=$LILT_API_KEY"`,
    );
    const framed = curlFor(r, put({ contentType: undefined, envelope: { chunked: true, expectContinue: true } }));
    expect(framed).toContain(`-H Content-Type: -H 'Transfer-Encoding: chunked' -H 'Expect: 100-continue' --data-raw '{"name":"x"}'`);
  });
});
