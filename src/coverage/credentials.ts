/**
 * Credentials of a coverage request on the wire. A request holds them symbolically (`CoverageCredentials`: key forms,
 * the scheme as spelled); `wireCredentials` turns them into the Authorization header and the query at send time, from
 * the API key the transport alone holds, with the transport's own `deriveKey`. `asAuthSpec` gives the AuthSpec of the
 * combinations today's transport can already send.
 */
import type { AuthSpec } from '../http/request';
import { deriveKey } from '../http/transport';
import type { BasicSpelling, CoverageCredentials } from './types';

/** The plain spelling: `Basic <base64(user:password)>`. */
export const BASIC: Omit<BasicSpelling, 'user' | 'password'> = { scheme: 'Basic', gap: ' ' };

export interface WireCredentials {
  /** The Authorization header's value; undefined sends none. */
  readonly authorization: string | undefined;
  /** The query string (without `?`): the key parameter once per form, percent-encoded; '' for none. */
  readonly query: string;
}

export interface WireKeys {
  readonly apiKey: string;
  /** The made-up wrong key (the transport's `wrongKeyFor(apiKey)`). */
  readonly wrongKey: string;
  /** The API-key query parameter's name, from the contract. */
  readonly keyParameter: string;
}

/** The header and query for `credentials`. The result holds the key: use it to send, never store or show it. */
export function wireCredentials(credentials: CoverageCredentials, keys: WireKeys): WireCredentials {
  const { apiKey, wrongKey, keyParameter } = keys;
  const basic = credentials.basic;
  let authorization: string | undefined;
  if (basic !== undefined) {
    const pair = `${deriveKey(basic.user, apiKey, wrongKey)}:${deriveKey(basic.password, apiKey, wrongKey)}`;
    const padding = basic.padding ?? '';
    authorization = `${padding}${basic.scheme}${basic.gap}${Buffer.from(pair, 'utf8').toString('base64')}${padding}`;
  }
  const query = (credentials.query ?? []).map((form) => `${encodeURIComponent(keyParameter)}=${encodeURIComponent(deriveKey(form, apiKey, wrongKey))}`).join('&');
  return { authorization, query };
}

/** The AuthSpec the transport sends the credentials by: the plain kinds where one fits, else spelled and combined. */
export function authSpecOf(credentials: CoverageCredentials): AuthSpec {
  return asAuthSpec(credentials) ?? { kind: 'credentials', ...(credentials.basic ? { basic: credentials.basic } : {}), ...(credentials.query ? { query: credentials.query } : {}) };
}

/** The AuthSpec of the plain kinds (Basic as `Basic key:key`, forms of the key in the query), where one fits. */
export function asAuthSpec(credentials: CoverageCredentials): AuthSpec | undefined {
  const { basic, query } = credentials;
  if (basic === undefined && (query === undefined || query.length === 0)) return { kind: 'none' };
  if (query === undefined || query.length === 0) {
    if (basic === undefined || basic.scheme !== BASIC.scheme || basic.gap !== BASIC.gap || (basic.padding ?? '') !== '') return undefined;
    if (basic.user === 'key' && basic.password === 'key') return { kind: 'basic' };
    return { kind: 'derived-basic', user: basic.user, password: basic.password };
  }
  if (basic !== undefined) return undefined;
  if (query.length === 1 && query[0] === 'key') return { kind: 'query' };
  return { kind: 'derived-query', values: query };
}

/** For people: what the credentials are, without any key. */
export function describeCredentials(credentials: CoverageCredentials): string {
  const parts: string[] = [];
  const { basic, query } = credentials;
  const form = (f: string) => (f === 'key' ? 'the key' : f === 'wrong' ? 'a wrong key' : f);
  if (basic !== undefined) {
    const who = basic.user === basic.password ? form(basic.user) : `${form(basic.user)} and ${form(basic.password)}`;
    const spelling = [
      basic.scheme === BASIC.scheme ? '' : `scheme "${basic.scheme}"`,
      basic.gap === BASIC.gap ? '' : `${basic.gap.length} spaces after the scheme`,
      (basic.padding ?? '') === '' ? '' : 'spaces around the value',
    ].filter((s) => s !== '');
    parts.push(`Basic with ${who}${spelling.length > 0 ? ` (${spelling.join(', ')})` : ''}`);
  }
  if (query !== undefined && query.length > 0) parts.push(`the key query parameter with ${query.map(form).join(', then ')}`);
  return parts.length === 0 ? 'no credentials' : parts.join(' and ');
}
