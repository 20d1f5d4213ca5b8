/**
 * Authentication as the contract's security schemes describe it: HTTP Basic with the API key as both user name and
 * password, or the API key in a query parameter (its name read from the contract). The two are alternatives
 * (OpenAPI: a list of security requirements is an OR), so one valid credential is enough. Anything malformed is
 * simply not a credential: the result is a 401, never an exception.
 */
import { timingSafeEqual } from 'node:crypto';
import type { SecurityFacts } from '../contract/operation';

export type AuthOutcome =
  | { readonly authenticated: true; readonly apiKey: string; readonly via: 'basic' | 'query' }
  /** `reason` is safe to show: it never contains a credential. */
  | { readonly authenticated: false; readonly reason: string };

export interface Credentials {
  /** The Authorization header as received. */
  readonly authorization: string | undefined;
  /** The raw value(s) of the API-key query parameter, as the query parser gives them. */
  readonly queryKey: unknown;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/;

function equalKey(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface Authenticator {
  authenticate(credentials: Credentials): AuthOutcome;
}

export function createAuthenticator(security: SecurityFacts, apiKeys: readonly string[]): Authenticator {
  const known = (candidate: string): string | undefined => apiKeys.find((key) => equalKey(key, candidate));

  function basic(header: string): AuthOutcome {
    const match = /^Basic[ ]+(\S+)[ ]*$/i.exec(header);
    if (!match) return { authenticated: false, reason: 'the Authorization header is not HTTP Basic' };
    const encoded = match[1]!;
    if (!BASE64.test(encoded)) return { authenticated: false, reason: 'the Basic credentials are not valid base64' };
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return { authenticated: false, reason: 'the Basic credentials have no user:password form' };
    const user = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    const key = known(user);
    if (key === undefined || !equalKey(user, password)) {
      return { authenticated: false, reason: 'unknown API key (use it as both the Basic user name and password)' };
    }
    return { authenticated: true, apiKey: key, via: 'basic' };
  }

  function query(value: unknown): AuthOutcome {
    if (typeof value !== 'string') {
      return { authenticated: false, reason: `the '${security.apiKeyQueryParameter}' query parameter must be given once` };
    }
    const key = known(value);
    return key === undefined
      ? { authenticated: false, reason: 'unknown API key' }
      : { authenticated: true, apiKey: key, via: 'query' };
  }

  return {
    authenticate({ authorization, queryKey }) {
      const outcomes: AuthOutcome[] = [];
      if (security.basic && authorization !== undefined) outcomes.push(basic(authorization));
      if (security.apiKeyQueryParameter !== undefined && queryKey !== undefined) outcomes.push(query(queryKey));
      const ok = outcomes.find((outcome) => outcome.authenticated);
      if (ok) return ok;
      if (outcomes.length === 0) {
        const ways = [
          security.basic ? 'HTTP Basic (API key as user and password)' : undefined,
          security.apiKeyQueryParameter !== undefined ? `the '${security.apiKeyQueryParameter}' query parameter` : undefined,
        ].filter((way) => way !== undefined);
        return { authenticated: false, reason: `no credentials: authenticate with ${ways.join(' or ')}` };
      }
      return outcomes[0]!;
    },
  };
}
