/**
 * A request as a `curl` command a person can paste: the key is always `$LILT_API_KEY` (expanded by their shell),
 * never its value; the body is sent byte for byte.
 */
import type { ApiRequest } from './request';
import { wrongKeyFor } from './transport';
import { urlFor, type Route } from './target-url';

/** POSIX single-quoting: safe for any text but NUL. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The URL as shown: the key query parameter stands as $LILT_API_KEY. */
export function shownUrl(route: Route, request: ApiRequest): string {
  return urlFor(route, request, { key: KEY_VARIABLE, wrongKey: wrongKeyFor('') });
}

const KEY_VARIABLE = '$LILT_API_KEY';
const PLACEHOLDER = '\u0000KEY\u0000';

export function curlFor(route: Route, request: ApiRequest): string {
  const parts = ['curl', '-sS', '-i', '-X', request.method];
  if (request.auth.kind === 'query') {
    // Double quotes, so the shell expands $LILT_API_KEY; everything else in the URL is escaped for them.
    const url = urlFor(route, request, { key: PLACEHOLDER, wrongKey: wrongKeyFor('') });
    parts.push(`"${url.replace(/(["\\`$])/g, '\\$1').replace(PLACEHOLDER, KEY_VARIABLE)}"`);
  } else {
    parts.push(shellQuote(shownUrl(route, request)));
  }
  switch (request.auth.kind) {
    case 'basic':
      parts.push('-u', '"$LILT_API_KEY:$LILT_API_KEY"');
      break;
    case 'wrong-basic':
      parts.push('-u', shellQuote(`${request.auth.key ?? wrongKeyFor('')}:${request.auth.key ?? wrongKeyFor('')}`));
      break;
    case 'raw-header':
      parts.push('-H', shellQuote(`Authorization: ${request.auth.header}`));
      break;
    default:
      break;
  }
  if (request.contentType !== undefined) parts.push('-H', shellQuote(`Content-Type: ${request.contentType}`));
  if (request.body !== undefined) parts.push('--data-raw', shellQuote(request.body));
  return parts.join(' ');
}
