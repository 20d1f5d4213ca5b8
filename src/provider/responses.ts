/**
 * Every response the provider sends, shaped by the contract: the Job (200), the 401 text body in the documented text
 * media type, and the Error body for every other status. At start-up it checks that the contract documents every
 * status the provider can answer (via its exact code or `default`), in the media type it will use.
 */
import type { FastifyReply } from 'fastify';
import { UserError } from '../errors';
import { responseFor } from '../contract/operation';
import type { ProviderContractFacts } from './contract-facts';
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

export function createResponder(facts: ProviderContractFacts, file: string): Responder {
  for (const status of Object.values(PROVIDER_STATUSES)) {
    const expected =
      status === PROVIDER_STATUSES.ok
        ? facts.jobMediaType
        : status === PROVIDER_STATUSES.unauthorized
          ? facts.unauthorizedMediaType
          : facts.errorMediaType;
    if (!responseFor(facts.operation, status)?.content?.[expected]) {
      throw new UserError(`${file}: ${facts.operation.operationId} does not document a ${status} response in ${expected}`);
    }
  }
  const jobContentType = `${facts.jobMediaType}; charset=utf-8`;
  const errorContentType = `${facts.errorMediaType}; charset=utf-8`;
  const unauthorizedContentType = facts.unauthorizedMediaType.startsWith('text/')
    ? `${facts.unauthorizedMediaType}; charset=utf-8`
    : facts.unauthorizedMediaType;
  const errorJson = (message: string) => JSON.stringify({ [facts.errorMessageProperty]: message });
  const basicChallenge = facts.security.basic ? 'Basic realm="LILT API", charset="UTF-8"' : undefined;

  return {
    errorContentType,
    errorJson,
    job: (reply, job) => reply.code(PROVIDER_STATUSES.ok).type(jobContentType).send(JSON.stringify(job)),
    unauthorized(reply, reason) {
      reply.code(PROVIDER_STATUSES.unauthorized).type(unauthorizedContentType);
      if (basicChallenge !== undefined) reply.header('www-authenticate', basicChallenge);
      return reply.send(`Unauthorized: ${reason}`);
    },
    error: (reply, status, message) => reply.code(status).type(errorContentType).send(errorJson(message)),
  };
}
