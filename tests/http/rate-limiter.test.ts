/**
 * The limiter paces requests and holds them after a 429; the transport waits Retry-After (or the document's wait),
 * sends again, counts it, and declares a target down after consecutive timeouts. Against a real loopback server.
 */
import * as http from 'node:http';
import { createRateLimiter, LimiterStopped, retryAfterOf } from '../../src/http/rate-limiter';
import { createTransport, type TargetHealth } from '../../src/http/transport';
import type { ApiRequest } from '../../src/http/request';
import { RESPONSE_EXCERPT_BYTES } from '../../src/http/content-coding';
import { listen } from '../helpers/net';

interface Loopback {
  url: string;
  seen: Array<{ at: number; url: string; authorization: string | undefined }>;
  close(): Promise<void>;
}

async function loopback(handler: (count: number, req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<Loopback> {
  const seen: Loopback['seen'] = [];
  const server = http.createServer((req, res) => {
    seen.push({ at: Date.now(), url: req.url ?? '', authorization: req.headers.authorization });
    req.resume();
    req.on('end', () => handler(seen.length, req, res));
  });
  const { url, close } = await listen(server);
  return { url, seen, close };
}

function memoryHealth(): TargetHealth & { reason?: string } {
  const health: TargetHealth & { reason?: string } = {
    downReason: () => health.reason,
    markDown: (reason) => {
      health.reason ??= reason;
    },
  };
  return health;
}

const ok = (_n: number, _req: http.IncomingMessage, res: http.ServerResponse) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end('{"id":1}');
};

const read: ApiRequest = { method: 'PUT', idSegment: '1', body: '{}', contentType: 'application/json', auth: { kind: 'basic' } };

function transportFor(server: Loopback, options: { perMinute?: number; timeoutMs?: number; throttleWaitMs?: number; health?: TargetHealth } = {}) {
  return createTransport({
    route: { baseUrl: server.url, pathTemplate: '/v2/jobs/{jobId}', keyParameter: 'key' },
    apiKey: 'the-key',
    timeoutMs: options.timeoutMs ?? 2_000,
    limiter: createRateLimiter({ perMinute: options.perMinute, concurrency: 4 }),
    throttleWaitMs: options.throttleWaitMs ?? 60_000,
    health: options.health ?? memoryHealth(),
  });
}

test('pacing: at 600 a minute, 5 requests sent at once are spread 100 ms apart', async () => {
  const server = await loopback(ok);
  const transport = transportFor(server, { perMinute: 600 });
  try {
    await Promise.all(Array.from({ length: 5 }, () => transport.send(read)));
    const gaps = server.seen.slice(1).map((s, i) => s.at - server.seen[i]!.at);
    expect(gaps).toHaveLength(4);
    // Started 100 ms apart; arrival jitters by a few ms (a new connection for the first), so judge the span.
    expect(server.seen[4]!.at - server.seen[0]!.at).toBeGreaterThanOrEqual(340); // unpaced, the span is a few ms
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(60);
    expect(transport.counters.sent).toBe(5);
  } finally {
    await transport.close();
    await server.close();
  }
});

test('no pacing when unlimited: 5 requests go out together', async () => {
  const server = await loopback(ok);
  const transport = transportFor(server);
  try {
    const started = Date.now();
    await Promise.all(Array.from({ length: 5 }, () => transport.send(read)));
    expect(Date.now() - started).toBeLessThan(400);
  } finally {
    await transport.close();
    await server.close();
  }
});

test('unlimited: at most --concurrency in flight, in the order scheduled', async () => {
  const limiter = createRateLimiter({ perMinute: undefined, concurrency: 2 });
  let inFlight = 0;
  let most = 0;
  const started: number[] = [];
  const job = (i: number) => async () => {
    started.push(i);
    inFlight += 1;
    most = Math.max(most, inFlight);
    await new Promise((resolve) => setTimeout(resolve, 20));
    inFlight -= 1;
    return i;
  };
  const results = await Promise.all(Array.from({ length: 7 }, (_, i) => limiter.schedule(job(i))));
  expect(results).toEqual([0, 1, 2, 3, 4, 5, 6]);
  expect(most).toBe(2);
  expect(started).toEqual([0, 1, 2, 3, 4, 5, 6]);
  await limiter.stop();
});

test('unlimited: a pause holds every request not yet started, a longer pause extends it, stop waits for running ones', async () => {
  const limiter = createRateLimiter({ perMinute: undefined, concurrency: 4 });
  const t0 = Date.now();
  await limiter.pause(150);
  await limiter.pause(50); // shorter: changes nothing
  const first = limiter.schedule(async () => Date.now() - t0);
  await limiter.pause(300); // longer: the queued one waits for it too
  const second = limiter.schedule(async () => Date.now() - t0);
  expect(await first).toBeGreaterThanOrEqual(280);
  expect(await second).toBeGreaterThanOrEqual(280);
  let finished = false;
  void limiter.schedule(async () => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    finished = true;
  });
  await limiter.stop();
  expect(finished).toBe(true);
});

test('a 429 with Retry-After: 1 holds the request a second, then it is sent again and counted', async () => {
  const server = await loopback((n, req, res) => {
    if (n === 1) {
      res.writeHead(429, { 'retry-after': '1', 'content-type': 'application/json' });
      res.end('{"message":"quota"}');
    } else ok(n, req, res);
  });
  const transport = transportFor(server);
  try {
    const outcome = await transport.send(read);
    expect(outcome.kind).toBe('response');
    expect(outcome.kind === 'response' && outcome.exchange.response.status).toBe(200);
    expect(transport.counters).toMatchObject({ sent: 2, throttled: 1 });
    expect(server.seen[1]!.at - server.seen[0]!.at).toBeGreaterThanOrEqual(950);
  } finally {
    await transport.close();
    await server.close();
  }
});

test('a 429 without Retry-After waits the document-given time (shortened here)', async () => {
  const server = await loopback((n, req, res) => {
    if (n === 1) {
      res.writeHead(429);
      res.end();
    } else ok(n, req, res);
  });
  const transport = transportFor(server, { throttleWaitMs: 300 });
  try {
    await transport.send(read);
    expect(server.seen[1]!.at - server.seen[0]!.at).toBeGreaterThanOrEqual(280);
  } finally {
    await transport.close();
    await server.close();
  }
});

test('Retry-After: seconds, an HTTP date, absent, not a number; never capped here (--max-wait decides)', () => {
  expect(retryAfterOf('2', 60_000)).toEqual({ ms: 2_000, said: 'Retry-After: "2"' });
  expect(retryAfterOf(new Date(10_000).toUTCString(), 60_000, 5_000).ms).toBe(5_000);
  expect(retryAfterOf(undefined, 60_000)).toEqual({ ms: 60_000, said: "no Retry-After: the document's 60 s" });
  expect(retryAfterOf('86400', 60_000).ms).toBe(86_400_000);
  expect(retryAfterOf('abc', 60_000)).toEqual({ ms: 60_000, said: `Retry-After: "abc" is neither seconds nor a date: the document's 60 s` });
});

test('a Retry-After beyond --max-wait is not waited out: the target is declared down at once, the 429 counted', async () => {
  const server = await loopback((_n, _req, res) => {
    res.writeHead(429, { 'retry-after': '86400' });
    res.end();
  });
  const health = memoryHealth();
  const transport = createTransport({
    route: { baseUrl: server.url, pathTemplate: '/v2/jobs/{jobId}', keyParameter: 'key' },
    apiKey: 'the-key',
    timeoutMs: 2_000,
    limiter: createRateLimiter({ perMinute: undefined, concurrency: 4 }),
    throttleWaitMs: 60_000,
    maxWaitMs: 300_000,
    health,
  });
  try {
    const started = Date.now();
    const outcome = await transport.send(read);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(outcome).toMatchObject({ kind: 'target-down', reason: expect.stringMatching(/asked to wait 86400 s .*beyond --max-wait 300 s/) });
    expect(health.reason).toMatch(/beyond --max-wait/);
    expect(transport.counters).toMatchObject({ sent: 1, throttled: 1 });
  } finally {
    await transport.close();
    await server.close();
  }
});

test.each([
  ['unlimited', undefined],
  ['paced', 6000],
])('stop() (%s): a send waiting out a 429 returns at once and is never sent, nor is any later one', async (_label, perMinute) => {
  const server = await loopback((n, req, res) => {
    if (n === 1) {
      res.writeHead(429, { 'retry-after': '60' });
      res.end();
    } else ok(n, req, res);
  });
  const transport = transportFor(server, { perMinute });
  try {
    const waiting = transport.send(read); // gets the 429, then waits 60 s
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(server.seen).toHaveLength(1);
    const started = Date.now();
    await transport.stop('SIGINT');
    expect(await waiting).toMatchObject({ kind: 'target-down', reason: 'SIGINT' });
    expect(Date.now() - started).toBeLessThan(500);
    expect((await transport.send(read)).kind).toBe('target-down');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(server.seen).toHaveLength(1);
  } finally {
    await transport.close();
    await server.close();
  }
});

test('stop(): a request on the wire is waited for (not cut), so its answer comes before stop() resolves', async () => {
  let answer: (() => void) | undefined;
  const server = await loopback((n, req, res) => {
    answer = () => ok(n, req, res);
  });
  const transport = transportFor(server);
  try {
    const onWire = transport.send(read);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(transport.inFlight).toBe(1);
    let stopped = false;
    const stopping = transport.stop('SIGINT').then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(stopped).toBe(false);
    answer?.();
    await stopping;
    expect((await onWire).kind).toBe('response');
    expect(transport.inFlight).toBe(0);
  } finally {
    await transport.close();
    await server.close();
  }
});

test('unlimited and paced: a scheduled request called off never starts, and the slot it queued for passes on', async () => {
  for (const perMinute of [undefined, 6000]) {
    const limiter = createRateLimiter({ perMinute, concurrency: 1 });
    const controller = new AbortController();
    const ran: number[] = [];
    const slow = limiter.schedule(async () => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      ran.push(1);
    });
    const calledOff = limiter.schedule(async () => void ran.push(2), controller.signal);
    const after = limiter.schedule(async () => void ran.push(3));
    controller.abort();
    await expect(calledOff).rejects.toBeInstanceOf(LimiterStopped);
    await Promise.all([slow, after]);
    expect(ran).toEqual([1, 3]);
    await limiter.stop();
  }
});

test('a target that stops answering: three timeouts declare it down, later sends return at once', async () => {
  const server = await loopback(() => undefined); // never answers
  const health = memoryHealth();
  const transport = transportFor(server, { timeoutMs: 150, health });
  try {
    for (let i = 0; i < 3; i += 1) expect((await transport.send(read)).kind).toBe('timeout');
    expect(health.reason).toMatch(/3 requests in a row got no answer within 150 ms/);
    const started = Date.now();
    expect((await transport.send(read)).kind).toBe('target-down');
    expect(Date.now() - started).toBeLessThan(50);
    expect(server.seen).toHaveLength(3);
  } finally {
    await transport.close();
    await server.close();
  }
});

test('the key goes on the wire only: Basic as key:key, the query parameter URL-encoded', async () => {
  const server = await loopback(ok);
  const transport = transportFor(server);
  try {
    await transport.send(read);
    await transport.send({ ...read, auth: { kind: 'query' } });
    await transport.send({ ...read, auth: { kind: 'wrong-basic' } });
    expect(server.seen[0]!.authorization).toBe(`Basic ${Buffer.from('the-key:the-key').toString('base64')}`);
    expect(server.seen[1]!.url).toBe('/v2/jobs/1?key=the-key');
    expect(server.seen[2]!.authorization).not.toContain(Buffer.from('the-key:the-key').toString('base64'));
  } finally {
    await transport.close();
    await server.close();
  }
});

test('an endless body is read up to the cap, then the connection is dropped; the response is marked oversize and keeps an excerpt', async () => {
  const server = await loopback((_n, _req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const pump = () => {
      while (res.write(chunk));
    };
    res.on('drain', pump);
    pump();
  });
  const transport = createTransport({
    route: { baseUrl: server.url, pathTemplate: '/v2/jobs/{jobId}', keyParameter: 'key' },
    apiKey: 'the-key',
    timeoutMs: 5_000,
    limiter: createRateLimiter({ perMinute: undefined, concurrency: 4 }),
    throttleWaitMs: 60_000,
    maxResponseBytes: 256 * 1024,
  });
  try {
    const started = Date.now();
    const outcome = await transport.send(read);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(outcome.kind).toBe('response');
    if (outcome.kind !== 'response') return;
    expect(outcome.exchange.response.oversize).toEqual({ limitBytes: 256 * 1024 });
    // Only its first bytes are kept: nothing judges more of a body past the cap than that it is too big.
    expect(outcome.exchange.response.text).toBe('x'.repeat(RESPONSE_EXCERPT_BYTES));
  } finally {
    await transport.close();
    await server.close();
  }
});

test('headers over undici\'s limit are named as such, not as a failure to connect', async () => {
  const server = await loopback((_n, _req, res) => {
    res.writeHead(200, { 'x-big': 'y'.repeat(20_000), 'content-type': 'application/json' });
    res.end('{}');
  });
  const transport = transportFor(server);
  try {
    const outcome = await transport.send(read);
    expect(outcome).toMatchObject({ kind: 'network-error', cause: 'headers-too-large', message: expect.stringMatching(/headers exceed 16384 bytes/) });
  } finally {
    await transport.close();
    await server.close();
  }
});
