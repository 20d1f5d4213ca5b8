/**
 * Which operation of a document is tested, and where the document serves it from. The operation is named by its
 * operationId (`updateJob`) or by method and path (`PUT /jobs/{jobId}`; the path as the document writes it, or with
 * the document's base path in front: `PUT /v2/jobs/{jobId}` also finds `/jobs/{jobId}` served from `.../v2`). The
 * base path is the path of the document's first server (OpenAPI `servers`, Swagger 2.0 `host` + `basePath`).
 * Everything here works on the document as written or dereferenced, OpenAPI or Swagger 2.0 alike.
 */
import { UserError } from '../errors';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export type OperationSelector =
  | { readonly by: 'operationId'; readonly operationId: string }
  | { readonly by: 'route'; readonly method: HttpMethod; readonly path: string };

/** The operation the project is about, unless `--operation` names another. */
export const DEFAULT_SELECTOR: OperationSelector = { by: 'operationId', operationId: 'updateJob' };

/** `updateJob`, or `PUT /jobs/{jobId}` (any case for the method). Throws a UserError for anything else. */
export function parseSelector(text: string): OperationSelector {
  const trimmed = text.trim();
  const route = /^([A-Za-z]+)\s+(\/\S*)$/.exec(trimmed);
  if (route) {
    const method = route[1]!.toLowerCase();
    if (!(HTTP_METHODS as readonly string[]).includes(method)) {
      throw new UserError(`--operation '${text}': ${route[1]} is not an HTTP method (give "METHOD /path" or an operationId)`);
    }
    return { by: 'route', method: method as HttpMethod, path: route[2]! };
  }
  if (/^[^\s/]+$/.test(trimmed)) return { by: 'operationId', operationId: trimmed };
  throw new UserError(`--operation '${text}': give an operationId (updateJob) or a method and a path ("PUT /jobs/{jobId}")`);
}

export function describeSelector(selector: OperationSelector): string {
  return selector.by === 'operationId' ? `operation '${selector.operationId}'` : `${selector.method.toUpperCase()} ${selector.path}`;
}

/** A stable text for caching by selector. */
export function selectorKey(selector: OperationSelector): string {
  return selector.by === 'operationId' ? `id:${selector.operationId}` : `route:${selector.method} ${selector.path}`;
}

type Node = Record<string, unknown>;

const isObject = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value);

export function escapePointer(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function unescapePointer(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** The node at a JSON pointer (without `#`), or undefined. */
export function nodeAt(document: unknown, pointer: string): unknown {
  if (pointer === '') return document;
  let node = document;
  for (const token of pointer.split('/').slice(1)) {
    const key = unescapePointer(token);
    if (Array.isArray(node)) node = node[Number(key)];
    else node = isObject(node) ? node[key] : undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

/** Where a document serves its paths from: the first server's URL, its path, and every server's URL. */
export interface ServedFrom {
  /** The path in front of every path template: `/2`, `/v2`, or `` (none). Never ends with `/`. */
  readonly basePath: string;
  /** The servers' URLs as given (server variables replaced by their defaults); Swagger 2.0's scheme + host + basePath. */
  readonly servers: readonly string[];
}

function substituteVariables(url: string, variables: unknown): string {
  if (!isObject(variables)) return url;
  return url.replace(/\{([^}]+)\}/g, (whole, name: string) => {
    const variable = variables[name];
    return isObject(variable) && typeof variable.default === 'string' ? variable.default : whole;
  });
}

function pathOfUrl(url: string): string {
  let pathname: string;
  try {
    pathname = new URL(url, 'http://relative.invalid').pathname;
  } catch {
    pathname = url.startsWith('/') ? url : '';
  }
  return decodeURI(pathname).replace(/\/+$/, '');
}

/** The base path and servers of an OpenAPI 3 or Swagger 2.0 document. */
export function servedFrom(document: unknown): ServedFrom {
  if (!isObject(document)) return { basePath: '', servers: [] };
  if (typeof document.swagger === 'string') {
    const basePath = typeof document.basePath === 'string' ? document.basePath.replace(/\/+$/, '') : '';
    const host = typeof document.host === 'string' ? document.host : undefined;
    const schemes = Array.isArray(document.schemes) && document.schemes.length > 0 ? document.schemes.map(String) : ['https'];
    return { basePath, servers: host === undefined ? [] : schemes.map((scheme) => `${scheme}://${host}${basePath}`) };
  }
  const servers = (Array.isArray(document.servers) ? document.servers : [])
    .filter(isObject)
    .filter((server) => typeof server.url === 'string')
    .map((server) => substituteVariables(server.url as string, server.variables));
  return { basePath: servers[0] === undefined ? '' : pathOfUrl(servers[0]), servers };
}

/** One operation of a document, located. */
export interface Located {
  readonly method: HttpMethod;
  /** The path template as the document writes it (without the base path). */
  readonly path: string;
  /** JSON pointer to the operation, e.g. `/paths/~1v2~1jobs~1{jobId}/put`. */
  readonly pointer: string;
  readonly operationId: string | undefined;
  readonly definition: Node;
}

function locatedOperations(document: unknown): Located[] {
  const paths = isObject(document) && isObject(document.paths) ? document.paths : {};
  const found: Located[] = [];
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    for (const method of HTTP_METHODS) {
      const definition = item[method];
      if (!isObject(definition)) continue;
      const operationId = typeof definition.operationId === 'string' ? definition.operationId : undefined;
      found.push({ method, path, pointer: `/paths/${escapePointer(path)}/${method}`, operationId, definition });
    }
  }
  return found;
}

/** Path templates are the same route when they differ only in their parameters' names. */
function sameRoute(a: string, b: string): boolean {
  const normal = (p: string) => p.replace(/\{[^}]*\}/g, '{}').replace(/\/+$/, '');
  return normal(a) === normal(b);
}

/** The operation a selector names, or undefined. */
export function locate(document: unknown, selector: OperationSelector): Located | undefined {
  const all = locatedOperations(document);
  if (selector.by === 'operationId') return all.find((operation) => operation.operationId === selector.operationId);
  const { basePath } = servedFrom(document);
  const candidates = all.filter((operation) => operation.method === selector.method);
  return (
    candidates.find((operation) => sameRoute(operation.path, selector.path)) ??
    candidates.find((operation) => basePath !== '' && sameRoute(`${basePath}${operation.path}`, selector.path))
  );
}

/** A document without the selected operation: a usage error (exit 2), which `contract diff` reads as a removal. */
export class OperationNotFound extends UserError {
  override readonly name = 'OperationNotFound';
  constructor(
    message: string,
    /** What the document is: `OpenAPI 3.0.1`, `Swagger 2.0`. */
    readonly format: string,
  ) {
    super(message);
  }
}

/** The one-line error for a document without the selected operation, with a few of the operations it has. */
export function notFound(shown: string, document: unknown, selector: OperationSelector): OperationNotFound {
  const all = locatedOperations(document);
  const names = all.map((operation) =>
    selector.by === 'operationId' ? (operation.operationId ?? `${operation.method.toUpperCase()} ${operation.path}`) : `${operation.method.toUpperCase()} ${operation.path}`,
  );
  const wanted = selector.by === 'operationId' ? selector.operationId.toLowerCase() : selector.path.toLowerCase().replace(/\{[^}]*\}/g, '');
  const near = names.filter((name) => {
    const lower = name.toLowerCase();
    return wanted.split(/[^a-z0-9]+/).filter((word) => word.length > 2).some((word) => lower.includes(word));
  });
  const shownNames = (near.length > 0 ? near : names).slice(0, 8);
  const more = names.length > shownNames.length ? `, ... ${names.length} in all` : '';
  const list = ` (operations: ${shownNames.length > 0 ? `${shownNames.join(', ')}${more}` : 'none'})`;
  const format = isObject(document) && typeof document.swagger === 'string' ? `Swagger ${document.swagger}` : isObject(document) ? `OpenAPI ${String(document.openapi)}` : 'unknown';
  return new OperationNotFound(
    `${shown}: ${describeSelector(selector)} is not in the document${list}; name another with --operation "METHOD /path" or --operation <operationId>`,
    format,
  );
}
