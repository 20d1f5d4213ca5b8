/**
 * The "Bad input" at the server: however malformed the request (bad JSON, huge body, odd content type, bad
 * percent-encoding, invalid Basic base64, malformed HTTP), the answer is a documented 4xx, never a 5xx or a
 * dropped connection. Malformed HTTP is sent on a raw socket, since no HTTP client will send it.
 */
import * as net from 'node:net';
import { Readable } from 'node:stream';
import { BODY_LIMIT_BYTES, type RunningProvider } from '../../src/provider';
import { BASIC, expectError, expectJob, expectUnauthorized, send, startProvider } from './helpers';

let provider: RunningProvider;
beforeAll(async () => {
  provider = await startProvider();
});
afterAll(async () => {
  await provider.close();
});

interface RawAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** Writes bytes on a fresh socket and reads until the server closes it (or 5 s pass). */
function raw(text: string | Buffer, port = provider.port): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.setTimeout(5000, () => socket.destroy(new Error('no answer within 5 s')));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const response = Buffer.concat(chunks).toString('utf8');
      const [head = '', body = ''] = response.split('\r\n\r\n', 2);
      const [statusLine = '', ...headerLines] = head.split('\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1] ?? NaN);
      const headers = Object.fromEntries(
        headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
      );
      resolve({ status, headers, body });
    });
    socket.write(text);
  });
}

async function expectRawError(answer: RawAnswer, status: number): Promise<void> {
  await expectError(
    { status: answer.status, contentType: answer.headers['content-type'] ?? '', text: answer.body, headers: new Headers() },
    status,
  );
}

describe('huge bodies', () => {
  it(`answers 413 with the Error body for a body over ${BODY_LIMIT_BYTES} bytes, without dropping the connection`, async () => {
    const body = JSON.stringify({ name: 'x'.repeat(BODY_LIMIT_BYTES + 10) });
    await expectError(await send(provider, '/v2/jobs/241', { body }), 413);
    // The server still answers afterwards.
    await expectJob(await send(provider, '/v2/jobs/241'), 241);
  });

  it('answers 413 for a chunked body (no Content-Length) that grows past the limit', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const stream = Readable.from((function* () {
      yield Buffer.from('{"name":"');
      for (let i = 0; i < 40; i += 1) yield chunk;
      yield Buffer.from('"}');
    })());
    const response = await fetch(`${provider.url}/v2/jobs/241`, {
      method: 'PUT',
      headers: { authorization: BASIC, 'content-type': 'application/json' },
      body: Readable.toWeb(stream) as unknown as ReadableStream,
      duplex: 'half',
    } as RequestInit);
    await expectError(
      { status: response.status, contentType: response.headers.get('content-type') ?? '', text: await response.text(), headers: response.headers },
      413,
    );
  });

  it('accepts a long name just under the limit', async () => {
    const name = 'n'.repeat(BODY_LIMIT_BYTES - 100);
    const job = await expectJob(await send(provider, '/v2/jobs/242', { body: { name } }), 242);
    expect(job.name).toBe(name);
  });
});

describe('content types (the body is parsed as JSON whatever the declared type)', () => {
  it.each([
    ['application/json; charset=utf-8'],
    ['APPLICATION/JSON'],
    ['text/plain'],
    ['application/merge-patch+json'],
    ['application/octet-stream'],
    ['multipart/form-data; boundary=x'],
  ])('accepts a JSON object declared as %s', async (contentType) => {
    const job = await expectJob(await send(provider, '/v2/jobs/243', { body: { name: contentType }, contentType }), 243);
    expect(job.name).toBe(contentType);
  });

  it('accepts a JSON object sent with no Content-Type', async () => {
    const job = await expectJob(await send(provider, '/v2/jobs/243', { body: Buffer.from('{"name":"bare"}'), contentType: null }), 243);
    expect(job.name).toBe('bare');
  });

  it.each([
    ['application/x-www-form-urlencoded', 'name=x'],
    ['application/xml', '<job><name>x</name></job>'],
    ['text/plain', 'just text'],
  ])('answers 400 for a %s body that is not JSON', async (contentType, body) => {
    await expectError(await send(provider, '/v2/jobs/241', { body, contentType }), 400);
  });

  it.each([';;;', 'json', '/', 'application/'])(
    'answers 415 with the Error body for the malformed Content-Type %j',
    async (contentType) => {
      await expectError(await send(provider, '/v2/jobs/241', { body: '{}', contentType }), 415);
    },
  );

  it('answers 400 for a body that is not UTF-8', async () => {
    const body = Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]);
    const message = await expectError(await send(provider, '/v2/jobs/241', { body }), 400);
    expect(message).toMatch(/UTF-8/);
  });

  it('answers 400 for deeply nested JSON', async () => {
    const body = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    await expectError(await send(provider, '/v2/jobs/241', { body }), 400);
  });
});

describe('the path and query', () => {
  it.each(['%E0%A4%A', '%ZZ', '%', '241%', '%C0%AF', '%FF'])('answers 400 with the Error body for bad percent-encoding %s', async (id) => {
    await expectError(await send(provider, `/v2/jobs/${id}`), 400);
  });

  it('decodes a well-formed percent-encoded id', async () => {
    await expectJob(await send(provider, '/v2/jobs/%32%34%31'), 241);
  });

  it('answers a 4xx with the Error body for an id of 5 000 digits', async () => {
    await expectError(await send(provider, `/v2/jobs/${'9'.repeat(5000)}`), '4xx');
  });

  it('answers 401 for a key with bad percent-encoding, 200 for a well-encoded one', async () => {
    await expectUnauthorized(await send(provider, '/v2/jobs/241?key=%ZZ', { authorization: null }));
    await expectJob(await send(provider, '/v2/jobs/241?key=test%2Dkey', { authorization: null }), 241);
  });

  it.each(['Basic ====', 'Basic dGVzdC1rZXk6dGVzdC1rZXk', 'Basic dGVzdC1rZXk6dGVzdC1rZXk=\u00e9', 'basic', 'Digest x'])(
    'answers 401 for the malformed Authorization %j',
    async (authorization) => {
      await expectUnauthorized(await send(provider, '/v2/jobs/241', { authorization }));
    },
  );
});

describe('malformed HTTP (raw socket)', () => {
  it('answers 400 with the Error body for a garbage request line', async () => {
    await expectRawError(await raw('GARBAGE\r\n\r\n'), 400);
  });

  it('answers 400 with the Error body for a header without a colon', async () => {
    await expectRawError(await raw('PUT /v2/jobs/241 HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n'), 400);
  });

  it('answers 400 with the Error body for a non-numeric Content-Length', async () => {
    await expectRawError(await raw('PUT /v2/jobs/241 HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}'), 400);
  });

  it('answers 400 with the Error body for both Content-Length and Transfer-Encoding', async () => {
    const request =
      'PUT /v2/jobs/241 HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n';
    await expectRawError(await raw(request), 400);
  });

  it('answers 400 with the Error body for an HTTP/1.1 request without Host', async () => {
    await expectRawError(await raw(`PUT /v2/jobs/241 HTTP/1.1\r\nAuthorization: ${BASIC}\r\nConnection: close\r\n\r\n`), 400);
  });

  it('answers 400 with the Error body for an invalid chunk size', async () => {
    const request = `PUT /v2/jobs/241 HTTP/1.1\r\nHost: x\r\nAuthorization: ${BASIC}\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n`;
    await expectRawError(await raw(request), 400);
  });

  it('answers 431 with the Error body for headers over the size limit', async () => {
    await expectRawError(await raw(`PUT /v2/jobs/241 HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(100_000)}\r\n\r\n`), 431);
  });

  it('answers a valid request on a raw socket like any client (sanity check of the raw helper)', async () => {
    const answer = await raw(
      `PUT /v2/jobs/241 HTTP/1.1\r\nHost: x\r\nAuthorization: ${BASIC}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
    );
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ id: 241 });
  });
});

describe('requests Node would answer on its own (or not at all)', () => {
  const lines: string[] = [];
  let logged: RunningProvider;
  beforeAll(async () => {
    logged = await startProvider({ log: (line) => lines.push(line) });
  });
  afterAll(async () => {
    await logged.close();
  });

  it('answers CONNECT with 405, Allow: PUT and the Error body (not a closed connection), and logs it', async () => {
    const answer = await raw(`CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\nAuthorization: ${BASIC}\r\n\r\n`, logged.port);
    await expectRawError(answer, 405);
    expect(answer.headers['allow']).toBe('PUT');
    expect(lines).toContainEqual(expect.stringMatching(/^CONNECT 127\.0\.0\.1:22 405 /));
  });

  it('answers an unknown Expect with 417 and the Error body (not Node\'s bare 417), and logs it', async () => {
    const answer = await raw(
      `PUT /v2/jobs/241?key=test-key HTTP/1.1\r\nHost: x\r\nExpect: bogus\r\nContent-Length: 2\r\n\r\n{}`,
      logged.port,
    );
    await expectRawError(answer, 417);
    expect(JSON.parse(answer.body)).toEqual({ message: expect.stringMatching(/Expect: bogus is not supported/) });
    expect(lines).toContainEqual(expect.stringMatching(/^PUT \/v2\/jobs\/241\?key=\*\*\* 417 /));
  });
});
