/**
 * Fastify wiring for the reference provider. The rules live in the modules it wires (auth, job-id, update-rules,
 * store, quota, responses); this file only orders them (auth first, then quota, then the id, then the body) and
 * replaces every framework default that would answer outside the contract:
 * - the error handler, not-found handler, bad-URL handler (`frameworkErrors`) and client-error handler all answer
 *   `{"message": ...}` as application/json instead of fastify's own shape;
 * - one catch-all content-type parser takes the raw body whatever its Content-Type (no 415 for a well-formed media
 *   type, no fastify JSON parser, no empty-body error), and update-rules parses it as JSON;
 * - `return503OnClosing: false`: a request arriving while the server closes is still answered, never with a 503;
 * - Node's own empty 400 for an HTTP/1.1 request without Host is replaced by the Error body;
 * - `CONNECT` (which Node hands to a 'connect' listener, or else closes without a word) gets 405 with the Error body
 *   and `Allow: PUT`; an `Expect` other than `100-continue` (Node's bare 417) gets 417 with the Error body; both are
 *   logged like any request.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { operationModel, type OperationModel } from '../contract/model';
import { UserError } from '../errors';
import { createValidators, loadValidators } from '../validation/validators';
import type { Contract } from '../contract/load';
import { createAuthenticator, type Authenticator } from './auth';
import {
  checkFixturesAgainstContract,
  DEFAULT_FIXTURES_FILE,
  fixturesSource,
  loadFixtures,
  parseFixtures,
  type Fixtures,
} from './fixtures';
import { parseJobId } from './job-id';
import { createQuota, NO_QUOTA, type Quota } from './quota';
import { formatLogLine, redactUrl } from './request-log';
import { createResponder, PROVIDER_STATUSES, type Responder } from './responses';
import { createJobStore, type JobStore } from './store';
import { createUpdateRules, type UpdateRules } from './update-rules';

export interface ReferenceProviderOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** A fixtures file path, or fixtures as an object. Default: DEFAULT_FIXTURES_FILE. */
  fixtures?: string | Fixtures;
  /** Requests per minute per API key; past it, 429 with Retry-After. Undefined: no quota. */
  quota?: number;
  /**
   * Milliseconds every answer is held back (a stand-in for a distant staging: the run sees this latency on each
   * request, and requests in flight wait concurrently). Default 0.
   */
  latencyMs?: number;
  /** Receives one line per request (method, path with the key redacted, status, duration). Default: no log. */
  log?: (line: string) => void;
  /** The contract to serve, by file or URL. Default: the repository's contract. */
  contractFile?: string;
  /** The contract to serve, already loaded (with its operation): wins over `contractFile`. */
  contract?: Contract;
}

export interface RunningProvider {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Bodies above this get 413 with the Error body (fastify's default limit, made explicit). */
export const BODY_LIMIT_BYTES = 1024 * 1024;
/** Long enough that parseJobId, not the router, judges any plausible id. */
const MAX_PARAM_LENGTH = 1000;

/** Every HTTP method but the contract's own answers 405 on the contract's path. */
const OTHER_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** The longest --latency-ms accepted: a minute (a request's default timeout is 10 s). */
export const MAX_LATENCY_MS = 60_000;

function validateLatency(latencyMs: number | undefined): void {
  if (latencyMs !== undefined && (!Number.isSafeInteger(latencyMs) || latencyMs < 0 || latencyMs > MAX_LATENCY_MS)) {
    throw new UserError(`latency must be an integer from 0 to ${MAX_LATENCY_MS} (milliseconds), got ${String(latencyMs)}`);
  }
}

function validateQuota(quota: number | undefined): void {
  if (quota !== undefined && (!Number.isSafeInteger(quota) || quota < 1)) {
    throw new UserError(`quota must be a positive integer (requests per minute per API key), got ${String(quota)}`);
  }
}

/** What the provider is made of: the contract's model and rules, the fixtures' keys and jobs, the quota, the log. */
interface ProviderParts {
  readonly model: OperationModel;
  readonly respond: Responder;
  readonly authenticator: Authenticator;
  readonly rules: UpdateRules;
  readonly store: JobStore;
  readonly quota: Quota;
  readonly log: ((line: string) => void) | undefined;
  /** The query parameter that may carry the API key, if the contract has one. */
  readonly keyParameter: string | undefined;
}

/** Reads the contract and the fixtures (checked against each other) and builds the provider's parts from them. */
async function providerParts(options: ReferenceProviderOptions): Promise<ProviderParts> {
  const validators = options.contract !== undefined ? createValidators(options.contract) : await loadValidators(options.contractFile);
  const contractShown = path.relative(process.cwd(), validators.contract.file) || validators.contract.file;
  const model = operationModel(validators.contract);
  const source = fixturesSource(options.fixtures);
  const fixtures =
    typeof options.fixtures === 'object'
      ? parseFixtures(options.fixtures, source)
      : loadFixtures(options.fixtures ?? DEFAULT_FIXTURES_FILE);
  checkFixturesAgainstContract(fixtures, validators, model.mediaTypes.job, source);
  return {
    model,
    respond: createResponder(model, contractShown),
    authenticator: createAuthenticator(model.security, fixtures.apiKeys),
    rules: createUpdateRules(model.updatableFields, validators.requestBodyValidator(model.operationId)),
    store: createJobStore(fixtures),
    quota: options.quota === undefined ? NO_QUOTA : createQuota(options.quota),
    log: options.log,
    keyParameter: model.security.apiKeyQueryParameter,
  };
}

/** Fastify's `frameworkErrors`: a bad percent-encoding or an over-long parameter, answered and logged here. */
function frameworkErrorsHandler({ respond, log, keyParameter }: ProviderParts) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    // FST_ERR_BAD_URL (bad percent-encoding) and FST_ERR_MAX_PARAM_LENGTH: the request never reached a route, so
    // no onResponse hook logs it either.
    const status = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? PROVIDER_STATUSES.uriTooLong : PROVIDER_STATUSES.badRequest;
    const message = error.code === 'FST_ERR_BAD_URL' ? 'the path is not valid percent-encoded UTF-8' : error.message;
    respond.error(reply, status, message);
    log?.(formatLogLine(request.method, redactUrl(request.url, keyParameter), status, reply.elapsedTime));
  };
}

/** Malformed HTTP (bad request line, header overflow, timeout): Node gives a socket, not a request; the Error body on it. */
function clientErrorHandler({ respond, log }: ProviderParts) {
  return (error: Error & { code?: string }, socket: Socket): void => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const [status, reason, message] =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? [PROVIDER_STATUSES.headerFieldsTooLarge, 'Request Header Fields Too Large', 'request headers are too large']
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? [PROVIDER_STATUSES.requestTimeout, 'Request Timeout', 'the request took too long to arrive']
          : [PROVIDER_STATUSES.badRequest, 'Bad Request', 'malformed HTTP request'];
    const body = respond.errorJson(message);
    if (socket.writable) {
      socket.write(
        `HTTP/1.1 ${status} ${reason}\r\nContent-Type: ${respond.errorContentType}\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy();
    log?.(`- (malformed HTTP: ${error.code ?? 'unknown'}) ${status} 0.0ms`);
  };
}

/** CONNECT and an Expect other than 100-continue, which Node handles before fastify: answered with the Error body. */
function answerBeforeFastify(app: FastifyInstance, { model, respond, log, keyParameter }: ProviderParts): void {
  // CONNECT asks for a tunnel, which this API never offers: 405 with the Error body, then the connection is closed.
  app.server.on('connect', (request: IncomingMessage, socket: Duplex) => {
    const body = respond.errorJson(`method CONNECT not allowed; use ${model.method}`);
    if (socket.writable) {
      socket.write(
        `HTTP/1.1 ${PROVIDER_STATUSES.methodNotAllowed} Method Not Allowed\r\nAllow: ${model.method}\r\n` +
          `Content-Type: ${respond.errorContentType}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy();
    log?.(formatLogLine('CONNECT', redactUrl(request.url ?? '', keyParameter), PROVIDER_STATUSES.methodNotAllowed, 0));
  });
  // An Expect other than 100-continue: Node would answer a bare 417 of its own; the Error body instead.
  app.server.on('checkExpectation', (request: IncomingMessage, response: ServerResponse) => {
    const body = respond.errorJson(`Expect: ${String(request.headers.expect).slice(0, 100)} is not supported (only 100-continue)`);
    response.writeHead(PROVIDER_STATUSES.expectationFailed, {
      'content-type': respond.errorContentType,
      'content-length': Buffer.byteLength(body),
      connection: 'close',
    });
    response.end(body);
    log?.(formatLogLine(request.method ?? '-', redactUrl(request.url ?? '', keyParameter), PROVIDER_STATUSES.expectationFailed, 0));
  });
}

/** Fastify's body parsing, error and not-found answers, replaced by the raw body and the contract's Error body. */
function replaceFastifyDefaults(app: FastifyInstance, { respond, log }: ProviderParts): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.setErrorHandler((error: FastifyError, _request, reply) => {
    const status = error.statusCode;
    if (status !== undefined && status >= 400 && status < 500) return respond.error(reply, status, error.message);
    // A bug in the provider: still the Error body, and the stack for whoever runs it (stderr when there is no log).
    const report = log ?? ((line: string) => process.stderr.write(`${line}\n`));
    report(`internal error: ${error.stack ?? error.message}`);
    return respond.error(reply, 500, 'Internal server error.');
  });

  app.setNotFoundHandler((request, reply) => {
    const pathOnly = request.url.split('?')[0] ?? '';
    respond.error(reply, PROVIDER_STATUSES.notFound, `no such resource: ${request.method} ${pathOnly.slice(0, 200)}`);
  });
}

/** Hooks around every request: the latency first, then the Host check, and the log line once answered. */
function addRequestHooks(app: FastifyInstance, { respond, log, keyParameter }: ProviderParts, latencyMs: number): void {
  if (latencyMs > 0) {
    // First of all hooks: every answer (a 401, a 429, a 404 alike) comes after the latency, as over a long link.
    app.addHook('onRequest', (_request, _reply, done) => {
      setTimeout(done, latencyMs);
    });
  }

  app.addHook('onRequest', (request, reply, done) => {
    if (request.raw.httpVersionMajor === 1 && request.raw.httpVersionMinor >= 1 && request.headers.host === undefined) {
      respond.error(reply, PROVIDER_STATUSES.badRequest, 'an HTTP/1.1 request must have a Host header');
      return;
    }
    done();
  });

  if (log !== undefined) {
    app.addHook('onResponse', (request, reply, done) => {
      log(formatLogLine(request.method, redactUrl(request.url, keyParameter), reply.statusCode, reply.elapsedTime));
      done();
    });
  }
}

/** Auth, then the quota, before the body is read: an unauthenticated request gets 401 whatever its body. */
function authenticateThenCount({ authenticator, quota, respond, keyParameter }: ProviderParts) {
  return (request: FastifyRequest, reply: FastifyReply, done: () => void): void => {
    const query = request.query as Record<string, unknown>;
    const outcome = authenticator.authenticate({
      authorization: request.headers.authorization,
      queryKey: keyParameter === undefined ? undefined : query[keyParameter],
    });
    if (!outcome.authenticated) {
      respond.unauthorized(reply, outcome.reason);
      return;
    }
    const allowed = quota.take(outcome.apiKey);
    if (!allowed.allowed) {
      reply.header('retry-after', String(allowed.retryAfterSeconds));
      respond.error(reply, PROVIDER_STATUSES.tooManyRequests, `quota exceeded; retry after ${allowed.retryAfterSeconds} s`);
      return;
    }
    done();
  };
}

/** The operation itself: the id, then the job, then the body's changes, then the updated job. */
function updateJob({ model, respond, rules, store }: ProviderParts) {
  return (request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const params = request.params as Record<string, string | undefined>;
    const id = parseJobId(params[model.idParameter.name] ?? '');
    if (!id.valid) return respond.error(reply, PROVIDER_STATUSES.badRequest, id.message);
    const existing = typeof id.id === 'number' ? store.get(id.id) : undefined;
    if (existing === undefined) return respond.error(reply, PROVIDER_STATUSES.notFound, `job ${String(id.id)} not found`);
    const update = rules.parse(Buffer.isBuffer(request.body) ? request.body : undefined);
    if (!update.valid) return respond.error(reply, PROVIDER_STATUSES.badRequest, update.message);
    const job = store.update(existing.id, update.changes);
    return job === undefined
      ? respond.error(reply, PROVIDER_STATUSES.notFound, `job ${existing.id} not found`)
      : respond.job(reply, job);
  };
}

/** The read the document has beside the update (GET): the id, then the job, as it is. */
function readJob({ model, respond, store }: ProviderParts) {
  return (request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const params = request.params as Record<string, string | undefined>;
    const id = parseJobId(params[model.idParameter.name] ?? '');
    if (!id.valid) return respond.error(reply, PROVIDER_STATUSES.badRequest, id.message);
    const job = typeof id.id === 'number' ? store.get(id.id) : undefined;
    return job === undefined ? respond.error(reply, PROVIDER_STATUSES.notFound, `job ${String(id.id)} not found`) : respond.job(reply, job);
  };
}

/**
 * The contract's path (its base path and template): the operation's method, GET when the document has it beside the
 * operation, and 405 with `Allow` for every other method.
 */
function addRoutes(app: FastifyInstance, parts: ProviderParts): void {
  const { model, respond } = parts;
  const served: string[] = model.hasGet && model.method !== 'GET' ? [model.method, 'GET'] : [model.method];
  app.route({
    method: OTHER_METHODS.filter((method) => !served.includes(method)),
    url: model.route,
    handler: (request, reply) => {
      reply.header('allow', served.join(', '));
      return respond.error(reply, PROVIDER_STATUSES.methodNotAllowed, `method ${request.method} not allowed; use ${served.join(' or ')}`);
    },
  });
  app.route({ method: model.method, url: model.route, onRequest: authenticateThenCount(parts), handler: updateJob(parts) });
  if (served.includes('GET') && model.method !== 'GET') {
    app.route({ method: 'GET', url: model.route, onRequest: authenticateThenCount(parts), handler: readJob(parts) });
  }
}

/** Builds the provider as a fastify app, not listening: tests and fault injection may add hooks around it. */
export async function createReferenceApp(options: ReferenceProviderOptions = {}): Promise<FastifyInstance> {
  validateQuota(options.quota);
  validateLatency(options.latencyMs);
  const parts = await providerParts(options);
  const app = Fastify({
    logger: false,
    bodyLimit: BODY_LIMIT_BYTES,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    return503OnClosing: false,
    exposeHeadRoutes: false,
    frameworkErrors: frameworkErrorsHandler(parts),
    clientErrorHandler: clientErrorHandler(parts),
    // Node would answer a missing Host with an empty 400 of its own; the onRequest hook below answers it instead.
    http: { requireHostHeader: false },
  });
  answerBeforeFastify(app, parts);
  replaceFastifyDefaults(app, parts);
  addRequestHooks(app, parts, options.latencyMs ?? 0);
  addRoutes(app, parts);
  return app;
}

function validatePort(port: number | undefined): number {
  const value = port ?? 0;
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new UserError(`port must be an integer from 0 to 65535, got ${String(port)}`);
  }
  return value;
}

/** Starts the provider on a real socket. */
export async function startReferenceProvider(options: ReferenceProviderOptions = {}): Promise<RunningProvider> {
  const port = validatePort(options.port);
  const host = options.host ?? '127.0.0.1';
  const app = await createReferenceApp(options);
  try {
    await app.listen({ port, host });
  } catch (error) {
    await app.close().catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new UserError(`port ${port} on ${host} is already in use; pick another with --port`);
    if (code === 'EACCES') throw new UserError(`not allowed to listen on port ${port} on ${host}; pick a port above 1023`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      throw new UserError(`cannot listen on host '${host}' (${code}); use an address of this machine, e.g. 127.0.0.1`);
    }
    throw error;
  }
  const address = app.server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${address.port}`,
    port: address.port,
    close: () => (closing ??= app.close()),
  };
}
