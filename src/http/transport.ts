/**
 * The one place a request is sent: undici over a keep-alive Agent, paced by the rate limiter, with a timeout per
 * request. The API key is put on the wire here and nowhere else. A 429 is not an answer: the transport waits
 * (Retry-After, else the document's wait) and sends again, and counts it; a wait beyond --max-wait is not waited out
 * but ends the run (the target is declared down). Consecutive timeouts or connection failures declare the target
 * down: later sends return at once, so a dead target ends a run in bounded time.
 *
 * The envelope: undici for every request but one with `Expect: 100-continue` (undici refuses that header), which goes
 * over node:http (node:https) on a connection of its own, through the proxy when one applies.
 *
 * Bounded in memory: a response body is read up to `maxResponseBytes` (MAX_RESPONSE_BYTES, 1 MiB), on either path;
 * past it the connection is dropped and the response is kept with its first few KB only, marked `oversize` (a finding
 * of schema.body-matches-schema). Headers are bounded by undici (`maxHeaderSize`, Node's 16 KiB); an overflow is named.
 *
 * Content codings: neither path sends Accept-Encoding (undici's `request` and node:http add none; only a team's own
 * -H header would), so any coding is acceptable (RFC 9110 section 12.5.3). A coded body is decoded, under the same cap
 * for its decoded size, in content-coding.ts; one it cannot decode is marked so (schema.content-coding-known).
 *
 * Stopping (a signal, the deadline, the end of the run): `stop()` calls off every send not yet on the wire (queued,
 * paced, or waiting out a 429) at once, and resolves when every request on the wire has ended (each bounded by the
 * request timeout), so that nothing of the run's is sent or answered after it; the restore then goes through
 * `sendOnce`, outside the limiter and its pauses.
 */
import { setMaxListeners } from 'node:events';
import * as http from 'node:http';
import * as https from 'node:https';
import type * as net from 'node:net';
import { Readable } from 'node:stream';
import * as tls from 'node:tls';
import { Agent, EnvHttpProxyAgent, request as undiciRequest, type Dispatcher } from 'undici';
import { bodyOf } from './content-coding';
import { proxyFor, type ProxyConfig } from './proxy';
import { MAX_RESPONSE_BYTES, type ApiRequest, type ApiResponse, type KeyForm, type SendOutcome } from './request';
import { LimiterStopped, retryAfterOf, type Priority, type RateLimiter } from './rate-limiter';
import { pathFor, urlFor, type Route } from './target-url';

/** Sent as the "wrong key": never the real one. */
export const WRONG_KEY = 'lilt-conformance-wrong-key';

export { MAX_RESPONSE_BYTES } from './request';

/** undici's (and Node's) default limit on a response's header section. */
export const MAX_HEADER_BYTES = 16 * 1024;

/** What a transport reports, for progress and the summary. */
export interface TransportCounters {
  sent: number;
  throttled: number;
  timeouts: number;
}

/** Whether the target still answers: one per run, shared by every case (in memory). */
export interface TargetHealth {
  downReason(): string | undefined;
  markDown(reason: string): void;
}

/** A run's health: the first reason it was marked down is kept. */
export function createHealth(): TargetHealth {
  let reason: string | undefined;
  return {
    downReason: () => reason,
    markDown(why) {
      reason ??= why;
    },
  };
}

export interface SendOptions {
  /** Send even when the target was marked down (the restore must be tried whatever happened before). */
  readonly evenIfDown?: boolean;
  /** 'batch' for a request nothing waits on by itself (a probe section's member): it goes after the chain's. */
  readonly priority?: Priority;
}

/** A wait after a 429, as it starts: for the progress line (the CLI counts it down). */
export interface ThrottleWait {
  readonly ms: number;
  /** Where the wait comes from: `Retry-After: "30"`, or the document's wait. */
  readonly said: string;
}

export interface TransportOptions {
  readonly route: Route;
  readonly apiKey: string;
  readonly timeoutMs: number;
  readonly limiter: RateLimiter;
  /** The wait after a 429 without Retry-After (the document's 60 s). */
  readonly throttleWaitMs: number;
  /** A 429 asking for a longer wait ends the run (the target is declared down). Default: no bound. */
  readonly maxWaitMs?: number;
  /** Default MAX_RESPONSE_BYTES. */
  readonly maxResponseBytes?: number;
  /** Default: a new one (createHealth). */
  readonly health?: TargetHealth;
  /** Consecutive timeouts or connection failures that declare the target down. */
  readonly failuresBeforeDown?: number;
  /** Consecutive 429s for one request before giving up on the target. */
  readonly maxThrottlesPerRequest?: number;
  /** Whether a request may change the run's job (counted when it gets no answer: it may still land). */
  readonly isWrite?: (request: ApiRequest) => boolean;
  readonly onCounters?: (counters: Readonly<TransportCounters>) => void;
  /** A 429 wait begins (every request waits it out; one call per extension of the pause). */
  readonly onWait?: (wait: ThrottleWait) => void;
  readonly log?: (line: string) => void;
  /** The proxy to go through (undici's EnvHttpProxyAgent, NO_PROXY honoured); never for a loopback target. */
  readonly proxy?: ProxyConfig | undefined;
}

export interface Transport {
  send(request: ApiRequest, options?: SendOptions): Promise<SendOutcome>;
  /**
   * One attempt, outside the limiter and its pauses, with its own timeout: the restore's lane (a 429 comes back as a
   * response, for the restore to honour). Sent even when the transport is stopped or the target marked down.
   */
  sendOnce(request: ApiRequest, timeoutMs: number): Promise<SendOutcome>;
  /**
   * Stops issuing: every send not yet on the wire returns `target-down` with `reason` at once, and so does every send
   * after; resolves when the requests on the wire have ended (each within the request timeout).
   */
  stop(reason: string): Promise<void>;
  /** Why the transport was stopped, if it was. */
  readonly stopped: string | undefined;
  /** Requests on the wire now. */
  readonly inFlight: number;
  /** Writes (per `isWrite`) that got no answer: a timeout or a dropped connection; they may still land. */
  readonly unansweredWrites: number;
  readonly health: TargetHealth;
  readonly counters: Readonly<TransportCounters>;
  close(): Promise<void>;
}

function basic(key: string): string {
  return `Basic ${Buffer.from(`${key}:${key}`, 'utf8').toString('base64')}`;
}

export function wrongKeyFor(apiKey: string): string {
  return apiKey === WRONG_KEY ? `${WRONG_KEY}-2` : WRONG_KEY;
}

/** Swaps the case of every letter (`aB1` -> `Ab1`). */
function swapCase(text: string): string {
  return Array.from(text, (c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('');
}

/** A form of the key as it goes on the wire. Every form but `key` differs from the key, whatever the key. */
export function deriveKey(form: KeyForm, apiKey: string, wrongKey: string): string {
  switch (form) {
    case 'key':
      return apiKey;
    case 'key-char-added':
      return `${apiKey}x`;
    case 'key-char-removed':
      return Array.from(apiKey).slice(0, -1).join('');
    case 'key-case-swapped': {
      // A key without letters has no case to change: a character added keeps the form a near miss of the key.
      const swapped = swapCase(apiKey);
      return swapped === apiKey ? `${apiKey}x` : swapped;
    }
    case 'key-padded':
      return ` ${apiKey} `;
    case 'empty':
      return '';
    case 'wrong':
      return wrongKey;
  }
}

/** A request as it goes on the wire: the only value that holds the key (never stored, never shown). */
export interface WireRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The body's bytes (UTF-8), undefined for none. */
  readonly body: Buffer | undefined;
  /** Send the body with Transfer-Encoding: chunked. */
  readonly chunked: boolean;
  /** Send `Expect: 100-continue` and the body only after the interim 100 (undici refuses Expect: node:http sends it). */
  readonly expectContinue: boolean;
}

/** Builds the wire form of a request: headers, URL (the key put in where the auth asks for it) and body. */
export function wireRequest(request: ApiRequest, keys: { readonly route: Route; readonly apiKey: string; readonly wrongKey: string }): WireRequest {
  const { route, apiKey, wrongKey } = keys;
  const headers: Record<string, string> = {};
  // The team's headers (-H) first: the run's own (Content-Type, Authorization, Expect) are never among them (headers.ts).
  for (const header of route.headers ?? []) {
    headers[header.name.toLowerCase()] = header.secret ? header.value.reveal() : header.value;
  }
  if (request.contentType !== undefined) headers['content-type'] = request.contentType;
  const auth = request.auth;
  switch (auth.kind) {
    case 'basic':
      headers.authorization = basic(apiKey);
      break;
    case 'wrong-basic':
      headers.authorization = basic(auth.key ?? wrongKey);
      break;
    case 'raw-header':
      headers.authorization = auth.header;
      break;
    case 'derived-basic':
      headers.authorization = basicPair(deriveKey(auth.user, apiKey, wrongKey), deriveKey(auth.password, apiKey, wrongKey));
      break;
    default:
      break;
  }
  const url =
    auth.kind === 'derived-query'
      ? `${route.baseUrl}${pathFor(route, request.idSegment)}?${auth.values
          .map((form) => `${route.keyParameter}=${encodeURIComponent(deriveKey(form, apiKey, wrongKey))}`)
          .join('&')}`
      : urlFor(route, request, { key: encodeURIComponent(apiKey), wrongKey });
  const expectContinue = request.envelope?.expectContinue === true;
  if (expectContinue) headers.expect = '100-continue';
  return {
    url,
    headers,
    body: request.body === undefined ? undefined : Buffer.from(request.body, 'utf8'),
    chunked: request.envelope?.chunked === true && request.body !== undefined,
    expectContinue,
  };
}

/** The body in two chunks: with no length known up front, undici sends it with Transfer-Encoding: chunked. */
async function* inChunks(body: Buffer): AsyncGenerator<Buffer> {
  const half = Math.floor(body.length / 2);
  yield body.subarray(0, half);
  yield body.subarray(half);
}

interface RawResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string | string[] | undefined>;
  /** The body's bytes as they came (still in their content coding), at most the cap. */
  readonly wire: Buffer;
  /** The body went past the cap: `wire` is its first part, and the connection was dropped. */
  readonly cut: boolean;
}

/**
 * A tunnel through the proxy to the target's host and port (HTTP CONNECT, with the proxy URL's credentials as
 * Proxy-Authorization), for the requests node:http sends: undici's proxy agent tunnels the others the same way.
 */
function tunnel(proxyUrl: string, target: URL, signal: AbortSignal): Promise<net.Socket> {
  const proxy = new URL(proxyUrl);
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  const authority = `${target.hostname}:${port}`;
  const headers: Record<string, string> = { host: authority };
  if (proxy.username || proxy.password) {
    const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
    headers['proxy-authorization'] = `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;
  }
  const client = proxy.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request({ host: proxy.hostname, port: proxy.port || (proxy.protocol === 'https:' ? 443 : 80), method: 'CONNECT', path: authority, headers, agent: false, signal });
    req.on('connect', (res: http.IncomingMessage, socket: net.Socket) => {
      if (res.statusCode === 200) resolve(socket);
      else {
        socket.destroy();
        reject(Object.assign(new Error(`the proxy answered ${res.statusCode ?? '?'} to CONNECT ${authority}`), { code: 'PROXY_CONNECT_REFUSED' }));
      }
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * Sends with `Expect: 100-continue` over node:http (node:https for an https target), on a connection of its own
 * (closed after), through the proxy when one applies: the body goes only after the interim 100; a final answer
 * before it (a 401, a 417) is the answer, and the body is never sent.
 */
async function sendExpectingContinue(
  wired: WireRequest,
  method: string,
  signal: AbortSignal,
  proxyUrl: string | undefined,
  limit: number,
): Promise<RawResponse> {
  const target = new URL(wired.url);
  const secure = target.protocol === 'https:';
  const socket = proxyUrl === undefined ? undefined : await tunnel(proxyUrl, target, signal);
  return new Promise((resolve, reject) => {
    const body = wired.body ?? Buffer.alloc(0);
    const headers: Record<string, string> = { ...wired.headers, connection: 'close' };
    if (wired.chunked) headers['transfer-encoding'] = 'chunked';
    else headers['content-length'] = String(body.length);
    const createConnection =
      socket === undefined ? undefined : () => (secure ? tls.connect({ socket, servername: target.hostname }) : socket);
    // With createConnection (the tunnel) there must be no agent: an agent would open its own connection.
    const req = (secure ? https : http).request(wired.url, { method, headers, signal, ...(createConnection ? { createConnection } : { agent: false }) });
    req.on('continue', () => {
      if (wired.chunked) {
        const half = Math.floor(body.length / 2);
        req.write(body.subarray(0, half));
        req.end(body.subarray(half));
      } else req.end(body);
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = (cut: boolean) => {
        resolve({ statusCode: res.statusCode ?? 0, headers: res.headers, wire: Buffer.concat(chunks), cut });
        req.destroy();
      };
      res.on('data', (chunk: Buffer) => {
        const room = limit - size;
        if (chunk.length > room) {
          chunks.push(chunk.subarray(0, Math.max(0, room)));
          res.removeAllListeners('end');
          res.destroy();
          done(true);
          return;
        }
        chunks.push(chunk);
        size += chunk.length;
      });
      res.on('error', reject);
      res.on('end', () => done(false));
    });
    req.on('error', reject);
    req.flushHeaders();
  });
}

function basicPair(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}

function headersOf(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** The run's one dispatcher: direct, or undici's EnvHttpProxyAgent for a target that is not on loopback. */
function dispatcherFor(route: Route, proxy: ProxyConfig | undefined): Dispatcher {
  // As many connections as requests may be in flight (the default concurrency goes up to 64 on a distant target).
  const pool = { keepAliveTimeout: 10_000, connections: 64, maxHeaderSize: MAX_HEADER_BYTES };
  if (proxy === undefined || proxyFor(route.baseUrl, proxy) === undefined) return new Agent(pool);
  // Every value given explicitly (even empty): the environment was read once, at the edge.
  return new EnvHttpProxyAgent({
    ...pool,
    httpProxy: proxy.http?.url.reveal() ?? '',
    httpsProxy: proxy.https?.url.reveal() ?? '',
    noProxy: proxy.noProxy,
  });
}

function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e !== null && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET') return code;
  }
  return undefined;
}

/** One attempt on the wire: a response (a 429 included), or why there was none. */
type Attempt =
  | { readonly kind: 'answer'; readonly response: ApiResponse; readonly durationMs: number }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'network-error'; readonly cause: NetworkCause; readonly message: string; readonly code?: string };

type NetworkCause = Extract<SendOutcome, { kind: 'network-error' }>['cause'];

/** The body up to `limit` bytes; past it the stream is destroyed (undici drops the connection). */
async function boundedBody(body: AsyncIterable<Buffer> & { destroy(): unknown }, limit: number): Promise<{ wire: Buffer; cut: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const room = limit - size;
    if (chunk.length > room) {
      chunks.push(chunk.subarray(0, Math.max(0, room)));
      body.destroy();
      return { wire: Buffer.concat(chunks), cut: true };
    }
    chunks.push(chunk);
    size += chunk.length;
  }
  return { wire: Buffer.concat(chunks, size), cut: false };
}

function networkCause(code: unknown): NetworkCause {
  if (code === 'UND_ERR_HEADERS_OVERFLOW') return 'headers-too-large';
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return 'connect';
  }
  return 'dropped';
}

export function createTransport(options: TransportOptions): Transport {
  const agent = dispatcherFor(options.route, options.proxy);
  /** The proxy the node:http side path (Expect) tunnels through: the one undici's agent uses for this target. */
  const expectProxy = options.proxy === undefined ? undefined : proxyFor(options.route.baseUrl, options.proxy)?.url.reveal();
  const counters: TransportCounters = { sent: 0, throttled: 0, timeouts: 0 };
  const failuresBeforeDown = options.failuresBeforeDown ?? 3;
  const maxThrottles = options.maxThrottlesPerRequest ?? 5;
  const maxResponseBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
  const wrongKey = wrongKeyFor(options.apiKey);
  const health = options.health ?? createHealth();
  const stopper = new AbortController();
  // Every request queued in the limiter listens for the stop: a probe section queues many at once.
  setMaxListeners(0, stopper.signal);
  let stoppedReason: string | undefined;
  let consecutiveFailures = 0;
  let unansweredWrites = 0;
  const onWire = new Set<Promise<unknown>>();
  const report = () => options.onCounters?.({ ...counters });

  const wire = (request: ApiRequest): WireRequest => wireRequest(request, { route: options.route, apiKey: options.apiKey, wrongKey });

  /** undici for every request but those with Expect (undici refuses that header): node:http for those. Bodies capped. */
  const dispatch = async (wired: WireRequest, method: string, signal: AbortSignal): Promise<RawResponse> => {
    if (wired.expectContinue) return sendExpectingContinue(wired, method, signal, expectProxy, maxResponseBytes);
    const res = await undiciRequest(wired.url, {
      method: method as 'PUT',
      headers: wired.headers,
      body: wired.body !== undefined && wired.chunked ? Readable.from(inChunks(wired.body)) : wired.body,
      dispatcher: agent,
      signal,
    });
    const { wire, cut } = await boundedBody(res.body, maxResponseBytes);
    return { statusCode: res.statusCode, headers: res.headers, wire, cut };
  };

  const attempt = async (request: ApiRequest, timeoutMs: number): Promise<Attempt> => {
    const wired = wire(request);
    const started = performance.now();
    counters.sent += 1;
    try {
      const res = await dispatch(wired, request.method, AbortSignal.timeout(timeoutMs));
      const responseHeaders = headersOf(res.headers);
      const response: ApiResponse = {
        status: res.statusCode,
        headers: responseHeaders,
        contentType: responseHeaders['content-type'],
        ...(await bodyOf(res.wire, res.cut, responseHeaders['content-encoding'], maxResponseBytes)),
      };
      return { kind: 'answer', response, durationMs: performance.now() - started };
    } catch (error) {
      // Not `instanceof`: under jest the DOMException comes from another realm.
      const name = (error as { name?: unknown } | null)?.name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        counters.timeouts += 1;
        return { kind: 'timeout' };
      }
      // undici's messages name the host and port, never the URL's query (where the key may be).
      const code = errorCode(error);
      const cause = networkCause(code);
      const text = String((error as { message?: unknown } | null)?.message ?? error);
      const message =
        cause === 'headers-too-large'
          ? `the response headers exceed ${MAX_HEADER_BYTES} bytes (undici's limit; UND_ERR_HEADERS_OVERFLOW)`
          : code !== undefined && !text.includes(code)
            ? `${code}: ${text}`
            : text;
      return { kind: 'network-error', cause, message, ...(code === undefined ? {} : { code }) };
    }
  };

  /** An attempt, tracked while it is on the wire; a write that gets no answer is counted. */
  const tracked = async (request: ApiRequest, timeoutMs: number): Promise<Attempt> => {
    const running = attempt(request, timeoutMs);
    onWire.add(running);
    try {
      const outcome = await running;
      if (outcome.kind !== 'answer' && options.isWrite?.(request) === true) unansweredWrites += 1;
      return outcome;
    } finally {
      onWire.delete(running);
    }
  };

  const outcomeOf = (request: ApiRequest, done: Exclude<Attempt, { kind: 'answer' }>, timeoutMs: number): SendOutcome =>
    done.kind === 'timeout'
      ? { kind: 'timeout', request, timeoutMs }
      : { kind: 'network-error', request, cause: done.cause, message: done.message, ...(done.code === undefined ? {} : { code: done.code }) };

  const notSent = (request: ApiRequest, reason: string): SendOutcome => ({ kind: 'target-down', request, reason });

  return {
    counters,
    health,
    get stopped() {
      return stoppedReason;
    },
    get inFlight() {
      return onWire.size;
    },
    get unansweredWrites() {
      return unansweredWrites;
    },
    async send(request, sendOptions = {}) {
      for (let throttles = 0; ; throttles += 1) {
        if (stoppedReason !== undefined) return notSent(request, stoppedReason);
        const down = health.downReason();
        if (down !== undefined && sendOptions.evenIfDown !== true) return notSent(request, down);
        let outcome: Attempt;
        try {
          outcome = await options.limiter.schedule(() => tracked(request, options.timeoutMs), stopper.signal, sendOptions.priority);
        } catch (error) {
          if (error instanceof LimiterStopped) return notSent(request, stoppedReason ?? 'the run is stopping');
          throw error;
        }
        if (outcome.kind === 'answer' && outcome.response.status === 429) {
          counters.throttled += 1;
          report();
          const wait = retryAfterOf(outcome.response.headers['retry-after'], options.throttleWaitMs);
          if (options.maxWaitMs !== undefined && wait.ms > options.maxWaitMs) {
            const reason = `it answered 429 and asked to wait ${Math.round(wait.ms / 1000)} s (${wait.said}), beyond --max-wait ${Math.round(options.maxWaitMs / 1000)} s`;
            health.markDown(reason);
            return notSent(request, reason);
          }
          if (throttles + 1 >= maxThrottles) {
            const reason = `the target answered 429 (quota exceeded) ${maxThrottles} times in a row for one request`;
            health.markDown(reason);
            return notSent(request, reason);
          }
          await options.limiter.pause(wait.ms);
          options.onWait?.({ ms: wait.ms, said: wait.said });
          options.log?.(`429 from the target: waiting ${Math.round(wait.ms / 1000)} s before sending again (${wait.said})`);
          continue;
        }
        if (outcome.kind !== 'answer') {
          consecutiveFailures += 1;
          if (consecutiveFailures >= failuresBeforeDown) {
            health.markDown(
              outcome.kind === 'timeout'
                ? `${consecutiveFailures} requests in a row got no answer within ${options.timeoutMs} ms`
                : outcome.cause === 'headers-too-large'
                  ? `${consecutiveFailures} responses in a row had headers over undici's limit (${outcome.message})`
                  : outcome.cause === 'connect'
                    ? `${consecutiveFailures} requests in a row failed to connect (${outcome.message})`
                    : `${consecutiveFailures} requests in a row lost their connection (${outcome.message})`,
            );
          }
          report();
          return outcomeOf(request, outcome, options.timeoutMs);
        }
        consecutiveFailures = 0;
        report();
        return { kind: 'response', exchange: { request, response: outcome.response, durationMs: outcome.durationMs } };
      }
    },
    async sendOnce(request, timeoutMs) {
      const outcome = await tracked(request, Math.max(1, timeoutMs));
      if (outcome.kind === 'answer' && outcome.response.status === 429) counters.throttled += 1;
      report();
      if (outcome.kind !== 'answer') return outcomeOf(request, outcome, timeoutMs);
      return { kind: 'response', exchange: { request, response: outcome.response, durationMs: outcome.durationMs } };
    },
    async stop(reason) {
      stoppedReason ??= reason;
      stopper.abort(reason);
      while (onWire.size > 0) await Promise.allSettled([...onWire]);
    },
    async close() {
      stoppedReason ??= 'the transport is closed';
      stopper.abort(stoppedReason);
      await options.limiter.stop();
      await agent.close();
    },
  };
}
