/**
 * Content codings, through the real transport against a loopback server: no Accept-Encoding is sent on either path
 * (undici, and node:http for Expect); gzip, deflate (zlib-wrapped and raw), br and several in a row are decoded; the
 * cap applies to the decoded size (a compression bomb ends fast, bounded); a coding the run does not read, or bytes
 * that do not decode, are marked as such and the body is not read.
 */
import * as http from 'node:http';
import * as zlib from 'node:zlib';
import { createRateLimiter } from '../../src/http/rate-limiter';
import { createTransport, MAX_RESPONSE_BYTES, type Transport } from '../../src/http/transport';
import { RESPONSE_EXCERPT_BYTES, codingsOf } from '../../src/http/content-coding';
import type { ApiRequest, ApiResponse } from '../../src/http/request';
import { listen, type Listening } from '../helpers/net';

const JOB = JSON.stringify({ id: 241, name: 'My New Job', due: '2021-06-03T13:43:00Z', isProcessing: 0, status: 'active' });
const read: ApiRequest = { method: 'PUT', idSegment: '241', body: '{}', contentType: 'application/json', auth: { kind: 'basic' } };
const expecting: ApiRequest = { ...read, envelope: { expectContinue: true } };

interface Server extends Listening {
  /** Each request's Accept-Encoding header (undefined when it sent none). */
  readonly acceptEncoding: Array<string | undefined>;
}

/** Answers every request 200 with `body` and the given Content-Encoding. */
async function serving(body: Buffer, contentEncoding: string | undefined): Promise<Server> {
  const acceptEncoding: Array<string | undefined> = [];
  const server = http.createServer((req, res) => {
    acceptEncoding.push(req.headers['accept-encoding']);
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', ...(contentEncoding === undefined ? {} : { 'content-encoding': contentEncoding }) });
      res.end(body);
    });
  });
  return { ...(await listen(server)), acceptEncoding };
}

let server: Server | undefined;
let transport: Transport | undefined;
async function closeBoth(): Promise<void> {
  await transport?.close();
  await server?.close();
  transport = undefined;
  server = undefined;
}
afterEach(closeBoth);

/** One request to a new server (the previous one closed) that answers with `body` and `contentEncoding`. */
async function answer(body: Buffer, contentEncoding: string | undefined, request: ApiRequest = read): Promise<ApiResponse> {
  await closeBoth();
  server = await serving(body, contentEncoding);
  transport = createTransport({
    route: { baseUrl: server.url, pathTemplate: '/v2/jobs/{jobId}', keyParameter: 'key' },
    apiKey: 'the-key',
    timeoutMs: 10_000,
    limiter: createRateLimiter({ perMinute: undefined, concurrency: 4 }),
    throttleWaitMs: 60_000,
  });
  const outcome = await transport.send(request);
  if (outcome.kind !== 'response') throw new Error(`no response: ${JSON.stringify(outcome)}`);
  return outcome.exchange.response;
}

const job = Buffer.from(JOB);

test.each<[string, string, Buffer]>([
  ['gzip', 'gzip', zlib.gzipSync(job)],
  ['x-gzip (gzip\'s alias)', 'x-gzip', zlib.gzipSync(job)],
  ['deflate, zlib-wrapped (RFC 1950)', 'deflate', zlib.deflateSync(job)],
  ['deflate, raw (as some servers send it)', 'deflate', zlib.deflateRawSync(job)],
  ['br', 'br', zlib.brotliCompressSync(job)],
  ['gzip then br ("gzip, br": br taken off first)', 'gzip, br', zlib.brotliCompressSync(zlib.gzipSync(job))],
  ['deflate then gzip, upper case and spaces', ' Deflate ,GZIP', zlib.gzipSync(zlib.deflateSync(job))],
])('%s: decoded; the checks read the Job', async (_label, header, wire) => {
  for (const request of [read, expecting]) {
    const response = await answer(wire, header, request);
    expect(response.text).toBe(JOB);
    expect(response.oversize).toBeUndefined();
    expect(response.coding).toEqual({ kind: 'decoded', codings: codingsOf(header), wireBytes: wire.length });
  }
});

test('no Accept-Encoding is sent, on the undici path or the node:http path (Expect: 100-continue)', async () => {
  await answer(job, undefined);
  expect(server?.acceptEncoding).toEqual([undefined]);
  await answer(job, undefined, expecting);
  expect(server?.acceptEncoding).toEqual([undefined]);
});

test('no coding, or identity: the body as sent, no coding field', async () => {
  expect(await answer(job, undefined)).toMatchObject({ text: JOB });
  expect((await answer(job, undefined)).coding).toBeUndefined();
  const identity = await answer(job, 'identity');
  expect(identity.text).toBe(JOB);
  expect(identity.coding).toBeUndefined();
});

test('a compression bomb (a small gzip that inflates to 512 MiB): stopped at the cap, marked oversize (decoded), fast and bounded', async () => {
  // 32 gzip members of 16 MiB of spaces each (a gzip reader reads them one after another): about 0.5 MB on the wire.
  const member = zlib.gzipSync(Buffer.alloc(16 * 1024 * 1024, 0x20), { level: 9 });
  const bomb = Buffer.concat(Array.from({ length: 32 }, () => member));
  expect(bomb.length).toBeLessThan(MAX_RESPONSE_BYTES);

  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  const response = await answer(bomb, 'gzip');
  const elapsed = performance.now() - started;
  const grew = process.memoryUsage().rss - rssBefore;
  process.stdout.write(`compression bomb: ${bomb.length} bytes on the wire, 512 MiB inflated; judged in ${elapsed.toFixed(0)} ms, RSS +${(grew / 1e6).toFixed(0)} MB\n`);
  expect(response.oversize).toEqual({ limitBytes: MAX_RESPONSE_BYTES, decoded: true });
  expect(response.coding).toEqual({ kind: 'decoded', codings: ['gzip'], wireBytes: bomb.length });
  expect(response.text).toBe(' '.repeat(RESPONSE_EXCERPT_BYTES));
  expect(elapsed).toBeLessThan(2_000);
  expect(grew).toBeLessThan(64 * 1024 * 1024);
});

test('a gzip body past the cap on the wire: cut there, an excerpt decoded, marked oversize', async () => {
  // Random bytes do not compress: more than the cap on the wire.
  const noise = Buffer.from(Array.from({ length: 2 * MAX_RESPONSE_BYTES }, (_v, i) => (i * 7919 + ((i * i) >>> 3)) & 0xff));
  const wire = zlib.gzipSync(Buffer.concat([Buffer.from('{"name":"'), noise]), { level: 0 });
  expect(wire.length).toBeGreaterThan(MAX_RESPONSE_BYTES);
  const response = await answer(wire, 'gzip');
  expect(response.oversize).toEqual({ limitBytes: MAX_RESPONSE_BYTES });
  expect(response.coding).toMatchObject({ kind: 'decoded', codings: ['gzip'] });
  expect(response.text.startsWith('{"name":"')).toBe(true);
  expect(Buffer.byteLength(response.text)).toBeLessThanOrEqual(RESPONSE_EXCERPT_BYTES * 3);
});

test('a coding the run does not read (x-custom): not decoded, the body not read, the coding named', async () => {
  const response = await answer(job, 'x-custom');
  expect(response.text).toBe('');
  expect(response.coding).toEqual({
    kind: 'not-decoded',
    codings: ['x-custom'],
    reason: 'x-custom is not a coding the run reads (it reads gzip, deflate and br)',
  });
  // One unknown among known ones: nothing is guessed either.
  expect((await answer(zlib.gzipSync(job), 'gzip, zstd')).coding).toMatchObject({ kind: 'not-decoded', codings: ['gzip', 'zstd'] });
});

test.each<[string, string, Buffer]>([
  ['gzip that is plain JSON', 'gzip', job],
  ['gzip cut short (no trailer)', 'gzip', zlib.gzipSync(job).subarray(0, 20)],
  ['br that is not br', 'br', Buffer.from('not brotli at all')],
])('%s: not decoded, the reason given', async (_label, header, wire) => {
  const response = await answer(wire, header);
  expect(response.text).toBe('');
  expect(response.coding).toMatchObject({ kind: 'not-decoded', codings: [header] });
  expect(response.coding?.kind === 'not-decoded' ? response.coding.reason : '').toMatch(new RegExp(`^not valid ${header} data \\(.+\\)$`));
});
