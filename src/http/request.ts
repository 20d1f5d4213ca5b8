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
  | { readonly kind: 'raw-header'; readonly header: string }
  /**
   * Basic auth whose user name and password are each a form of the API key (a key check done only by half: the
   * right user with a wrong password, the key with a character added, ...). The transport derives them from the key
   * at send time; the request holds only the forms' names.
   */
  | { readonly kind: 'derived-basic'; readonly user: KeyForm; readonly password: KeyForm }
  /** The key query parameter once per value, in order, each a form of the API key (derived at send time). */
  | { readonly kind: 'derived-query'; readonly values: readonly KeyForm[] }
  /**
   * Credentials as a client may spell and combine them: a Basic header spelled its way (`basic`, several spaces) and
   * the key query parameter, either or both (each key a form derived at send time). Neither: no credentials.
   */
  | { readonly kind: 'credentials'; readonly basic?: BasicSpelling; readonly query?: readonly KeyForm[] };

/** An HTTP Basic Authorization header, spelled as a client may spell it. */
export interface BasicSpelling {
  /** The scheme as written: `Basic`, `basic`, `BASIC`. */
  readonly scheme: string;
  /** What separates the scheme from the credentials: one space, or several. */
  readonly gap: string;
  readonly user: KeyForm;
  readonly password: KeyForm;
  /** Whitespace before and after the whole value (optional whitespace of the header field, RFC 9110 5.5). */
  readonly padding?: string;
}

/**
 * A form of the API key, derived from it at send time (transport.ts, deriveKey). Every form but `key` differs from
 * the key, whatever the key is.
 */
export type KeyForm =
  /** The key itself. */
  | 'key'
  /** The key with one character added at its end. */
  | 'key-char-added'
  /** The key without its last character. */
  | 'key-char-removed'
  /** The key with the case of every letter swapped (a key without letters: a character added instead). */
  | 'key-case-swapped'
  /** The key with a space before and after it. */
  | 'key-padded'
  | 'empty'
  /** The transport's made-up wrong key. */
  | 'wrong';

export const KEY_FORMS: readonly KeyForm[] = ['key', 'key-char-added', 'key-char-removed', 'key-case-swapped', 'key-padded', 'empty', 'wrong'];

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
  /** The Accept header; undefined sends none. */
  readonly accept?: string;
  /** How the request is framed on the wire, when not in the plain way (Content-Length, no Expect). */
  readonly envelope?: RequestEnvelope;
}

/** Framings of the same request that a real client may use. */
export interface RequestEnvelope {
  /** The body in chunks (`Transfer-Encoding: chunked`, no Content-Length). */
  readonly chunked?: boolean;
  /** `Expect: 100-continue`: the headers first, the body only after the target's interim 100 (or never). */
  readonly expectContinue?: boolean;
}

/** The most of a response body the run reads: a Job is a few kB; past this the transport drops the connection. */
export const MAX_RESPONSE_BYTES = 1024 * 1024;

export interface ApiResponse {
  readonly status: number;
  /** Header names lower-cased, repeated headers joined with ', '. */
  readonly headers: Readonly<Record<string, string>>;
  readonly contentType: string | undefined;
  /**
   * The body as read, decoded from its content coding: at most the transport's cap (MAX_RESPONSE_BYTES); for a body
   * past the cap (`oversize`), its first RESPONSE_EXCERPT_BYTES only; '' when its coding was not decoded.
   */
  readonly text: string;
  /**
   * Set when the request got no answer (the connection was closed or reset, or the timeout passed): then the status
   * is 0 and there is nothing else; only schema.answered judges such an exchange.
   */
  readonly noAnswer?: string;
  /**
   * Set when the body went past the cap: on the wire (the run stopped reading and dropped the connection), or once
   * decoded (`decoded`: the run stopped decoding). `text` holds its first bytes only.
   */
  readonly oversize?: { readonly limitBytes: number; readonly decoded?: boolean };
  /** Set when the response named a content coding (Content-Encoding other than identity): what became of it. */
  readonly coding?: ContentCoding;
}

/** A response's content coding (RFC 9110 section 8.4), as the transport read it. */
export type ContentCoding =
  /** Decoded: `text` is the body with every coding taken off. `codings` as listed, in the order they were applied. */
  | { readonly kind: 'decoded'; readonly codings: readonly string[]; readonly wireBytes: number }
  /** Not decoded (a coding the run does not read, or bytes that do not decode): `text` is '', and `reason` says why. */
  | { readonly kind: 'not-decoded'; readonly codings: readonly string[]; readonly reason: string };

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
  | {
      readonly kind: 'network-error';
      readonly request: ApiRequest;
      /** connect: no connection; headers-too-large: headers past undici's limit; dropped: the connection ended early. */
      readonly cause: 'connect' | 'headers-too-large' | 'dropped';
      readonly message: string;
      /** Node's or undici's error code (ECONNREFUSED, UNABLE_TO_VERIFY_LEAF_SIGNATURE, ...), when it had one. */
      readonly code?: string;
    }
  /** Nothing was sent: the target was declared down earlier in the run, or the run is stopping. */
  | { readonly kind: 'target-down'; readonly request: ApiRequest; readonly reason: string };

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
    case 'derived-basic':
      return `Basic auth with user name ${describeKeyForm(auth.user)} and password ${describeKeyForm(auth.password)}`;
    case 'derived-query':
      return `the key query parameter ${auth.values.length === 1 ? '' : `${auth.values.length} times: `}${auth.values.map(describeKeyForm).join(', then ')}`;
    case 'credentials':
      return describeCredentials(auth);
  }
}

/** Credentials spelled and combined (`{ kind: 'credentials' }`), in words, without any key. */
function describeCredentials(auth: Extract<AuthSpec, { kind: 'credentials' }>): string {
  const parts: string[] = [];
  const { basic, query } = auth;
  if (basic !== undefined) {
    const who = basic.user === basic.password ? describeKeyForm(basic.user) : `user name ${describeKeyForm(basic.user)} and password ${describeKeyForm(basic.password)}`;
    const spelling = [
      basic.scheme === 'Basic' ? '' : `scheme "${basic.scheme}"`,
      basic.gap === ' ' ? '' : `${basic.gap.length} spaces after the scheme`,
      (basic.padding ?? '') === '' ? '' : 'spaces around the value',
    ].filter((s) => s !== '');
    parts.push(`Basic auth with ${who}${spelling.length > 0 ? ` (${spelling.join(', ')})` : ''}`);
  }
  if (query !== undefined && query.length > 0) parts.push(`the key query parameter ${query.length === 1 ? '' : `${query.length} times: `}${query.map(describeKeyForm).join(', then ')}`);
  return parts.length === 0 ? 'no credentials' : parts.join(' and ');
}

function describeKeyForm(form: KeyForm): string {
  switch (form) {
    case 'key':
      return 'the API key';
    case 'key-char-added':
      return 'the API key with a character added';
    case 'key-char-removed':
      return 'the API key without its last character';
    case 'key-case-swapped':
      return "the API key with its letters' case swapped";
    case 'key-padded':
      return 'the API key between spaces';
    case 'empty':
      return 'empty';
    case 'wrong':
      return 'a wrong key';
  }
}
