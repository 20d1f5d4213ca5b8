/**
 * Loads the provider's document: a file or an http(s) URL; OpenAPI 3.0.x, 3.1.x or Swagger 2.0 (converted to OpenAPI
 * 3.0 by swagger2openapi); parsed and dereferenced once by a maintained parser (@apidevtools/swagger-parser).
 * Everything downstream (the model, validators, lint, provider, checks, pacts) reads the contract from here.
 *
 * It reads what can be read: only the tested operation (`updateJob`, or the one `--operation` names) and what it
 * references must be valid. Defects elsewhere (the document's schema broken in another operation, a `$ref` to nothing
 * in a component nobody tested uses) are kept in `defects`, which the lint reports as warnings, and loading goes on.
 */
import * as path from 'node:path';
import * as fs from 'node:fs';
import SwaggerParser from '@apidevtools/swagger-parser';
import type { OpenAPIV3 } from 'openapi-types';
import { convertObj } from 'swagger2openapi';
import { UserError, oneLine } from '../errors';
import { dependedOn, schemaDefects, touches, unresolvedRefs, type DocumentDefect, type SpecVersion } from './defects';
import { DEFAULT_SELECTOR, describeSelector, locate, notFound, selectorKey, type OperationSelector } from './selector';

export type { DocumentDefect } from './defects';

/**
 * The package's root (contracts/, pacts/, package.json): two levels up from this module, which holds both for the
 * TypeScript source (src/contract/) and for the build (dist/contract/), in a checkout or in node_modules.
 */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
export const DEFAULT_CONTRACT_FILE = path.join(PROJECT_ROOT, 'contracts', 'lilt-update-job.openapi.yaml');

/** What the document said it is. */
export type DocumentFormat =
  | { readonly spec: 'openapi'; readonly version: string }
  | { readonly spec: 'swagger'; readonly version: '2.0' };

export interface Contract {
  /** Absolute path of the document, or its http(s) URL. */
  readonly file: string;
  /**
   * The document as written, in OpenAPI 3 form: `$ref`s intact, for naming and pointing at places. A Swagger 2.0
   * document is here as swagger2openapi converted it (OpenAPI 3.0.0; `#/definitions/X` became
   * `#/components/schemas/X`). An OpenAPI 3.1 document is here as it is (typed as 3.0: the model reads both).
   */
  readonly raw: OpenAPIV3.Document;
  /** The same document with every `$ref` resolved. */
  readonly document: OpenAPIV3.Document;
  readonly format: DocumentFormat;
  /** The tested operation, as the caller named it (default: operationId `updateJob`). */
  readonly selector: OperationSelector;
  /** The document's defects outside the tested operation's part, which did not stop loading. */
  readonly defects: readonly DocumentDefect[];
  /** The document exactly as written (the Swagger 2.0 object for a Swagger document): what defect pointers point into. */
  readonly written: unknown;
}

export interface LoadOptions {
  /** The tested operation; default: operationId `updateJob`. */
  readonly operation?: OperationSelector;
}

const cache = new Map<string, Promise<Contract>>();

const isUrl = (source: string) => /^https?:\/\//i.test(source);

/**
 * How a contract's source is shown in messages: a file relative to the working directory; a URL without what may be
 * a secret (credentials, query values: a document behind a token).
 */
export function shownSource(source: string): string {
  if (!isUrl(source)) return path.relative(process.cwd(), source) || source;
  try {
    const url = new URL(source);
    if (url.username === '' && url.password === '' && url.search === '') return source;
    url.username = '';
    url.password = '';
    for (const key of [...new Set(url.searchParams.keys())]) url.searchParams.set(key, '***');
    return url.toString().replace(/%2A%2A%2A/g, '***');
  } catch {
    return source;
  }
}

/**
 * Loads (once per document, operation and process) the contract. Throws a one-line UserError naming the document and
 * the problem: not found, not readable, not OpenAPI 3.0/3.1 or Swagger 2.0, no such operation, or a defect in the
 * tested operation's part of the document.
 */
export function loadContract(source: string = DEFAULT_CONTRACT_FILE, options: LoadOptions = {}): Promise<Contract> {
  const location = isUrl(source) ? source : path.resolve(source);
  const selector = options.operation ?? DEFAULT_SELECTOR;
  const key = `${location}\n${selectorKey(selector)}`;
  let loaded = cache.get(key);
  if (!loaded) {
    loaded = read(location, selector);
    cache.set(key, loaded);
    loaded.catch(() => cache.delete(key));
  }
  return loaded;
}

const PARSER_OPTIONS = {
  // A URL the user gave may be on an internal network (a staging host, loopback in tests): allow it.
  resolve: { http: { timeout: 15_000, safeUrlResolver: false } },
} as const;

function messageOf(error: unknown, location = ''): string {
  const text = oneLine(error instanceof Error ? error.message : String(error));
  // The parser names the URL it fetched: shown without its secrets, like everywhere else.
  return (location === '' ? text : text.split(location).join(shownSource(location))).slice(0, 500);
}

function versionOf(shown: string, written: Record<string, unknown>): { version: SpecVersion; format: DocumentFormat } {
  if (written.swagger === '2.0') return { version: '2.0', format: { spec: 'swagger', version: '2.0' } };
  const openapi = written.openapi;
  if (typeof openapi === 'string' && /^3\.[01]\.\d+$/.test(openapi)) {
    return { version: openapi.startsWith('3.0.') ? '3.0' : '3.1', format: { spec: 'openapi', version: openapi } };
  }
  const found = written.swagger !== undefined ? `swagger: ${String(written.swagger)}` : `openapi: ${String(openapi)}`;
  throw new UserError(`${shown}: expected an OpenAPI 3.0.x or 3.1.x or a Swagger 2.0 document, found ${found}`);
}

function hasExternalRefs(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(hasExternalRefs);
  if (node === null || typeof node !== 'object') return false;
  const ref = (node as { $ref?: unknown }).$ref;
  if (typeof ref === 'string' && !ref.startsWith('#')) return true;
  return Object.values(node).some(hasExternalRefs);
}

/** Takes out the `x-s2o-warning` marks swagger2openapi leaves where it had to guess, as defects. */
function conversionDefects(node: unknown, pointer = ''): DocumentDefect[] {
  if (Array.isArray(node)) return node.flatMap((item, i) => conversionDefects(item, `${pointer}/${i}`));
  if (node === null || typeof node !== 'object') return [];
  const record = node as Record<string, unknown>;
  const found: DocumentDefect[] = [];
  if (typeof record['x-s2o-warning'] === 'string') {
    found.push({ kind: 'conversion', pointer, message: `converting to OpenAPI 3.0: ${record['x-s2o-warning']}` });
    delete record['x-s2o-warning'];
  }
  for (const [key, value] of Object.entries(record)) {
    found.push(...conversionDefects(value, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`));
  }
  return found;
}

async function read(location: string, selector: OperationSelector): Promise<Contract> {
  const shown = shownSource(location);
  if (!isUrl(location) && !fs.existsSync(location)) {
    throw new UserError(`${shown}: contract file not found (pass the path or http(s) URL of an OpenAPI 3.0/3.1 or Swagger 2.0 document)`);
  }
  let written: Record<string, unknown>;
  try {
    // parse() reads the root document only, $refs intact (and checks the version fields).
    written = (await SwaggerParser.parse(location, PARSER_OPTIONS)) as unknown as Record<string, unknown>;
  } catch (error) {
    const message = messageOf(error, location);
    const what = isUrl(location) && /download|fetch|HTTP|ECONN|ENOTFOUND|timed? ?out/i.test(message) ? 'cannot fetch the document' : 'not a valid OpenAPI document';
    throw new UserError(`${shown}: ${what}: ${message}`);
  }
  const { version, format } = versionOf(shown, written);

  const operation = locate(written, selector);
  if (operation === undefined) throw notFound(shown, written, selector);
  const closure = dependedOn(written, operation);
  const schema = schemaDefects(written, version);
  const refs = unresolvedRefs(written, closure, operation);
  const fatal = [...refs.fatal, ...schema.filter((defect) => touches(defect.pointer, closure, operation))];
  if (fatal.length > 0) {
    const first = fatal[0]!;
    const more = fatal.length > 1 ? ` (and ${fatal.length - 1} more)` : '';
    throw new UserError(
      `${shown}: not a valid OpenAPI document where ${describeSelector(selector)} is: #${first.pointer}: ${first.message}${more}`,
    );
  }
  const defects: DocumentDefect[] = [...refs.defects, ...schema];

  let patched = refs.patched as Record<string, unknown>;
  try {
    if (hasExternalRefs(patched)) {
      // Other files or URLs the document points into become part of it (as `#/...` references).
      patched = (await SwaggerParser.bundle(location, structuredClone(patched) as never, PARSER_OPTIONS)) as unknown as Record<string, unknown>;
    }
  } catch (error) {
    throw new UserError(`${shown}: not a valid OpenAPI document: ${messageOf(error, location)}`);
  }

  let raw: OpenAPIV3.Document;
  if (version === '2.0') {
    try {
      const converted = await convertObj(structuredClone(patched), { patch: true, warnOnly: true, resolve: false });
      raw = converted.openapi as unknown as OpenAPIV3.Document;
    } catch (error) {
      throw new UserError(`${shown}: this Swagger 2.0 document cannot be converted to OpenAPI 3.0: ${messageOf(error, location)}`);
    }
    defects.push(...conversionDefects(raw));
  } else {
    raw = patched as unknown as OpenAPIV3.Document;
  }

  let document: OpenAPIV3.Document;
  try {
    // Circular references (a schema that contains itself) stay as `$ref`s rather than becoming cyclic objects.
    document = (await SwaggerParser.dereference(structuredClone(raw), { dereference: { circular: 'ignore' } })) as OpenAPIV3.Document;
  } catch (error) {
    throw new UserError(`${shown}: not a valid OpenAPI document: ${messageOf(error, location)}`);
  }
  return { file: location, raw, document, format, selector, defects, written };
}
