/**
 * Every response the provider sends, shaped by the contract: the Job (200), the 401 body in the documented media type
 * (text, or the Error body when the document gives a 401 JSON, as `default` does when no 401 is written out), and the
 * Error body for every other status. At start-up it checks that the contract documents every status the provider can
 * answer (via its exact code or `default`), in the media type it will use.
 */
import type { FastifyReply } from 'fastify';
import { UserError } from '../errors';
import { isJsonMediaType, responseFor } from '../contract/operation';
import type { OperationModel } from '../contract/model';
import type { JobRecord } from './fixtures';

/** Every status the reference provider answers with, by rule of BEHAVIOUR.md (and the framework edge cases). */
export const PROVIDER_STATUSES = {
  ok: 200,
  badRequest: 400,
  unauthorized: 401,
  notFound: 404,
  methodNotAllowed: 405,
  requestTimeout: 408,
  payloadTooLarge: 413,
  expectationFailed: 417,
  uriTooLong: 414,
  unsupportedMediaType: 415,
  headerFieldsTooLarge: 431,
  tooManyRequests: 429,
} as const;

export interface Responder {
  job(reply: FastifyReply, job: JobRecord): FastifyReply;
  /** The 401 text body. `reason` must never contain a credential. */
  unauthorized(reply: FastifyReply, reason: string): FastifyReply;
  error(reply: FastifyReply, status: number, message: string): FastifyReply;
  /** The Error body as a JSON string, for the few places that write to the socket directly. */
  errorJson(message: string): string;
  readonly errorContentType: string;
}

/** What the provider needs of the model beyond the Job: a 401 body, and a JSON Error body with a property for the message. */
function servedMediaTypes(model: OperationModel, file: string) {
  const { unauthorizedPreferred: unauthorized, error } = model.mediaTypes;
  if (unauthorized === undefined) throw new UserError(`${file}: ${model.operationId} documents no 401 body`);
  if (error === undefined) {
    throw new UserError(`${file}: the error response (default) has no JSON content; the reference provider needs one`);
  }
  const messageProperty = model.errorMessageProperty;
  if (messageProperty === undefined) {
    throw new UserError(`${file}: the error response schema has no property that can hold the message (a string, or one of no type)`);
  }
  return { job: model.mediaTypes.job, unauthorized, error, messageProperty };
}

export function createResponder(model: OperationModel, file: string): Responder {
  const media = servedMediaTypes(model, file);
  for (const status of Object.values(PROVIDER_STATUSES)) {
    const expected =
      status === PROVIDER_STATUSES.ok
        ? media.job
        : status === PROVIDER_STATUSES.unauthorized
          ? media.unauthorized
          : media.error;
    if (!responseFor(model.operation, status)?.content?.[expected]) {
      throw new UserError(`${file}: ${model.operationId} does not document a ${status} response in ${expected}`);
    }
  }
  const jobContentType = `${media.job}; charset=utf-8`;
  const errorContentType = `${media.error}; charset=utf-8`;
  const unauthorizedContentType = media.unauthorized.startsWith('text/') ? `${media.unauthorized}; charset=utf-8` : media.unauthorized;
  const errorJson = (message: string) => JSON.stringify({ [media.messageProperty]: message });
  const basicChallenge = model.security.basic ? 'Basic realm="LILT API", charset="UTF-8"' : undefined;

  return {
    errorContentType,
    errorJson,
    job: (reply, job) => reply.code(PROVIDER_STATUSES.ok).type(jobContentType).send(JSON.stringify(job)),
    unauthorized(reply, reason) {
      reply.code(PROVIDER_STATUSES.unauthorized).type(unauthorizedContentType);
      if (basicChallenge !== undefined) reply.header('www-authenticate', basicChallenge);
      // A document whose 401 is the JSON Error body (no 401 of its own: `default` documents it) gets that body.
      const text = `Unauthorized: ${reason}`;
      return reply.send(isJsonMediaType(media.unauthorized) ? errorJson(text) : text);
    },
    error: (reply, status, message) => reply.code(status).type(errorContentType).send(errorJson(message)),
  };
}
