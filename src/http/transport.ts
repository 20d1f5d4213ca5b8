/**
 * The one place a request is sent: undici over a keep-alive Agent, paced by the rate limiter, with a timeout per
 * request. The API key is put on the wire here and nowhere else. A 429 is not an answer: the transport waits
 * (Retry-After, else the document's wait) and sends again, and counts it. Consecutive timeouts or connection
 * failures declare the target down: later sends return at once, so a dead target ends a run in bounded time.
 */
import { Agent, request as undiciRequest } from 'undici';
import type { ApiRequest, ApiResponse, SendOutcome } from './request';
import type { RateLimiter } from './rate-limiter';
import { retryAfterMs } from './rate-limiter';
import { urlFor, type Route } from './target-url';

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

function headersOf(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

export function createTransport(options: TransportOptions): Transport {
  const agent = new Agent({ keepAliveTimeout: 10_000, connections: 16 });
  const counters: TransportCounters = { sent: 0, throttled: 0, timeouts: 0 };
  const failuresBeforeDown = options.failuresBeforeDown ?? 3;
  const maxThrottles = options.maxThrottlesPerRequest ?? 5;
  const wrongKey = wrongKeyFor(options.apiKey);
  const health = options.health ?? createHealth();
  let consecutiveFailures = 0;
  const report = () => options.onCounters?.({ ...counters });

  const wire = (request: ApiRequest) => {
    const headers: Record<string, string> = {};
    if (request.contentType !== undefined) headers['content-type'] = request.contentType;
    switch (request.auth.kind) {
      case 'basic':
        headers.authorization = basic(options.apiKey);
        break;
      case 'wrong-basic':
        headers.authorization = basic(request.auth.key ?? wrongKey);
        break;
      case 'raw-header':
        headers.authorization = request.auth.header;
        break;
      default:
        break;
    }
    const url = urlFor(options.route, request, { key: encodeURIComponent(options.apiKey), wrongKey });
    return { url, headers };
  };

  const once = async (request: ApiRequest): Promise<SendOutcome | { kind: 'throttled'; waitMs: number }> => {
    const { url, headers } = wire(request);
    const started = performance.now();
    counters.sent += 1;
    try {
      const res = await undiciRequest(url, {
        method: request.method as 'PUT',
        headers,
        body: request.body,
        dispatcher: agent,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      const text = await res.body.text();
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
      const code = (error as { code?: unknown } | null)?.code;
      const message = String((error as { message?: unknown } | null)?.message ?? error);
      return { kind: 'network-error', request, message: typeof code === 'string' ? `${code}: ${message}` : message };
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
