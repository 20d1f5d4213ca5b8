/**
 * A small typed client for `PUT /v2/jobs/{jobId}` ("Update a Job"): the consumer code the pacts describe, and a client
 * users can take. Built on the platform `fetch` (undici in Node), so it has no dependency of its own.
 *
 * ```ts
 * const job = await updateJob(241, { name: 'Renamed' }, { baseUrl: 'https://api.lilt.com', auth: basicAuth(key) });
 * ```
 */
import {
  ApiError,
  NetworkError,
  NotFoundError,
  TimeoutError,
  UnauthorizedError,
  UnexpectedResponseError,
} from './errors';
import { UPDATE_JOB_PATH, type ErrorBody, type Job, type JobId, type JobUpdateParameters } from './types';

export * from './errors';
export * from './types';

/**
 * How to authenticate. The document offers HTTP Basic with the key as both user and password (recommended), and the
 * `key` query parameter (for development). `none` sends no credentials.
 */
export type Auth =
  | { readonly scheme: 'basic'; readonly apiKey: string }
  | { readonly scheme: 'query'; readonly apiKey: string }
  | { readonly scheme: 'none' };

/** The query parameter of the document's `ApiKeyAuth` scheme (a test checks it against the contract). */
export const API_KEY_QUERY_PARAMETER = 'key';

export const basicAuth = (apiKey: string): Auth => ({ scheme: 'basic', apiKey });
export const queryKeyAuth = (apiKey: string): Auth => ({ scheme: 'query', apiKey });
export const noAuth: Auth = { scheme: 'none' };

export interface ClientOptions {
  /** Scheme, host and optional base path, e.g. `https://api.lilt.com`. */
  readonly baseUrl: string;
  readonly auth: Auth;
  /** Give up after this long, for the whole exchange (default 10 s). */
  readonly timeoutMs?: number;
  /** Extra headers (e.g. a User-Agent). Credentials set by `auth` win. */
  readonly headers?: Readonly<Record<string, string>>;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

/** The value of an HTTP Basic Authorization header with the key as both username and password. */
export function basicAuthorization(apiKey: string): string {
  return `Basic ${Buffer.from(`${apiKey}:${apiKey}`, 'utf8').toString('base64')}`;
}

/** The request URL. With query auth it carries the key: never print it; use `describeUrl`. */
export function updateJobUrl(jobId: JobId, options: Pick<ClientOptions, 'baseUrl' | 'auth'>): URL {
  const base = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;
  const path = UPDATE_JOB_PATH.replace('{jobId}', encodeURIComponent(String(jobId))).replace(/^\//, '');
  const url = new URL(path, base);
  if (options.auth.scheme === 'query') url.searchParams.set(API_KEY_QUERY_PARAMETER, options.auth.apiKey);
  return url;
}

/** A URL as it may be shown to people: no query string, no user info. */
export function describeUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/**
 * Updates a job. `params` undefined sends no body at all (the job is returned unchanged: a read with PUT alone);
 * `{}` sends an empty JSON object, which does the same.
 *
 * Resolves with the Job; rejects with UnauthorizedError (401), NotFoundError (404), ApiError (any other Error
 * response), UnexpectedResponseError, TimeoutError or NetworkError.
 */
export async function updateJob(
  jobId: JobId,
  params: JobUpdateParameters | undefined,
  options: ClientOptions,
): Promise<Job> {
  const url = updateJobUrl(jobId, options);
  const shown = describeUrl(url);
  const headers: Record<string, string> = { accept: 'application/json' };
  // Lower-cased, so that the credentials set below replace a caller's Authorization instead of joining it.
  for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = value;
  if (options.auth.scheme === 'basic') headers['authorization'] = basicAuthorization(options.auth.apiKey);
  if (params !== undefined) headers['content-type'] = 'application/json';
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  let status: number;
  let contentType: string | null;
  let text: string;
  try {
    const response = await fetch(url, {
      method: 'PUT',
      headers,
      ...(params === undefined ? {} : { body: JSON.stringify(params) }),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
    status = response.status;
    contentType = response.headers.get('content-type');
    text = await response.text();
  } catch (error) {
    const name = errorLike(error)?.name;
    if (name === 'TimeoutError' || name === 'AbortError') throw new TimeoutError(shown, timeoutMs);
    throw new NetworkError(shown, networkReason(error));
  }

  if (status === 200) return parseJob(status, contentType, text);
  if (status === 401) throw new UnauthorizedError(text);
  const body = parseErrorBody(status, contentType, text);
  if (status === 404) throw new NotFoundError(Number(jobId), body);
  throw new ApiError(status, body);
}

interface ErrorLike {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly code?: unknown;
  readonly cause?: unknown;
}

/** Errors by shape, not `instanceof`: fetch's errors come from another realm under test runners such as jest. */
function errorLike(value: unknown): ErrorLike | undefined {
  return typeof value === 'object' && value !== null ? (value as ErrorLike) : undefined;
}

function networkReason(error: unknown): string {
  // fetch wraps the socket error in `cause` (ECONNREFUSED, ENOTFOUND, ...).
  const cause = errorLike(errorLike(error)?.cause);
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  const message = errorLike(error)?.message;
  return typeof message === 'string' ? message : String(error);
}

function isJson(contentType: string | null): boolean {
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return mediaType === 'application/json' || /^application\/[^/]+\+json$/.test(mediaType);
}

function parseJsonObject(status: number, contentType: string | null, text: string, what: string): object {
  if (!isJson(contentType)) {
    throw new UnexpectedResponseError(
      `${status}: expected ${what} as application/json, got ${contentType ?? 'no Content-Type'}`,
      status,
      contentType,
      text,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UnexpectedResponseError(`${status}: ${what} is not valid JSON`, status, contentType, text);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UnexpectedResponseError(`${status}: ${what} is not a JSON object`, status, contentType, text);
  }
  return value;
}

function parseJob(status: number, contentType: string | null, text: string): Job {
  return parseJsonObject(status, contentType, text, 'a Job') as Job;
}

function parseErrorBody(status: number, contentType: string | null, text: string): ErrorBody {
  const body = parseJsonObject(status, contentType, text, 'an Error body') as { message?: unknown };
  if (body.message !== undefined && typeof body.message !== 'string') {
    throw new UnexpectedResponseError(`${status}: the Error body's message is not a string`, status, contentType, text);
  }
  return body as ErrorBody;
}
