/**
 * The proxy a team's network has: HTTPS_PROXY, HTTP_PROXY and NO_PROXY (or their lower-case forms, which win, as in
 * curl and undici), read once at the edge and handed to undici's EnvHttpProxyAgent by the transport. A loopback
 * target (localhost, 127.x, ::1; also the in-process reference provider) is always reached directly, whatever
 * NO_PROXY says, as Go's net/http does: a proxy cannot reach this machine's loopback, and CI machines often set a
 * proxy without listing localhost. A proxy URL may carry credentials; it is kept as a Secret and shown without them.
 */
import { Secret } from './secret';
import { isLoopbackHost } from './target-url';

export interface ProxyUrl {
  /** The URL as given (credentials and all): for the transport only. */
  readonly url: Secret;
  /** The URL without credentials. */
  readonly shown: string;
}

export interface ProxyConfig {
  /** For http:// targets. */
  readonly http: ProxyUrl | undefined;
  /** For https:// targets (undici falls back to the http one when unset). */
  readonly https: ProxyUrl | undefined;
  /** NO_PROXY as given: hosts (and host:port, *.domain, .domain) reached directly. */
  readonly noProxy: string;
}

export type ProxyOutcome =
  | { readonly kind: 'none' }
  | { readonly kind: 'proxy'; readonly proxy: ProxyConfig }
  | { readonly kind: 'refused'; readonly variable: string; readonly shown: string };

function fromEnv(env: NodeJS.ProcessEnv, name: string): { variable: string; value: string } | undefined {
  for (const variable of [name.toLowerCase(), name]) {
    const value = env[variable];
    if (value !== undefined && value.trim() !== '') return { variable, value: value.trim() };
  }
  return undefined;
}

/** The text with anything that may be credentials (between `//` and `@`) masked, for an error message. */
function masked(text: string): string {
  return text.replace(/^([^/]*\/\/)?[^@/]*@/, (_all, scheme: string | undefined) => `${scheme ?? ''}***@`);
}

function proxyUrl(text: string): ProxyUrl | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') return undefined;
  const shown = new URL(url.href);
  shown.username = '';
  shown.password = '';
  return { url: new Secret(text), shown: shown.href.replace(/\/$/, '') };
}

export function proxyFromEnv(env: NodeJS.ProcessEnv): ProxyOutcome {
  const found: Partial<Record<'http' | 'https', ProxyUrl>> = {};
  for (const [key, name] of [['https', 'HTTPS_PROXY'], ['http', 'HTTP_PROXY']] as const) {
    const given = fromEnv(env, name);
    if (given === undefined) continue;
    const parsed = proxyUrl(given.value);
    if (parsed === undefined) return { kind: 'refused', variable: given.variable, shown: masked(given.value) };
    found[key] = parsed;
  }
  if (found.http === undefined && found.https === undefined) return { kind: 'none' };
  return { kind: 'proxy', proxy: { http: found.http, https: found.https, noProxy: fromEnv(env, 'NO_PROXY')?.value ?? '' } };
}

export function describeProxy(proxy: ProxyConfig | undefined): string {
  if (proxy === undefined) return 'none (direct)';
  const parts = [
    ...(proxy.https ? [`https via ${proxy.https.shown}`] : []),
    ...(proxy.http ? [`http via ${proxy.http.shown}`] : []),
    ...(proxy.noProxy ? [`NO_PROXY ${proxy.noProxy}`] : []),
  ];
  return `${parts.join(', ')}; loopback targets direct`;
}

/**
 * The proxy a request to `url` goes through, or undefined for a direct one: none for a loopback host; none when
 * NO_PROXY names the host (or a domain it is under, `.example.com` or `*.example.com` alike; `host:port` for that port
 * only; `*` for every host); else HTTPS_PROXY for https (HTTP_PROXY when unset) and HTTP_PROXY for http. These are
 * undici's EnvHttpProxyAgent's rules; the transport's node:http side path (Expect: 100-continue) follows them too.
 */
export function proxyFor(url: string, proxy: ProxyConfig): ProxyUrl | undefined {
  const target = new URL(url);
  const hostname = target.hostname.toLowerCase();
  if (isLoopbackHost(hostname)) return undefined;
  const port = Number(target.port) || (target.protocol === 'https:' ? 443 : 80);
  const entries = proxy.noProxy.split(/[,\s]/).filter(Boolean);
  if (proxy.noProxy.trim() === '*') return undefined;
  for (const entry of entries) {
    const parsed = /^(.+):(\d+)$/.exec(entry);
    const host = (parsed ? (parsed[1] as string) : entry).replace(/^\*?\./, '').toLowerCase();
    if (parsed && Number(parsed[2]) !== port) continue;
    if (hostname === host || hostname.endsWith(`.${host}`)) return undefined;
  }
  return target.protocol === 'https:' ? (proxy.https ?? proxy.http) : proxy.http;
}
