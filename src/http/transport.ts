/**
 * The one place a request is sent: undici over a keep-alive Agent, paced by the rate limiter, with a timeout per
 * request. The API key is put on the wire here and nowhere else. A 429 is not an answer: the transport waits
 * (Retry-After, else the document's wait) and sends again, and counts it. Consecutive timeouts or connection
 * failures declare the target down: later sends return at once, so a dead target ends a run in bounded time.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type * as net from 'node:net';
import { Readable } from 'node:stream';
import * as tls from 'node:tls';
import { Agent, EnvHttpProxyAgent, request as undiciRequest, type Dispatcher } from 'undici';
import { proxyFor, type ProxyConfig } from './proxy';
import type { ApiRequest, ApiResponse, KeyForm, SendOutcome } from './request';
import type { RateLimiter } from './rate-limiter';
import { retryAfterMs } from './rate-limiter';
import { pathFor, urlFor, type Route } from './target-url';

/** Sent as the "wrong key": never the real one. */
export const WRONG_KEY = 'lilt-conformance-wrong-key';

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
}

export interface TransportOptions {
  readonly route: Route;
  readonly apiKey: string;
  readonly timeoutMs: number;
  readonly limiter: RateLimiter;
  /** The wait after a 429 without Retry-After (the document's 60 s). */
  readonly throttleWaitMs: number;
  /** Default: a new one (createHealth). */
  readonly health?: TargetHealth;
  /** Consecutive timeouts or connection failures that declare the target down. */
  readonly failuresBeforeDown?: number;
  /** Consecutive 429s for one request before giving up on the target. */
  readonly maxThrottlesPerRequest?: number;
  readonly onCounters?: (counters: Readonly<TransportCounters>) => void;
  readonly log?: (line: string) => void;
  /** The proxy to go through (undici's EnvHttpProxyAgent, NO_PROXY honoured); never for a loopback target. */
  readonly proxy?: ProxyConfig | undefined;
}

export interface Transport {
  send(request: ApiRequest, options?: SendOptions): Promise<SendOutcome>;
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
  readonly text: string;
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
async function sendExpectingContinue(wired: WireRequest, method: string, signal: AbortSignal, proxyUrl: string | undefined): Promise<RawResponse> {
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
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        resolve({ statusCode: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') });
        req.destroy();
      });
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
  const pool = { keepAliveTimeout: 10_000, connections: 16 };
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

export function createTransport(options: TransportOptions): Transport {
  const agent = dispatcherFor(options.route, options.proxy);
  /** The proxy the node:http side path (Expect) tunnels through: the one undici's agent uses for this target. */
  const expectProxy = options.proxy === undefined ? undefined : proxyFor(options.route.baseUrl, options.proxy)?.url.reveal();
  const counters: TransportCounters = { sent: 0, throttled: 0, timeouts: 0 };
  const failuresBeforeDown = options.failuresBeforeDown ?? 3;
  const maxThrottles = options.maxThrottlesPerRequest ?? 5;
  const wrongKey = wrongKeyFor(options.apiKey);
  const health = options.health ?? createHealth();
  let consecutiveFailures = 0;
  const report = () => options.onCounters?.({ ...counters });

  const wire = (request: ApiRequest): WireRequest => wireRequest(request, { route: options.route, apiKey: options.apiKey, wrongKey });

  /** undici for every request but those with Expect (undici refuses that header): node:http for those. */
  const dispatch = async (wired: WireRequest, method: string, signal: AbortSignal): Promise<RawResponse> => {
    if (wired.expectContinue) return sendExpectingContinue(wired, method, signal, expectProxy);
    const res = await undiciRequest(wired.url, {
      method: method as 'PUT',
      headers: wired.headers,
      body: wired.body !== undefined && wired.chunked ? Readable.from(inChunks(wired.body)) : wired.body,
      dispatcher: agent,
      signal,
    });
    return { statusCode: res.statusCode, headers: res.headers, text: await res.body.text() };
  };

  const once = async (request: ApiRequest): Promise<SendOutcome | { kind: 'throttled'; waitMs: number }> => {
    const wired = wire(request);
    const started = performance.now();
    counters.sent += 1;
    try {
      const res = await dispatch(wired, request.method, AbortSignal.timeout(options.timeoutMs));
      const text = res.text;
      const responseHeaders = headersOf(res.headers);
      if (res.statusCode === 429) {
        return {
          kind: 'throttled',
          waitMs: retryAfterMs(responseHeaders['retry-after'], options.throttleWaitMs, 2 * options.throttleWaitMs),
        };
      }
      const response: ApiResponse = {
        status: res.statusCode,
        headers: responseHeaders,
        contentType: responseHeaders['content-type'],
        text,
      };
      return { kind: 'response', exchange: { request, response, durationMs: performance.now() - started } };
    } catch (error) {
      // Not `instanceof`: under jest the DOMException comes from another realm.
      const name = (error as { name?: unknown } | null)?.name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        counters.timeouts += 1;
        return { kind: 'timeout', request, timeoutMs: options.timeoutMs };
      }
      // undici's messages name the host and port, never the URL's query (where the key may be).
      const code = errorCode(error);
      const message = String((error as { message?: unknown } | null)?.message ?? error);
      return {
        kind: 'network-error',
        request,
        message: code !== undefined && !message.includes(code) ? `${code}: ${message}` : message,
        ...(code === undefined ? {} : { code }),
      };
    }
  };

  return {
    counters,
    health,
    async send(request, sendOptions = {}) {
      for (let throttles = 0; ; throttles += 1) {
        const down = health.downReason();
        if (down !== undefined && sendOptions.evenIfDown !== true) return { kind: 'target-down', request, reason: down };
        const outcome = await options.limiter.schedule(() => once(request));
        if (outcome.kind === 'throttled') {
          counters.throttled += 1;
          report();
          if (throttles + 1 >= maxThrottles) {
            const reason = `the target answered 429 (quota exceeded) ${maxThrottles} times in a row for one request`;
            health.markDown(reason);
            return { kind: 'target-down', request, reason };
          }
          options.log?.(`429 from the target: waiting ${Math.round(outcome.waitMs / 1000)} s before sending again`);
          await options.limiter.pause(outcome.waitMs);
          continue;
        }
        if (outcome.kind === 'timeout' || outcome.kind === 'network-error') {
          consecutiveFailures += 1;
          if (consecutiveFailures >= failuresBeforeDown) {
            health.markDown(
              outcome.kind === 'timeout'
                ? `${consecutiveFailures} requests in a row got no answer within ${options.timeoutMs} ms`
                : `${consecutiveFailures} requests in a row failed to connect (${outcome.message})`,
            );
          }
        } else {
          consecutiveFailures = 0;
        }
        report();
        return outcome;
      }
    },
    async close() {
      await options.limiter.stop();
      await agent.close();
    },
  };
}
