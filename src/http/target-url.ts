/**
 * Where a request goes: the target's base URL, the operation's path template from the contract, the id segment, and
 * the key query parameter when auth asks for it. `keyText` decides what stands for the key: the key itself at send
 * time, `$LILT_API_KEY` in anything shown.
 */
import type { RequestHeader } from './headers';
import type { ApiRequest } from './request';

export interface Route {
  /** The target's URL; a path in it is a base path the operation's path is appended to (`/lilt` -> `/lilt/v2/jobs/{id}`). */
  readonly baseUrl: string;
  /** e.g. `/v2/jobs/{jobId}`, from the contract. */
  readonly pathTemplate: string;
  /** The name of the API-key query parameter (from the contract's security schemes). */
  readonly keyParameter: string;
  /** Headers sent on every request (`-H`); a secret one's value is a Secret. */
  readonly headers?: readonly RequestHeader[];
}

export function pathFor(route: Route, idSegment: string): string {
  return route.pathTemplate.replace(/\{[^}]+\}/, idSegment);
}

export function urlFor(route: Route, request: ApiRequest, keyText: { key: string; wrongKey: string }): string {
  const base = `${route.baseUrl}${pathFor(route, request.idSegment)}`;
  if (request.auth.kind === 'query') return `${base}?${route.keyParameter}=${keyText.key}`;
  if (request.auth.kind === 'wrong-query') {
    return `${base}?${route.keyParameter}=${encodeURIComponent(request.auth.key ?? keyText.wrongKey)}`;
  }
  return base;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** localhost, 127.x.y.z or ::1: this machine (never paced by default, never proxied). */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}
