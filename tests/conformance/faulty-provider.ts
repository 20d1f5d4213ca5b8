/**
 * Copies of the reference provider with one fault each, made with fastify hooks on createReferenceApp() (the
 * provider's code is untouched), listening on a free loopback port.
 */
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { createReferenceApp } from '../../src/provider';
import { referenceDefaults } from '../../src/run/session/reference';

const { apiKey } = referenceDefaults();

export interface RunningFaulty {
  readonly url: string;
  close(): Promise<void>;
}

export type Fault = (app: FastifyInstance) => void;

export async function startFaulty(fault?: Fault): Promise<RunningFaulty> {
  const app = await createReferenceApp();
  fault?.(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
}

function rewriteJob(app: FastifyInstance, rewrite: (job: Record<string, unknown>) => Record<string, unknown>): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    if (reply.statusCode !== 200 || typeof payload !== 'string') return payload;
    return JSON.stringify(rewrite(JSON.parse(payload) as Record<string, unknown>));
  });
}

export const FAULTS = {
  /** The Job's id comes back as a string. */
  stringId: ((app) => rewriteJob(app, (job) => ({ ...job, id: String(job.id) }))) as Fault,
  /** A name sent is dropped before the update. */
  lostNameUpdate: ((app) =>
    app.addHook('preHandler', async (request) => {
      const body = request.body;
      if (!Buffer.isBuffer(body) || body.length === 0) return;
      try {
        const parsed = JSON.parse(body.toString('utf8')) as unknown;
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed) && 'name' in parsed) {
          const { name: _dropped, ...rest } = parsed as Record<string, unknown>;
          request.body = Buffer.from(JSON.stringify(rest));
        }
      } catch {
        // malformed: leave it to the provider
      }
    })) as Fault,
  /** Malformed JSON crashes the handler: 500. */
  serverErrorOnMalformedJson: ((app) =>
    app.addHook('preHandler', async (request, reply) => {
      const body = request.body;
      if (!Buffer.isBuffer(body) || body.length === 0) return;
      try {
        JSON.parse(body.toString('utf8'));
      } catch {
        await reply.code(500).type('application/json').send(JSON.stringify({ message: 'Internal server error.' }));
      }
    })) as Fault,
  /** Auth is ignored: every request is let through as if it had the valid key. */
  authIgnored: ((app) =>
    app.addHook('onRequest', async (request) => {
      request.headers.authorization = `Basic ${Buffer.from(`${apiKey}:${apiKey}`).toString('base64')}`;
      delete (request.query as Record<string, unknown>).key;
    })) as Fault,
  /** Every error becomes a 500 whose message echoes the URL (with ?key=) and the Authorization header. */
  echoesCredentials: ((app) =>
    app.addHook('onSend', async (request, reply, payload) => {
      if (reply.statusCode < 400 || reply.statusCode === 401) return payload;
      reply.code(500);
      return JSON.stringify({ message: `failed ${request.url} with ${request.headers.authorization ?? 'no auth'}` });
    })) as Fault,
  /** Every answer takes 2 s. */
  slow: ((app) =>
    app.addHook('onRequest', async () => {
      await new Promise((resolve) => setTimeout(resolve, 2_000).unref());
    })) as Fault,
  /** Short names (1 to 8 UTF-16 units) are stored reversed: only generated names find it. */
  shortNamesReversed: ((app) =>
    app.addHook('preHandler', async (request) => {
      const body = request.body;
      if (!Buffer.isBuffer(body) || body.length === 0) return;
      try {
        const parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
        if (parsed && typeof parsed.name === 'string' && parsed.name.length >= 1 && parsed.name.length <= 8) {
          request.body = Buffer.from(JSON.stringify({ ...parsed, name: [...parsed.name].reverse().join('') }));
        }
      } catch {
        // leave it
      }
    })) as Fault,
};
