/**
 * `-H/--header "Name: value"` (repeatable; LILT_HEADERS, one a line): headers a team's gateway needs, sent on every
 * request. A header whose name is Cookie or Proxy-Authorization, or looks like it carries a credential (auth, token,
 * secret, key, password, session, signature, credential), is secret: its value is a `Secret`, shown nowhere (a curl
 * reproduction reads it from $LILT_HEADER_<NAME>), removed from anything the target echoes back, and looked for at the
 * end of the run like the API key. The headers the run sets per request itself (Authorization: its auth checks send
 * and withhold the key; Content-Type; and the framing ones) cannot be given.
 */
import { Secret } from './secret';

export type RequestHeader =
  | { readonly name: string; readonly secret: false; readonly value: string }
  | { readonly name: string; readonly secret: true; readonly value: Secret };

/** RFC 9110 token characters. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const SECRET_NAMES = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);
const SECRET_LOOKING = /auth|token|secret|key|passw|pwd|session|signature|credential|jwt|bearer|cookie/i;
/** Set by the run for each request, or by the HTTP client: a header given for every request would break them. */
const OWNED_BY_THE_RUN = new Set(['authorization', 'content-type', 'content-length', 'host', 'transfer-encoding', 'connection', 'expect', 'upgrade', 'te', 'trailer', 'keep-alive']);

export function isSecretHeaderName(name: string): boolean {
  return SECRET_NAMES.has(name.toLowerCase()) || SECRET_LOOKING.test(name);
}

/** The shell variable a curl reproduction reads a secret header's value from. */
export function headerVariable(name: string): string {
  return `LILT_HEADER_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

export type HeaderOutcome = { readonly kind: 'header'; readonly header: RequestHeader } | { readonly kind: 'refused'; readonly why: string };

/**
 * One "Name: value". A refusal says why without the value (it may be a credential): the text before its first space
 * stands for it when there is no colon at all.
 */
export function parseHeader(text: string): HeaderOutcome {
  const colon = text.indexOf(':');
  if (colon === -1) {
    const head = text.trim().split(/\s+/)[0] ?? '';
    return { kind: 'refused', why: `'${head.slice(0, 40)}${text.trim().length > head.length ? ' …' : ''}' has no ':'; write it as "Name: value"` };
  }
  const name = text.slice(0, colon).trim();
  const value = text.slice(colon + 1).trim();
  if (!TOKEN.test(name)) return { kind: 'refused', why: `'${name.slice(0, 40)}' is not a header name (letters, digits and !#$%&'*+.^_\`|~- only)` };
  if (OWNED_BY_THE_RUN.has(name.toLowerCase())) {
    const why =
      name.toLowerCase() === 'authorization'
        ? 'the run sets Authorization itself (its auth checks send and withhold the API key); give a gateway credential another header name'
        : `the run sets ${name} itself for each request`;
    return { kind: 'refused', why: `${name}: ${why}` };
  }
  if (value === '') return { kind: 'refused', why: `${name} has an empty value` };
  if (/[\r\n\0]/.test(value)) return { kind: 'refused', why: `${name}: the value holds a line break or NUL` };
  return {
    kind: 'header',
    header: isSecretHeaderName(name) ? { name, secret: true, value: new Secret(value) } : { name, secret: false, value },
  };
}

/** As shown in settings: the value, or `[redacted]`. */
export function shownHeader(header: RequestHeader): string {
  return `${header.name}: ${header.secret ? '[redacted]' : header.value}`;
}
