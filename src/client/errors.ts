/**
 * What can go wrong when calling the API, as a discriminated family of errors. Messages never carry the API key:
 * URLs are shown without their query string, and response bodies are kept on the error, not in its message (a
 * provider may echo what it was sent).
 */
import type { ErrorBody } from './types';

export type LiltClientErrorKind =
  | 'unauthorized'
  | 'not-found'
  | 'api-error'
  | 'unexpected-response'
  | 'timeout'
  | 'network';

export abstract class LiltClientError extends Error {
  abstract readonly kind: LiltClientErrorKind;
}

/** An error response the API documents: 401, or an `Error` body under another status. */
export abstract class LiltResponseError extends LiltClientError {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** 401: missing, wrong or malformed credentials. The document gives this a text body. */
export class UnauthorizedError extends LiltResponseError {
  readonly kind = 'unauthorized' as const;
  constructor(readonly body: string) {
    super('401 Unauthorized: the API key is missing or was refused', 401);
    this.name = 'UnauthorizedError';
  }
}

/** 404 with an Error body: no job with that id. */
export class NotFoundError extends LiltResponseError {
  readonly kind = 'not-found' as const;
  constructor(
    readonly jobId: number,
    readonly body: ErrorBody,
  ) {
    super(`404 Not Found: no job ${jobId}${body.message === undefined ? '' : ` (${body.message})`}`, 404);
    this.name = 'NotFoundError';
  }
}

/** Any other documented error: a non-2xx status with an `Error` body (400, 429, 5xx, ...). */
export class ApiError extends LiltResponseError {
  readonly kind = 'api-error' as const;
  constructor(
    status: number,
    readonly body: ErrorBody,
  ) {
    super(`${status}${body.message === undefined ? '' : `: ${body.message}`}`, status);
    this.name = 'ApiError';
  }
}

/** A response the document does not allow here (wrong media type, a body that is not the documented shape). */
export class UnexpectedResponseError extends LiltClientError {
  readonly kind = 'unexpected-response' as const;
  constructor(
    message: string,
    readonly status: number,
    readonly contentType: string | null,
    readonly bodyText: string,
  ) {
    super(message);
    this.name = 'UnexpectedResponseError';
  }
}

/** No response within the configured time. */
export class TimeoutError extends LiltClientError {
  readonly kind = 'timeout' as const;
  constructor(
    readonly url: string,
    readonly timeoutMs: number,
  ) {
    super(`no response from ${url} within ${timeoutMs} ms`);
    this.name = 'TimeoutError';
  }
}

/** The request could not be sent or its response not read (connection refused, DNS, reset). */
export class NetworkError extends LiltClientError {
  readonly kind = 'network' as const;
  constructor(
    readonly url: string,
    reason: string,
  ) {
    super(`cannot reach ${url}: ${reason}`);
    this.name = 'NetworkError';
  }
}
