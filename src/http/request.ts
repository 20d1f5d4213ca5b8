/**
 * A request as the run stores it: auth is symbolic (`{kind: 'basic'}`), so the API key exists only at send time, in
 * the transport, and never in a stored request, a finding or a report. A malformed header is held as written: it
 * never contains the key.
 */
export type AuthSpec =
  /** Basic auth with the API key as user and password. */
  | { readonly kind: 'basic' }
  /** The API key in the document's query parameter. */
  | { readonly kind: 'query' }
  | { readonly kind: 'none' }
  /** Basic auth with a key that is not the API key (a made-up one, or the transport's WRONG_KEY). */
  | { readonly kind: 'wrong-basic'; readonly key?: string }
  | { readonly kind: 'wrong-query'; readonly key?: string }
  /** An Authorization header sent verbatim (malformed on purpose). */
  | { readonly kind: 'raw-header'; readonly header: string };

export type ValidAuth = Extract<AuthSpec, { kind: 'basic' | 'query' }>;

export interface ApiRequest {
  /** Upper-case, e.g. PUT. */
  readonly method: string;
  /** The job id segment of the path, exactly as sent on the wire (already percent-encoded where needed). */
  readonly idSegment: string;
  /** The body text as sent; undefined sends no body. */
  readonly body: string | undefined;
  /** The Content-Type header; undefined sends none. */
  readonly contentType: string | undefined;
  readonly auth: AuthSpec;
}

export interface ApiResponse {
  readonly status: number;
  /** Header names lower-cased, repeated headers joined with ', '. */
  readonly headers: Readonly<Record<string, string>>;
  readonly contentType: string | undefined;
  readonly text: string;
}

/** A request and what came back. */
export interface Exchange {
  readonly request: ApiRequest;
  readonly response: ApiResponse;
  readonly durationMs: number;
}

/** A send either gets a response or tells why not. 429s never come out of here: the transport waits and retries. */
export type SendOutcome =
  | { readonly kind: 'response'; readonly exchange: Exchange }
  | { readonly kind: 'timeout'; readonly request: ApiRequest; readonly timeoutMs: number }
  | { readonly kind: 'network-error'; readonly request: ApiRequest; readonly message: string }
  /** The target was declared dead earlier in the run: nothing was sent. */
  | { readonly kind: 'target-down'; readonly request: ApiRequest; readonly reason: string };

export function jsonRequest(idSegment: string, value: unknown, auth: AuthSpec, method = 'PUT'): ApiRequest {
  return { method, idSegment, body: JSON.stringify(value), contentType: 'application/json', auth };
}

export function rawRequest(
  idSegment: string,
  body: string | undefined,
  auth: AuthSpec,
  contentType: string | undefined = body === undefined ? undefined : 'application/json',
  method = 'PUT',
): ApiRequest {
  return { method, idSegment, body, contentType, auth };
}

export function describeAuth(auth: AuthSpec): string {
  switch (auth.kind) {
    case 'basic':
      return 'Basic auth with the API key';
    case 'query':
      return 'the API key as the key query parameter';
    case 'none':
      return 'no credentials';
    case 'wrong-basic':
      return 'Basic auth with a wrong key';
    case 'wrong-query':
      return 'a wrong key as the key query parameter';
    case 'raw-header':
      return `the malformed header Authorization: ${auth.header}`;
  }
}
