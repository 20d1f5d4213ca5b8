/**
 * A request as a `curl` command a person can paste: the key is always `$LILT_API_KEY` (expanded by their shell),
 * never its value, and a form derived from it (the key with a character added, its case swapped, ...) is written as
 * the shell expression that derives it; so is a secret header's value (`$LILT_HEADER_<NAME>`); the body is sent byte
 * for byte, framed as it was sent (chunked, Expect).
 */
import { headerVariable } from './headers';
import type { ApiRequest, BasicSpelling, KeyForm } from './request';
import { wrongKeyFor } from './transport';
import { pathFor, urlFor, type Route } from './target-url';

/** POSIX single-quoting: safe for any text but NUL. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

const KEY_VARIABLE = '$LILT_API_KEY';
const PLACEHOLDER = '\u0000KEY\u0000';

/** Escapes text for the inside of a shell double-quoted string. */
function inDoubleQuotes(text: string): string {
  return text.replace(/(["\\`$])/g, '\\$1');
}

/**
 * A key form as POSIX shell text for the inside of double quotes: it expands to what the transport sends (for
 * `key-case-swapped`, on a key with letters). `encoded`: as a query value (a space as %20).
 */
export function shownKeyForm(form: KeyForm, encoded = false): string {
  const space = encoded ? '%20' : ' ';
  switch (form) {
    case 'key':
      return KEY_VARIABLE;
    case 'key-char-added':
      return '${LILT_API_KEY}x';
    case 'key-char-removed':
      return '${LILT_API_KEY%?}';
    case 'key-case-swapped':
      return '$(printf %s "$LILT_API_KEY" | tr a-zA-Z A-Za-z)';
    case 'key-padded':
      return `${space}${KEY_VARIABLE}${space}`;
    case 'empty':
      return '';
    case 'wrong':
      return inDoubleQuotes(encoded ? encodeURIComponent(wrongKeyFor('')) : wrongKeyFor(''));
  }
}

/** The URL as shown: the key query parameter stands as $LILT_API_KEY (or the expression of its derived form). */
export function shownUrl(route: Route, request: ApiRequest): string {
  const forms = queryForms(request);
  if (forms !== undefined) {
    const query = forms.map((form) => `${route.keyParameter}=${shownKeyForm(form, true)}`).join('&');
    return `${route.baseUrl}${pathFor(route, request.idSegment)}?${query}`;
  }
  return urlFor(route, request, { key: KEY_VARIABLE, wrongKey: wrongKeyFor('') });
}

/** The key query parameter's forms a request sends, when it sends them as forms (derived, or with other credentials). */
function queryForms(request: ApiRequest): readonly KeyForm[] | undefined {
  const { auth } = request;
  if (auth.kind === 'derived-query') return auth.values;
  if (auth.kind === 'credentials' && auth.query !== undefined && auth.query.length > 0) return auth.query;
  return undefined;
}

/** A spelled Basic header as shell text: the pair base64-encoded by the shell, from $LILT_API_KEY. */
function shownBasic(spelling: BasicSpelling): string {
  const padding = spelling.padding ?? '';
  const pair = `${shownKeyForm(spelling.user)}:${shownKeyForm(spelling.password)}`;
  return `"Authorization: ${padding}${inDoubleQuotes(spelling.scheme)}${spelling.gap}$(printf %s "${pair}" | base64 | tr -d '\n')${padding}"`;
}

export function curlFor(route: Route, request: ApiRequest): string {
  const parts = ['curl', '-sS', '-i', '-X', request.method];
  const { auth } = request;
  if (auth.kind === 'query') {
    // Double quotes, so the shell expands $LILT_API_KEY; everything else in the URL is escaped for them.
    const url = urlFor(route, request, { key: PLACEHOLDER, wrongKey: wrongKeyFor('') });
    parts.push(`"${inDoubleQuotes(url).replace(PLACEHOLDER, KEY_VARIABLE)}"`);
  } else if (queryForms(request) !== undefined) {
    const base = inDoubleQuotes(`${route.baseUrl}${pathFor(route, request.idSegment)}`);
    const query = (queryForms(request) ?? []).map((form) => `${inDoubleQuotes(route.keyParameter)}=${shownKeyForm(form, true)}`).join('&');
    parts.push(`"${base}?${query}"`);
  } else {
    parts.push(shellQuote(urlFor(route, request, { key: KEY_VARIABLE, wrongKey: wrongKeyFor('') })));
  }
  switch (auth.kind) {
    case 'basic':
      parts.push('-u', '"$LILT_API_KEY:$LILT_API_KEY"');
      break;
    case 'wrong-basic':
      parts.push('-u', shellQuote(`${auth.key ?? wrongKeyFor('')}:${auth.key ?? wrongKeyFor('')}`));
      break;
    case 'raw-header':
      parts.push('-H', shellQuote(`Authorization: ${auth.header}`));
      break;
    case 'derived-basic':
      parts.push('-u', `"${shownKeyForm(auth.user)}:${shownKeyForm(auth.password)}"`);
      break;
    case 'credentials':
      if (auth.basic !== undefined) parts.push('-H', shownBasic(auth.basic));
      break;
    default:
      break;
  }
  if (request.accept !== undefined) parts.push('-H', shellQuote(`Accept: ${request.accept}`));
  for (const header of route.headers ?? []) {
    const quotedName = header.name.replace(/(["\\`$])/g, '\\$1');
    parts.push('-H', header.secret ? `"${quotedName}: $${headerVariable(header.name)}"` : shellQuote(`${header.name}: ${header.value}`));
  }
  if (request.contentType !== undefined) parts.push('-H', shellQuote(`Content-Type: ${request.contentType}`));
  // curl's --data-raw would add a form Content-Type of its own: an empty header tells it to send none.
  else if (request.body !== undefined) parts.push('-H', 'Content-Type:');
  if (request.envelope?.chunked === true) parts.push('-H', shellQuote('Transfer-Encoding: chunked'));
  if (request.envelope?.expectContinue === true) parts.push('-H', shellQuote('Expect: 100-continue'));
  if (request.body !== undefined) parts.push('--data-raw', shellQuote(request.body));
  return parts.join(' ');
}
