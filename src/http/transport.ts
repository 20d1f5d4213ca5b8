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
import { describeAuth, MAX_RESPONSE_BYTES, type ApiRequest, type ApiResponse, type BasicSpelling, type KeyForm, type SendOutcome } from './request';
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
  /** Every attempt on the wire, as it ends (for --har): the request as shown, never with the key. */
  readonly onAttempt?: (attempt: AttemptLog) => void;
}

/** One attempt on the wire, for a record of the run (--har): the request as shown (no key in it) and what came back. */
export interface AttemptLog {
  readonly startedAt: Date;
  readonly method: string;
  /** The URL with every value of the key parameter replaced by SHOWN_KEY. */
  readonly url: string;
  /** As sent, but Authorization (unless a malformed one sent verbatim) and secret -H values replaced. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
  readonly outcome:
    | { readonly kind: 'answer'; readonly response: ApiResponse; readonly waitMs: number; readonly receiveMs: number }
    | { readonly kind: 'no-answer'; readonly why: string };
  readonly totalMs: number;
}

/** What stands for the key (and for credentials holding it) in a shown request. */
export const SHOWN_KEY = '[redacted: LILT_API_KEY]';

/** The request as a record may show it: no value of the key parameter, no credentials, no secret header. */
export function shownRequest(request: ApiRequest, wired: WireRequest, route: Route): Pick<AttemptLog, 'url' | 'headers' | 'body'> {
  const [base, query] = splitQuery(wired.url);
  const url =
    query === undefined
      ? base
      : `${base}?${query
          .split('&')
          .map((pair) => {
            const name = pair.split('=')[0] ?? '';
            return safeDecode(name) === route.keyParameter ? `${name}=${encodeURIComponent(SHOWN_KEY)}` : pair;
          })
          .join('&')}`;
  const secret = new Set((route.headers ?? []).filter((h) => h.secret).map((h) => h.name.toLowerCase()));
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(wired.headers)) {
    if (secret.has(name)) headers[name] = '[redacted]';
    else if (name === 'authorization' && request.auth.kind !== 'raw-header') headers[name] = `[redacted: ${describeAuth(request.auth)}]`;
    else headers[name] = value;
  }
  return { url, headers, body: request.body };
}

function splitQuery(url: string): [string, string | undefined] {
  const at = url.indexOf('?');
  return at === -1 ? [url, undefined] : [url.slice(0, at), url.slice(at + 1)];
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
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

/** A Basic header spelled a client's way (scheme case, spaces), each half a form of the key. */
function spelledBasic(spelling: BasicSpelling, apiKey: string, wrongKey: string): string {
  const pair = `${deriveKey(spelling.user, apiKey, wrongKey)}:${deriveKey(spelling.password, apiKey, wrongKey)}`;
  const padding = spelling.padding ?? '';
  return `${padding}${spelling.scheme}${spelling.gap}${Buffer.from(pair, 'utf8').toString('base64')}${padding}`;
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
    case 'credentials':
      if (auth.basic !== undefined) headers.authorization = spelledBasic(auth.basic, apiKey, wrongKey);
      break;
    default:
      break;
  }
  if (request.accept !== undefined) headers.accept = request.accept;
  const forms = auth.kind === 'derived-query' ? auth.values : auth.kind === 'credentials' ? (auth.query ?? []) : undefined;
  const url =
    forms !== undefined && forms.length > 0
      ? `${route.baseUrl}${pathFor(route, request.idSegment)}?${forms
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
  /** Milliseconds from the response's headers to the end of its body (0 where not measured). */
  readonly receiveMs?: number;
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

/** How a request reaches the wire: the run's dispatcher, the proxy of the node:http side path, the body cap. */
interface Wiring {
  readonly agent: Dispatcher;
  /** The proxy the node:http side path (Expect) tunnels through: the one undici's agent uses for this target. */
  readonly expectProxy: string | undefined;
  readonly maxResponseBytes: number;
}

function wiringFor(options: TransportOptions): Wiring {
  return {
    agent: dispatcherFor(options.route, options.proxy),
    expectProxy: options.proxy === undefined ? undefined : proxyFor(options.route.baseUrl, options.proxy)?.url.reveal(),
    maxResponseBytes: options.maxResponseBytes ?? MAX_RESPONSE_BYTES,
  };
}

/** undici for every request but those with Expect (undici refuses that header): node:http for those. Bodies capped. */
async function dispatch(wired: WireRequest, method: string, signal: AbortSignal, wiring: Wiring): Promise<RawResponse> {
  if (wired.expectContinue) return sendExpectingContinue(wired, method, signal, wiring.expectProxy, wiring.maxResponseBytes);
  const res = await undiciRequest(wired.url, {
    method: method as 'PUT',
    headers: wired.headers,
    body: wired.body !== undefined && wired.chunked ? Readable.from(inChunks(wired.body)) : wired.body,
    dispatcher: wiring.agent,
    signal,
  });
  const headersAt = performance.now();
  const { wire, cut } = await boundedBody(res.body, wiring.maxResponseBytes);
  return { statusCode: res.statusCode, headers: res.headers, wire, cut, receiveMs: performance.now() - headersAt };
}

/** The response as the run sees it: header names in lower case, the body decoded (under the cap) and parsed. */
async function responseOf(raw: RawResponse, maxResponseBytes: number): Promise<ApiResponse> {
  const headers = headersOf(raw.headers);
  return {
    status: raw.statusCode,
    headers,
    contentType: headers['content-type'],
    ...(await bodyOf(raw.wire, raw.cut, headers['content-encoding'], maxResponseBytes)),
  };
}

type NoAnswer = Exclude<Attempt, { kind: 'answer' }>;

/** Why a send threw: its timeout, or a network error told in one line (undici's messages never hold the URL's query). */
function noAnswerOf(error: unknown): NoAnswer {
  // Not `instanceof`: under jest the DOMException comes from another realm.
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return { kind: 'timeout' };
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

/** Why the target is declared down after `failures` attempts in a row got no answer. */
function downReasonAfter(failures: number, last: NoAnswer, timeoutMs: number): string {
  if (last.kind === 'timeout') return `${failures} requests in a row got no answer within ${timeoutMs} ms`;
  if (last.cause === 'headers-too-large') return `${failures} responses in a row had headers over undici's limit (${last.message})`;
  if (last.cause === 'connect') return `${failures} requests in a row failed to connect (${last.message})`;
  return `${failures} requests in a row lost their connection (${last.message})`;
}

/** What a send returns for an attempt without an answer. */
function outcomeOf(request: ApiRequest, done: NoAnswer, timeoutMs: number): SendOutcome {
  return done.kind === 'timeout'
    ? { kind: 'timeout', request, timeoutMs }
    : { kind: 'network-error', request, cause: done.cause, message: done.message, ...(done.code === undefined ? {} : { code: done.code }) };
}

function notSent(request: ApiRequest, reason: string): SendOutcome {
  return { kind: 'target-down', request, reason };
}

function answered(request: ApiRequest, answer: Extract<Attempt, { kind: 'answer' }>): SendOutcome {
  return { kind: 'response', exchange: { request, response: answer.response, durationMs: answer.durationMs } };
}

/** After a 429: wait and send again, or give up on the target (a wait beyond --max-wait, too many 429s in a row). */
type AfterThrottle = { readonly kind: 'wait'; readonly wait: ThrottleWait } | { readonly kind: 'give-up'; readonly reason: string };

function afterThrottle(response: ApiResponse, throttlesInARow: number, options: TransportOptions): AfterThrottle {
  const wait = retryAfterOf(response.headers['retry-after'], options.throttleWaitMs);
  if (options.maxWaitMs !== undefined && wait.ms > options.maxWaitMs) {
    const reason = `it answered 429 and asked to wait ${Math.round(wait.ms / 1000)} s (${wait.said}), beyond --max-wait ${Math.round(options.maxWaitMs / 1000)} s`;
    return { kind: 'give-up', reason };
  }
  const maxThrottles = options.maxThrottlesPerRequest ?? 5;
  if (throttlesInARow >= maxThrottles) {
    return { kind: 'give-up', reason: `the target answered 429 (quota exceeded) ${maxThrottles} times in a row for one request` };
  }
  return { kind: 'wait', wait: { ms: wait.ms, said: wait.said } };
}

/** The transport: its state (counters, the stop, the requests on the wire, failures in a row) and its sends. */
class UndiciTransport implements Transport {
  readonly counters: TransportCounters = { sent: 0, throttled: 0, timeouts: 0 };
  readonly health: TargetHealth;
  private readonly wiring: Wiring;
  private readonly wrongKey: string;
  private readonly stopper = new AbortController();
  private readonly onWire = new Set<Promise<unknown>>();
  private stoppedReason: string | undefined;
  private consecutiveFailures = 0;
  private unanswered = 0;

  constructor(private readonly options: TransportOptions) {
    this.wiring = wiringFor(options);
    this.wrongKey = wrongKeyFor(options.apiKey);
    this.health = options.health ?? createHealth();
    // Every request queued in the limiter listens for the stop: a probe section queues many at once.
    setMaxListeners(0, this.stopper.signal);
  }

  get stopped(): string | undefined {
    return this.stoppedReason;
  }

  get inFlight(): number {
    return this.onWire.size;
  }

  get unansweredWrites(): number {
    return this.unanswered;
  }

  async send(request: ApiRequest, sendOptions: SendOptions = {}): Promise<SendOutcome> {
    for (let throttles = 0; ; throttles += 1) {
      if (this.stoppedReason !== undefined) return notSent(request, this.stoppedReason);
      const down = this.health.downReason();
      if (down !== undefined && sendOptions.evenIfDown !== true) return notSent(request, down);
      const outcome = await this.scheduled(request, sendOptions.priority);
      if (outcome === undefined) return notSent(request, this.stoppedReason ?? 'the run is stopping');
      if (outcome.kind === 'answer' && outcome.response.status === 429) {
        const next = await this.throttled(outcome.response, throttles + 1);
        if (next !== undefined) return notSent(request, next);
        continue;
      }
      this.report();
      if (outcome.kind !== 'answer') return this.failed(request, outcome);
      this.consecutiveFailures = 0;
      return answered(request, outcome);
    }
  }

  async sendOnce(request: ApiRequest, timeoutMs: number): Promise<SendOutcome> {
    const outcome = await this.tracked(request, Math.max(1, timeoutMs));
    if (outcome.kind === 'answer' && outcome.response.status === 429) this.counters.throttled += 1;
    this.report();
    if (outcome.kind !== 'answer') return outcomeOf(request, outcome, timeoutMs);
    return answered(request, outcome);
  }

  async stop(reason: string): Promise<void> {
    this.stoppedReason ??= reason;
    this.stopper.abort(reason);
    while (this.onWire.size > 0) await Promise.allSettled([...this.onWire]);
  }

  async close(): Promise<void> {
    this.stoppedReason ??= 'the transport is closed';
    this.stopper.abort(this.stoppedReason);
    await this.options.limiter.stop();
    await this.wiring.agent.close();
  }

  private report(): void {
    this.options.onCounters?.({ ...this.counters });
  }

  /** An attempt when the limiter lets it go; undefined when it was called off before it was sent. */
  private async scheduled(request: ApiRequest, priority: Priority | undefined): Promise<Attempt | undefined> {
    try {
      return await this.options.limiter.schedule(() => this.tracked(request, this.options.timeoutMs), this.stopper.signal, priority);
    } catch (error) {
      if (error instanceof LimiterStopped) return undefined;
      throw error;
    }
  }

  /** A 429 was answered: counts it, then pauses every send and returns undefined, or marks the target down and returns why. */
  private async throttled(response: ApiResponse, throttlesInARow: number): Promise<string | undefined> {
    this.counters.throttled += 1;
    this.report();
    const next = afterThrottle(response, throttlesInARow, this.options);
    if (next.kind === 'give-up') {
      this.health.markDown(next.reason);
      return next.reason;
    }
    const { wait } = next;
    await this.options.limiter.pause(wait.ms);
    this.options.onWait?.(wait);
    this.options.log?.(`429 from the target: waiting ${Math.round(wait.ms / 1000)} s before sending again (${wait.said})`);
    return undefined;
  }

  /** No answer: counted towards declaring the target down. */
  private failed(request: ApiRequest, outcome: NoAnswer): SendOutcome {
    this.consecutiveFailures += 1;
    if (this.consecutiveFailures >= (this.options.failuresBeforeDown ?? 3)) {
      this.health.markDown(downReasonAfter(this.consecutiveFailures, outcome, this.options.timeoutMs));
    }
    return outcomeOf(request, outcome, this.options.timeoutMs);
  }

  /** An attempt, tracked while it is on the wire; a write that gets no answer is counted. */
  private async tracked(request: ApiRequest, timeoutMs: number): Promise<Attempt> {
    const running = this.attempt(request, timeoutMs);
    this.onWire.add(running);
    try {
      const outcome = await running;
      if (outcome.kind !== 'answer' && this.options.isWrite?.(request) === true) this.unanswered += 1;
      return outcome;
    } finally {
      this.onWire.delete(running);
    }
  }

  /** One attempt on the wire, with its own timeout. */
  private async attempt(request: ApiRequest, timeoutMs: number): Promise<Attempt> {
    const wired = wireRequest(request, { route: this.options.route, apiKey: this.options.apiKey, wrongKey: this.wrongKey });
    const startedAt = new Date();
    const started = performance.now();
    this.counters.sent += 1;
    try {
      const raw = await dispatch(wired, request.method, AbortSignal.timeout(timeoutMs), this.wiring);
      const response = await responseOf(raw, this.wiring.maxResponseBytes);
      const durationMs = performance.now() - started;
      const receiveMs = Math.min(raw.receiveMs ?? 0, durationMs);
      this.logAttempt(request, wired, startedAt, durationMs, { kind: 'answer', response, waitMs: durationMs - receiveMs, receiveMs });
      return { kind: 'answer', response, durationMs };
    } catch (error) {
      const noAnswer = noAnswerOf(error);
      if (noAnswer.kind === 'timeout') this.counters.timeouts += 1;
      const why = noAnswer.kind === 'timeout' ? `no answer within ${timeoutMs} ms` : noAnswer.message;
      this.logAttempt(request, wired, startedAt, performance.now() - started, { kind: 'no-answer', why });
      return noAnswer;
    }
  }

  /** Tells `onAttempt` (--har) of an attempt, as a record may show it; a failing record never fails the run's send. */
  private logAttempt(request: ApiRequest, wired: WireRequest, startedAt: Date, totalMs: number, outcome: AttemptLog['outcome']): void {
    if (this.options.onAttempt === undefined) return;
    try {
      this.options.onAttempt({ startedAt, method: request.method, ...shownRequest(request, wired, this.options.route), outcome, totalMs });
    } catch {
      // The record is the run's side product: the run goes on without it (the writer says why, once).
    }
  }
}

export function createTransport(options: TransportOptions): Transport {
  return new UndiciTransport(options);
}
