/**
 * A small hostile target on loopback: a node:http server in front of a real reference provider (its own fixtures, a
 * distinctive key). Each request is logged as it arrives and as it is applied (forwarded to the provider), and a
 * `decide` function may hold it, answer it itself (a 429, a 503, an endless body), reset its connection, or rewrite
 * the provider's answer (to echo the key, to send it in a content coding). The job's values are read from the provider
 * directly, past the hostility.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DEFAULT_FIXTURES_FILE,
  loadFixtures,
  startReferenceProvider,
  type Fixtures,
  type RunningProvider,
} from '../../src/provider';

/** Long, with characters every encoding treats differently ('/', '+', '_', '-'), and no word of any document. */
export const HOSTILE_KEY = 'lcK3y-Qz7/vW+x_9pRt4';

export interface Seen {
  /** 1-based, in order of arrival. */
  readonly n: number;
  readonly method: string;
  readonly url: string;
  readonly body: string;
  /** The request's headers (names lower-cased). */
  readonly headers: http.IncomingHttpHeaders;
  readonly arrivedAt: number;
  /** When it was forwarded to the provider (the job changed then, if it was a write); undefined if never. */
  appliedAt?: number;
  /** What the hostile server did with it. */
  fate?: string;
}

/** A body put in a content coding: the bytes to send and the Content-Encoding to name (undefined: sent as it is). */
export type Encode = (body: Buffer, status: number) => { readonly coding: string; readonly body: Buffer } | undefined;

export type Decision =
  | {
      readonly kind: 'forward';
      readonly delayMs?: number;
      readonly rewrite?: (status: number, body: string) => string;
      /** Sends the provider's answer (after `rewrite`) in a content coding. */
      readonly encode?: Encode;
    }
  | { readonly kind: 'respond'; readonly status: number; readonly headers?: Record<string, string>; readonly body?: string | Buffer }
  /** Destroys the connection without an answer. */
  | { readonly kind: 'reset' }
  /** 200 and a chunked body that never ends. */
  | { readonly kind: 'endless' };

export interface Hostile {
  readonly url: string;
  readonly seen: Seen[];
  /** The job as the provider holds it now (not through the hostile server). */
  job(id: number): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export interface HostileOptions {
  /** Changes to the default fixtures' jobs, by id (a job without `due`, a name holding the key). */
  readonly jobs?: (jobs: Fixtures['jobs']) => Fixtures['jobs'];
  readonly decide?: (seen: Seen) => Decision | Promise<Decision>;
  /** The provider's one key; default HOSTILE_KEY. */
  readonly apiKey?: string;
}

export const FORWARD: Decision = { kind: 'forward' };

export function basicHeader(key = HOSTILE_KEY): string {
  return `Basic ${Buffer.from(`${key}:${key}`).toString('base64')}`;
}

export async function startHostile(options: HostileOptions = {}): Promise<Hostile> {
  const defaults = loadFixtures(DEFAULT_FIXTURES_FILE);
  const apiKey = options.apiKey ?? HOSTILE_KEY;
  const fixtures: Fixtures = { apiKeys: [apiKey], jobs: options.jobs ? options.jobs(defaults.jobs) : defaults.jobs };
  const provider: RunningProvider = await startReferenceProvider({ port: 0, fixtures });
  const upstream = new URL(provider.url);
  const seen: Seen[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const forward = (entry: Seen, req: http.IncomingMessage, res: http.ServerResponse, rewrite?: (status: number, body: string) => string, encode?: Encode) => {
    entry.appliedAt = Date.now();
    const headers = { ...req.headers, host: upstream.host };
    const out = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => {
        let body = Buffer.concat(chunks).toString('utf8');
        const status = answer.statusCode ?? 502;
        if (rewrite) body = rewrite(status, body);
        const coded = encode?.(Buffer.from(body, 'utf8'), status);
        const bytes = coded?.body ?? Buffer.from(body, 'utf8');
        const responseHeaders = {
          ...answer.headers,
          'content-length': String(bytes.length),
          ...(coded === undefined ? {} : { 'content-encoding': coded.coding }),
        };
        if (!res.destroyed) res.writeHead(status, responseHeaders).end(bytes);
      });
    });
    out.on('error', () => res.destroy());
    out.end(entry.body);
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const entry: Seen = {
        n: seen.length + 1,
        method: req.method ?? '',
        url: req.url ?? '',
        body: Buffer.concat(chunks).toString('utf8'),
        headers: req.headers,
        arrivedAt: Date.now(),
      };
      seen.push(entry);
      void (async () => {
        const decision = (await options.decide?.(entry)) ?? FORWARD;
        entry.fate = decision.kind;
        switch (decision.kind) {
          case 'forward':
            if (decision.delayMs) await sleep(decision.delayMs);
            forward(entry, req, res, decision.rewrite, decision.encode);
            return;
          case 'respond':
            res.writeHead(decision.status, decision.headers ?? { 'content-type': 'application/json' }).end(decision.body ?? '');
            return;
          case 'reset':
            req.socket.destroy();
            return;
          case 'endless': {
            res.writeHead(200, { 'content-type': 'application/json' });
            const chunk = Buffer.alloc(64 * 1024, 0x20);
            const pump = () => {
              while (!res.destroyed && res.write(chunk));
            };
            res.on('drain', pump);
            res.on('close', () => res.off('drain', pump));
            pump();
            return;
          }
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    async job(id) {
      const response = await fetch(`${provider.url}/v2/jobs/${id}`, {
        method: 'PUT',
        headers: { authorization: basicHeader(apiKey), 'content-type': 'application/json' },
        body: '{}',
      });
      if (response.status !== 200) throw new Error(`job ${id}: status ${response.status}`);
      return (await response.json()) as Record<string, unknown>;
    },
    close: () =>
      (closing ??= (async () => {
        for (const timer of timers) clearTimeout(timer);
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await provider.close();
      })()),
  };
}

/** The forms of the key a test looks for, computed here independently of the run's own patterns. */
export function keyFormsOf(key: string): string[] {
  const both = `${key}:${key}`;
  const percent = encodeURIComponent(key);
  return [
    key,
    percent,
    percent.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    Buffer.from(key).toString('base64'),
    Buffer.from(key).toString('base64url'),
    Buffer.from(both).toString('base64'),
    Buffer.from(both).toString('base64url'),
    Buffer.from(key).toString('hex'),
    Buffer.from(key).toString('hex').toUpperCase(),
    [...key].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join(''),
  ];
}

/** The forms of the key found in `text` (also once line breaks are taken out: a key split across lines). */
export function keyFormsIn(text: string, key = HOSTILE_KEY): string[] {
  const joined = text.replace(/\r?\n[ \t]*|\\n/g, '');
  return keyFormsOf(key).filter((form) => text.includes(form) || joined.includes(form));
}
