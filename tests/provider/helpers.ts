/**
 * Test helpers for the reference provider: a real listening provider (port 0), a real HTTP client (global fetch), and
 * assertions that a response is what the contract documents for its status (validated by the foundation's validators).
 */
import { startReferenceProvider, type ReferenceProviderOptions, type RunningProvider } from '../../src/provider';
import { loadValidators } from '../../src/validation/validators';
import { formatViolations } from '../../src/validation/violations';
import { tempFile as writeTempFile } from '../helpers/temp';

export const API_KEY = 'test-key';
export const OPERATION = 'updateJob';
export const BASIC = `Basic ${Buffer.from(`${API_KEY}:${API_KEY}`).toString('base64')}`;

export function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

export interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
  readonly headers: Headers;
}

export interface SendOptions {
  readonly method?: string;
  /** A string is sent as is; an object as JSON; undefined sends no body. */
  readonly body?: string | Buffer | object;
  /** Default: application/json when there is a body. `null`: no Content-Type header. */
  readonly contentType?: string | null;
  /** Default: Basic with the test key. `null`: no Authorization header. */
  readonly authorization?: string | null;
}

export async function send(provider: RunningProvider, pathAndQuery: string, options: SendOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  const authorization = options.authorization === undefined ? BASIC : options.authorization;
  if (authorization !== null) headers.authorization = authorization;
  let body: string | Buffer | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' || Buffer.isBuffer(options.body) ? options.body : JSON.stringify(options.body);
  }
  const contentType = options.contentType === undefined ? (body === undefined ? null : 'application/json') : options.contentType;
  if (contentType !== null) headers['content-type'] = contentType;
  const response = await fetch(`${provider.url}${pathAndQuery}`, { method: options.method ?? 'PUT', headers, body });
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    text: await response.text(),
    headers: response.headers,
  };
}

/** Asserts the answer is a documented Job (200) and returns it. */
export async function expectJob(answer: Answer, id: number): Promise<Record<string, unknown>> {
  expect({ status: answer.status, text: answer.text.slice(0, 300) }).toEqual({ status: 200, text: expect.any(String) });
  expect(answer.contentType).toMatch(/^application\/json(;|$)/);
  const validators = await loadValidators();
  const result = validators.responseValidator(OPERATION, 200, answer.contentType).validateText(answer.text);
  if (!result.valid) throw new Error(`200 body is not a valid Job:\n${formatViolations(result.violations)}`);
  const job = result.value as Record<string, unknown>;
  expect(job.id).toBe(id);
  return job;
}

/** Asserts the answer is the Error body (application/json, {"message": string}) with the given status (or any 4xx). */
export async function expectError(answer: Answer, status: number | '4xx'): Promise<string> {
  if (status === '4xx') {
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
  } else {
    expect({ status: answer.status, text: answer.text }).toEqual({ status, text: expect.any(String) });
  }
  expect(answer.status).not.toBe(401);
  expect(answer.contentType).toMatch(/^application\/json(;|$)/);
  const validators = await loadValidators();
  const result = validators.responseValidator(OPERATION, answer.status, answer.contentType).validateText(answer.text);
  if (!result.valid) throw new Error(`${answer.status} body is not the Error body:\n${formatViolations(result.violations)}`);
  const body = result.value as { message?: unknown };
  expect(typeof body.message).toBe('string');
  return body.message as string;
}

/** Asserts the 401: a text body in one of the documented media types. */
export async function expectUnauthorized(answer: Answer): Promise<void> {
  expect({ status: answer.status, text: answer.text }).toEqual({ status: 401, text: expect.any(String) });
  const validators = await loadValidators();
  expect(validators.documentedMediaTypes(OPERATION, 401)).toContain(answer.contentType.split(';')[0]);
  const result = validators.responseValidator(OPERATION, 401, answer.contentType).validateText(answer.text);
  expect(result.valid).toBe(true);
  expect(answer.text.length).toBeGreaterThan(0);
  expect(answer.text).not.toContain(API_KEY);
}

/** Whatever the status, the answer is what the contract documents for it. Returns a failure description or ''. */
export async function undocumented(answer: Answer): Promise<string> {
  if (answer.status >= 500) return `status ${answer.status}`;
  if (answer.status >= 200 && answer.status < 300 && answer.status !== 200) return `undocumented success ${answer.status}`;
  const validators = await loadValidators();
  const validator = validators.findResponseValidator(OPERATION, answer.status, answer.contentType);
  if (!validator) return `status ${answer.status} in ${answer.contentType} is not documented`;
  const result = validator.validateText(answer.text);
  return result.valid ? '' : `${answer.status}: ${formatViolations(result.violations)}`;
}

/** A fresh provider (its own state) per call; close it with `provider.close()`. */
export function startProvider(options: ReferenceProviderOptions = {}): Promise<RunningProvider> {
  return startReferenceProvider({ port: 0, ...options });
}

export function tempFile(name: string, content: string): string {
  return writeTempFile(name, content, 'lilt-provider-');
}
