/**
 * What changed in the tested operation between two versions of the provider's document, as a client sees it:
 * breaking changes first (a request field removed, renamed or retyped, an enum narrowed, a field made required, a
 * response property removed or retyped, a status or security scheme removed, the path or base moved), then additions,
 * then other changes. Both documents are read into the operation model (src/contract/model.ts), so the versions may
 * differ in format (Swagger 2.0 against OpenAPI 3.1) and in where they serve the operation from.
 *
 * The change ids follow oasdiff's names where it has one (request-property-removed, response-property-type-changed,
 * ...). oasdiff itself is a Go program; the npm diff libraries judge a request property removed, or a response
 * property removed, as non-breaking (they compare the sets of documents a schema accepts, not what a client relies
 * on) and do not read Swagger 2.0 and OpenAPI 3.1 alike: see docs/contract.md.
 */
import type { OpenAPIV3 } from 'openapi-types';
import { contradictionsOf } from './contradictions';
import { describeKind, isNullable, kindOf, propertiesOf, requiredOf, sameKind, type EnumValue, type ValueKind } from './kinds';
import { shownSource, type DocumentFormat } from './load';
import type { BodyField, OperationModel, SecuritySchemeFact } from './model';
import { isJsonMediaType } from './operation';

type Schema = OpenAPIV3.SchemaObject;

export type ChangeLevel = 'breaking' | 'addition' | 'change';

/**
 * Every change the diff reports, with its level and what it means. A level in the form `breaking/change` depends on
 * the case (the message says which): a retyped request field that accepts more than before is only a change.
 */
export const CHANGES = {
  'operation-removed': { level: 'breaking', what: 'the new document does not have the operation at all' },
  'path-moved': { level: 'breaking', what: 'the operation is served at another full path (base path and path template)' },
  'server-removed': { level: 'breaking', what: 'a server URL of the old document is gone' },
  'method-changed': { level: 'breaking', what: 'the operation has another HTTP method' },
  'path-parameter-type-changed': { level: 'breaking', what: 'the job id parameter has another kind' },
  'read-removed': { level: 'breaking', what: 'the GET on the same path is gone: the job can only be read with the update itself' },
  'request-body-became-required': { level: 'breaking', what: 'a request without a body is refused' },
  'request-body-media-type-removed': { level: 'breaking', what: 'a request media type is gone' },
  'request-property-removed': { level: 'breaking', what: 'a request field is gone (a rename shows as this and an addition; the message names a likely new name)' },
  'request-property-type-changed': { level: 'breaking/change', what: 'a request field has another kind (a change only when the new kind accepts every old value)' },
  'request-property-enum-value-removed': { level: 'breaking', what: "a request field's enum lost values" },
  'request-property-became-required': { level: 'breaking', what: 'a request field must now be sent' },
  'new-required-request-property': { level: 'breaking', what: 'a new request field must be sent' },
  'request-property-became-not-nullable': { level: 'breaking', what: 'a request field no longer takes null' },
  'request-property-constraint-narrowed': { level: 'breaking', what: 'a request field accepts less: maxLength, maximum, minLength, minimum, items or pattern' },
  'response-property-removed': { level: 'breaking', what: 'a property of the Job (or of the error body) is gone' },
  'response-property-type-changed': { level: 'breaking/change', what: 'a Job property has another kind (a change only when every new value is an old one)' },
  'response-required-property-became-optional': { level: 'breaking', what: 'a Job property may now be missing' },
  'response-property-became-nullable': { level: 'breaking', what: 'a Job property may now be null' },
  'response-status-removed': { level: 'breaking', what: 'a documented status is gone' },
  'response-media-type-removed': { level: 'breaking', what: "a status's media type is gone" },
  'security-scheme-removed': { level: 'breaking', what: 'a way to authenticate (HTTP basic, an API key in a given place, ...) is no longer accepted' },
  'security-requirements-changed': { level: 'breaking', what: 'a set of credentials that was enough on its own no longer is' },
  'read-added': { level: 'addition', what: 'the path has a GET: a read of the job that writes nothing' },
  'server-added': { level: 'addition', what: 'a new server URL' },
  'request-body-media-type-added': { level: 'addition', what: 'a new request media type' },
  'request-property-added': { level: 'addition', what: 'a new optional request field, with its kind (and whether it contradicts itself)' },
  'request-property-enum-value-added': { level: 'addition', what: "a request field's enum has more values" },
  'response-property-added': { level: 'addition', what: 'a new Job property' },
  'response-status-added': { level: 'addition', what: 'a newly documented status' },
  'response-media-type-added': { level: 'addition', what: "a new media type for a status" },
  'security-scheme-added': { level: 'addition', what: 'a new way to authenticate' },
  'request-property-became-nullable': { level: 'change', what: 'a request field also takes null' },
  'response-property-became-not-nullable': { level: 'change', what: 'a Job property is never null any more' },
  'response-property-enum-value-added': { level: 'change', what: "a Job property's enum has more values (a client that knows only the old ones may not expect them)" },
  'response-property-enum-value-removed': { level: 'change', what: "a Job property's enum lost values" },
  'request-property-contradicts-itself': { level: 'change', what: 'a request field now contradicts itself (type against format, description, example or enum)' },
  'response-property-contradicts-itself': { level: 'change', what: 'a Job property now contradicts itself' },
  'path-parameter-renamed': { level: 'change', what: 'the path parameter has another name (the URL is the same)' },
  'operation-id-changed': { level: 'change', what: 'another operationId (generated clients rename the call)' },
} as const satisfies Record<string, { readonly level: ChangeLevel | 'breaking/change'; readonly what: string }>;

export type ChangeId = keyof typeof CHANGES;

export interface ContractChange {
  /** oasdiff-style id: `request-property-removed`. */
  readonly id: ChangeId;
  readonly level: ChangeLevel;
  readonly area: 'operation' | 'request' | 'response' | 'security';
  /** The field it is about, dotted for nested ones (`stats.projects[].due`), when it is about one. */
  readonly field?: string;
  /** For an enum change: the values removed or added. */
  readonly values?: readonly EnumValue[];
  /** For a status change: the status. */
  readonly status?: string;
  /** For a security change: the scheme, in words. */
  readonly scheme?: string;
  /** One line, for people. */
  readonly message: string;
}

export interface DiffSide {
  /** The document, as shown (a path relative to the working directory, or the URL). */
  readonly source: string;
  /** `OpenAPI 3.0.3`, `Swagger 2.0`. */
  readonly format: string;
  readonly operationId: string;
  /** `PUT /v2/jobs/{jobId}`: the method and the full path (base path included). */
  readonly operation: string;
}

export interface ContractDiff {
  readonly old: DiffSide;
  readonly new: DiffSide;
  /** Breaking changes first, then additions, then other changes. */
  readonly changes: readonly ContractChange[];
  readonly breakingCount: number;
  readonly additionCount: number;
  readonly otherCount: number;
}

const code = (name: string) => `\`${name}\``;
const show = (value: EnumValue) => JSON.stringify(value);

function formatName(format: DocumentFormat): string {
  return format.spec === 'swagger' ? 'Swagger 2.0' : `OpenAPI ${format.version}`;
}

function side(model: OperationModel): DiffSide {
  return {
    source: shownSource(model.contract.file),
    format: formatName(model.contract.format),
    operationId: model.operationId,
    operation: `${model.method} ${model.fullPath}`,
  };
}

/** Whether every value `before` accepts, `after` accepts too (as far as kinds tell). */
function widens(before: ValueKind, after: ValueKind): boolean {
  if (after.type === 'any') return true;
  if (before.type === 'date-time' && after.type === 'string' && after.format === undefined) return true;
  if (before.type === 'string' && before.format !== undefined && after.type === 'string' && after.format === undefined) return true;
  if (before.type === 'integer' && after.type === 'number') return true;
  if (before.type === 'enum' && before.of === after.type) return true;
  return false;
}

/** The constraints a schema puts on values beyond its kind, for comparing. */
function narrowedConstraints(before: Schema, after: Schema): string[] {
  const found: string[] = [];
  const num = (value: unknown) => (typeof value === 'number' ? value : undefined);
  const tighter = (name: 'maxLength' | 'maximum' | 'maxItems', lower: boolean) => {
    const a = num(before[name]);
    const b = num(after[name]);
    if (b !== undefined && (a === undefined || (lower ? b < a : b > a))) found.push(`${name} ${a === undefined ? 'added' : `${a} ->`} ${b}`);
  };
  tighter('maxLength', true);
  tighter('maximum', true);
  tighter('maxItems', true);
  const looser = (name: 'minLength' | 'minimum' | 'minItems') => {
    const a = num(before[name]);
    const b = num(after[name]);
    if (b !== undefined && (a === undefined || b > a)) found.push(`${name} ${a === undefined ? 'added' : `${a} ->`} ${b}`);
  };
  looser('minLength');
  looser('minimum');
  looser('minItems');
  if (typeof after.pattern === 'string' && after.pattern !== before.pattern) {
    found.push(`pattern ${before.pattern === undefined ? 'added' : 'changed'}: ${after.pattern}`);
  }
  return found;
}

const DEPTH = 6;

type Direction = 'request' | 'response';

/** One field's schemas before and after, as a client that sends (`request`) or reads (`response`) it sees them. */
interface FieldPair {
  readonly field: string;
  readonly before: Schema;
  readonly after: Schema;
  readonly direction: Direction;
}

const labelOf = (direction: Direction): string => (direction === 'request' ? 'request field' : 'Job property');

/** Enum values removed (breaking for a request) and added (a change for a response), between two enums of one kind. */
function enumChanges({ field, direction }: FieldPair, a: Extract<ValueKind, { type: 'enum' }>, b: Extract<ValueKind, { type: 'enum' }>): ContractChange[] {
  const label = labelOf(direction);
  const removed = a.values.filter((value) => !b.values.some((other) => other === value));
  const added = b.values.filter((value) => !a.values.some((other) => other === value));
  const changes: ContractChange[] = [];
  if (removed.length > 0) {
    changes.push({
      id: `${direction}-property-enum-value-removed`,
      level: direction === 'request' ? 'breaking' : 'change',
      area: direction,
      field,
      values: removed,
      message: `${label} ${code(field)}: enum ${direction === 'request' ? 'narrowed' : 'value removed'}: ${removed.map(show).join(', ')} ${removed.length === 1 ? 'is' : 'are'} no longer in it (now ${b.values.map(show).join(', ')})`,
    });
  }
  if (added.length > 0) {
    changes.push({
      id: `${direction}-property-enum-value-added`,
      level: direction === 'request' ? 'addition' : 'change',
      area: direction,
      field,
      values: added,
      message: `${label} ${code(field)}: enum value${added.length === 1 ? '' : 's'} ${added.map(show).join(', ')} added${direction === 'response' ? ' (a client that knows only the old values may not expect it)' : ''}`,
    });
  }
  return changes;
}

/** A field of another kind: breaking unless the new kind accepts every old value (request) or is narrower (response). */
function typeChange({ field, direction }: FieldPair, a: ValueKind, b: ValueKind): ContractChange {
  const fine = direction === 'request' ? widens(a, b) : widens(b, a);
  return {
    id: `${direction}-property-type-changed`,
    level: fine ? 'change' : 'breaking',
    area: direction,
    field,
    message: `${labelOf(direction)} ${code(field)} retyped: ${describeKind(a)} -> ${describeKind(b)}${fine ? (direction === 'request' ? ' (it accepts more)' : ' (a narrower value)') : ''}`,
  };
}

/** Nullability, a request field's narrowed constraints, a new self-contradiction: the changes besides the kind. */
function otherFieldChanges({ field, before, after, direction }: FieldPair): ContractChange[] {
  const label = labelOf(direction);
  const changes: ContractChange[] = [];
  if (isNullable(before) !== isNullable(after)) {
    const nowNullable = isNullable(after);
    const breaks = direction === 'request' ? !nowNullable : nowNullable;
    changes.push({
      id: `${direction}-property-${nowNullable ? 'became-nullable' : 'became-not-nullable'}`,
      level: breaks ? 'breaking' : 'change',
      area: direction,
      field,
      message: `${label} ${code(field)} ${nowNullable ? 'may now be null' : 'may no longer be null'}`,
    });
  }
  const narrowed = direction === 'request' ? narrowedConstraints(before, after) : [];
  if (narrowed.length > 0) {
    changes.push({ id: 'request-property-constraint-narrowed', level: 'breaking', area: direction, field, message: `${label} ${code(field)} accepts less: ${narrowed.join(', ')}` });
  }
  const contradicted = contradictionsOf(after);
  if (contradicted.length > 0 && contradictionsOf(before).length === 0) {
    changes.push({
      id: `${direction}-property-contradicts-itself`,
      level: 'change',
      area: direction,
      field,
      message: `${label} ${code(field)} now contradicts itself: ${contradicted.map((c) => c.message).join('; ')}`,
    });
  }
  return changes;
}

/**
 * The changes between two schemas of one field, and of the fields inside it (an object's properties, an array's
 * items), as a client that sends (`request`) or reads (`response`) it sees them.
 */
function compareField(field: string, before: Schema, after: Schema, direction: Direction, out: ContractChange[], depth = 0): void {
  const pair: FieldPair = { field, before, after, direction };
  const a = kindOf(before);
  const b = kindOf(after);
  if (a.type === 'enum' && b.type === 'enum' && a.of === b.of) out.push(...enumChanges(pair, a, b));
  else if (!sameKind(a, b)) {
    out.push(typeChange(pair, a, b));
    return;
  }
  out.push(...otherFieldChanges(pair));
  if (depth >= DEPTH) return;
  if (a.type === 'object' && b.type === 'object') compareProperties(field, before, after, direction, out, depth + 1);
  if (a.type === 'array' && b.type === 'array') {
    const itemsBefore = (before as { items?: Schema }).items;
    const itemsAfter = (after as { items?: Schema }).items;
    if (itemsBefore !== undefined && itemsAfter !== undefined) compareField(`${field}[]`, itemsBefore, itemsAfter, direction, out, depth + 1);
  }
}

function kindWithNote(schema: Schema): string {
  const contradictions = contradictionsOf(schema);
  const kind = describeKind(kindOf(schema));
  return contradictions.length === 0 ? kind : `${kind}, which contradicts itself (${contradictions.map((c) => c.message).join('; ')})`;
}

/** Fields removed and added between two object schemas, and the changes of the fields both have. */
function compareProperties(
  prefix: string,
  before: Schema,
  after: Schema,
  direction: 'request' | 'response',
  out: ContractChange[],
  depth: number,
): void {
  const a = propertiesOf(before);
  const b = propertiesOf(after);
  const requiredA = requiredOf(before);
  const requiredB = requiredOf(after);
  const label = direction === 'request' ? 'request field' : 'Job property';
  const dotted = (name: string) => (prefix === '' ? name : `${prefix}.${name}`);
  const added = Object.keys(b).filter((name) => !(name in a));
  for (const [name, schema] of Object.entries(a)) {
    const field = dotted(name);
    const now = b[name];
    if (now === undefined) {
      const description = schema.description?.trim();
      const renamed = added.filter((other) => {
        const otherDescription = b[other]!.description?.trim();
        return (description !== undefined && description === otherDescription) || other.startsWith(name) || name.startsWith(other);
      });
      const hint = renamed.length > 0 ? ` (renamed? the new document has ${renamed.map((other) => code(dotted(other))).join(', ')})` : '';
      out.push({
        id: `${direction}-property-removed`,
        level: 'breaking',
        area: direction,
        field,
        message:
          direction === 'request'
            ? `request field ${code(field)} (${describeKind(kindOf(schema))}) removed: a client that sends it is no longer understood${hint}`
            : `Job property ${code(field)} (${describeKind(kindOf(schema))}) removed: a client that reads it no longer finds it${hint}`,
      });
      continue;
    }
    compareField(field, schema, now, direction, out, depth);
    if (requiredB.includes(name) && !requiredA.includes(name) && direction === 'request') {
      out.push({ id: 'request-property-became-required', level: 'breaking', area: 'request', field, message: `request field ${code(field)} is now required` });
    }
    if (requiredA.includes(name) && !requiredB.includes(name) && direction === 'response') {
      out.push({
        id: 'response-required-property-became-optional',
        level: 'breaking',
        area: 'response',
        field,
        message: `Job property ${code(field)} is no longer required: a client that relies on it may not find it`,
      });
    }
  }
  for (const name of added) {
    const schema = b[name]!;
    const field = dotted(name);
    if (direction === 'request' && requiredB.includes(name)) {
      out.push({
        id: 'new-required-request-property',
        level: 'breaking',
        area: 'request',
        field,
        message: `request field ${code(field)} added, required: ${kindWithNote(schema)}; a client that does not send it is refused`,
      });
    } else {
      out.push({ id: `${direction}-property-added`, level: 'addition', area: direction, field, message: `${label} ${code(field)} added: ${kindWithNote(schema)}` });
    }
  }
}

function normalServer(url: string): string {
  return url.replace(/\/+$/, '');
}

/** The identity of a security scheme, whatever it is called in the document. */
function schemeKey(scheme: SecuritySchemeFact): string {
  return scheme.text.toLowerCase();
}

function compareSecurity(a: OperationModel, b: OperationModel, out: ContractChange[]): void {
  const before = new Map(a.securitySchemes.map((scheme) => [schemeKey(scheme), scheme]));
  const after = new Map(b.securitySchemes.map((scheme) => [schemeKey(scheme), scheme]));
  for (const [key, scheme] of before) {
    if (!after.has(key)) {
      out.push({
        id: 'security-scheme-removed',
        level: 'breaking',
        area: 'security',
        scheme: scheme.text,
        message: `security: ${scheme.text} (${scheme.name}) is no longer accepted`,
      });
    }
  }
  for (const [key, scheme] of after) {
    if (!before.has(key)) {
      out.push({ id: 'security-scheme-added', level: 'addition', area: 'security', scheme: scheme.text, message: `security: ${scheme.text} (${scheme.name}) is accepted` });
    }
  }
  // Alternatives, by the schemes' identities: one that was enough alone and now needs another beside it breaks.
  const alternatives = (model: OperationModel) =>
    model.securityRequirements.map((names) =>
      names
        .map((name) => model.securitySchemes.find((scheme) => scheme.name === name))
        .filter((scheme): scheme is SecuritySchemeFact => scheme !== undefined)
        .map(schemeKey)
        .sort()
        .join(' + '),
    );
  const altA = alternatives(a);
  const altB = alternatives(b);
  for (const alternative of altA) {
    const schemes = alternative.split(' + ');
    if (!altB.includes(alternative) && schemes.every((key) => after.has(key))) {
      out.push({
        id: 'security-requirements-changed',
        level: 'breaking',
        area: 'security',
        scheme: alternative,
        message: `security: ${alternative || 'no credentials'} is no longer enough on its own (now: ${altB.join(', or ') || 'none'})`,
      });
    }
  }
}

function statusesOf(model: OperationModel): string[] {
  return Object.keys(model.operation.definition.responses ?? {});
}

function compareResponses(a: OperationModel, b: OperationModel, out: ContractChange[]): void {
  const before = statusesOf(a);
  const after = statusesOf(b);
  for (const status of before) {
    if (!after.includes(status)) {
      out.push({
        id: 'response-status-removed',
        level: 'breaking',
        area: 'response',
        status,
        message: `response ${status} is no longer documented${/^\d/.test(status) && after.includes('default') ? ' (it falls under default now)' : ''}`,
      });
    }
  }
  for (const status of after) {
    if (!before.includes(status)) out.push({ id: 'response-status-added', level: 'addition', area: 'response', status, message: `response ${status} documented` });
  }
  for (const status of before.filter((s) => after.includes(s))) {
    const mediaA = Object.keys((a.operation.definition.responses[status] as OpenAPIV3.ResponseObject).content ?? {});
    const mediaB = Object.keys((b.operation.definition.responses[status] as OpenAPIV3.ResponseObject).content ?? {});
    for (const media of mediaA.filter((m) => !mediaB.includes(m))) {
      out.push({ id: 'response-media-type-removed', level: 'breaking', area: 'response', status, message: `response ${status}: media type ${media} removed` });
    }
    for (const media of mediaB.filter((m) => !mediaA.includes(m))) {
      out.push({ id: 'response-media-type-added', level: 'addition', area: 'response', status, message: `response ${status}: media type ${media} added` });
    }
  }
  // The Job, and the error body, field by field.
  compareProperties('', a.jobSchema, b.jobSchema, 'response', out, 0);
  const errorA = errorSchema(a);
  const errorB = errorSchema(b);
  if (errorA !== undefined && errorB !== undefined) {
    const errors: ContractChange[] = [];
    compareProperties('', errorA, errorB, 'response', errors, 0);
    out.push(...errors.map((change) => ({ ...change, message: change.message.replace(/^Job property/, 'error body property') })));
  }
}

function errorSchema(model: OperationModel): Schema | undefined {
  const content = (model.operation.definition.responses.default as OpenAPIV3.ResponseObject | undefined)?.content ?? {};
  const media = Object.keys(content).find(isJsonMediaType);
  return media === undefined ? undefined : (content[media]?.schema as Schema | undefined);
}

function compareRequest(a: OperationModel, b: OperationModel, out: ContractChange[]): void {
  if (b.bodyRequired && !a.bodyRequired) {
    out.push({ id: 'request-body-became-required', level: 'breaking', area: 'request', message: 'the request body is now required: a client that sends none is refused' });
  }
  for (const media of a.requestMediaTypes.filter((m) => !b.requestMediaTypes.includes(m))) {
    out.push({ id: 'request-body-media-type-removed', level: 'breaking', area: 'request', message: `request media type ${media} removed` });
  }
  for (const media of b.requestMediaTypes.filter((m) => !a.requestMediaTypes.includes(m))) {
    out.push({ id: 'request-body-media-type-added', level: 'addition', area: 'request', message: `request media type ${media} added` });
  }
  const schemaOf = (model: OperationModel): Schema => ({ type: 'object', properties: Object.fromEntries(model.bodyFields.map((f: BodyField) => [f.name, f.schema])), required: model.bodyFields.filter((f) => f.required).map((f) => f.name) });
  compareProperties('', schemaOf(a), schemaOf(b), 'request', out, 0);
}

function compareOperation(a: OperationModel, b: OperationModel, out: ContractChange[]): void {
  if (a.method !== b.method) {
    out.push({ id: 'method-changed', level: 'breaking', area: 'operation', message: `the method changed: ${a.method} -> ${b.method}` });
  }
  const template = (p: string) => p.replace(/\{[^}]*\}/g, '{}');
  if (template(a.fullPath) !== template(b.fullPath)) {
    out.push({
      id: 'path-moved',
      level: 'breaking',
      area: 'operation',
      message: `the operation moved: ${a.fullPath} -> ${b.fullPath} (base path ${a.basePath || '(none)'} -> ${b.basePath || '(none)'}, path ${a.path} -> ${b.path})`,
    });
  } else if (a.fullPath !== b.fullPath) {
    out.push({ id: 'path-parameter-renamed', level: 'change', area: 'operation', message: `the path parameter was renamed: ${a.fullPath} -> ${b.fullPath}` });
  }
  const serversA = a.servers.map(normalServer);
  const serversB = b.servers.map(normalServer);
  for (const server of serversA.filter((s) => !serversB.includes(s))) {
    out.push({ id: 'server-removed', level: 'breaking', area: 'operation', message: `server ${server} removed (servers now: ${serversB.join(', ') || 'none'})` });
  }
  for (const server of serversB.filter((s) => !serversA.includes(s))) {
    out.push({ id: 'server-added', level: 'addition', area: 'operation', message: `server ${server} added` });
  }
  const idA = describeKind(kindOf(a.idParameter.schema));
  const idB = describeKind(kindOf(b.idParameter.schema));
  if (idA !== idB) {
    out.push({ id: 'path-parameter-type-changed', level: 'breaking', area: 'operation', message: `path parameter ${code(b.idParameter.name)} retyped: ${idA} -> ${idB}` });
  }
  if (a.operationId !== b.operationId) {
    out.push({ id: 'operation-id-changed', level: 'change', area: 'operation', message: `operationId ${a.operationId} -> ${b.operationId} (generated clients rename the call)` });
  }
  if (!a.hasGet && b.read !== undefined) {
    out.push({
      id: 'read-added',
      level: 'addition',
      area: 'operation',
      message: `GET ${b.fullPath} added (${b.read.operationId}): a read of the job that writes nothing${b.read.returnsJob ? ', returning the same Job' : ''}`,
    });
  }
  if (a.read !== undefined && !b.hasGet) {
    out.push({ id: 'read-removed', level: 'breaking', area: 'operation', message: `GET ${a.fullPath} removed (${a.read.operationId}): the job can only be read with ${b.method} {}` });
  }
}

const LEVEL_ORDER: Record<ChangeLevel, number> = { breaking: 0, addition: 1, change: 2 };

/** The changes to the tested operation from `before` to `after`, breaking ones first. */
export function diffModels(before: OperationModel, after: OperationModel): ContractDiff {
  const changes: ContractChange[] = [];
  compareOperation(before, after, changes);
  compareRequest(before, after, changes);
  compareResponses(before, after, changes);
  compareSecurity(before, after, changes);
  const sorted = changes
    .map((change, index) => ({ change, index }))
    .sort((x, y) => LEVEL_ORDER[x.change.level] - LEVEL_ORDER[y.change.level] || x.index - y.index)
    .map(({ change }) => change);
  return {
    old: side(before),
    new: side(after),
    changes: sorted,
    breakingCount: sorted.filter((c) => c.level === 'breaking').length,
    additionCount: sorted.filter((c) => c.level === 'addition').length,
    otherCount: sorted.filter((c) => c.level === 'change').length,
  };
}

/** The diff when the new document does not have the operation: one breaking change. */
export function diffRemoved(before: OperationModel, after: { readonly source: string; readonly format: string }): ContractDiff {
  const change: ContractChange = {
    id: 'operation-removed',
    level: 'breaking',
    area: 'operation',
    message: `${before.operationId} (${before.method} ${before.fullPath}) is not in the new document`,
  };
  return {
    old: side(before),
    new: { source: shownSource(after.source), format: after.format, operationId: '', operation: '' },
    changes: [change],
    breakingCount: 1,
    additionCount: 0,
    otherCount: 0,
  };
}

const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;

/** The diff as text: a heading, the changes by level, a summary line. */
export function formatDiff(diff: ContractDiff): string {
  const lines = [
    `${diff.old.source} (${diff.old.format}) -> ${diff.new.source} (${diff.new.format})`,
    `${diff.old.operationId}: ${diff.old.operation} -> ${diff.new.operation === '' ? '(none)' : `${diff.new.operationId}: ${diff.new.operation}`}`,
  ];
  const width = Math.max(0, ...diff.changes.map((c) => c.id.length));
  const section = (level: ChangeLevel, title: string) => {
    const of = diff.changes.filter((c) => c.level === level);
    if (of.length === 0) return;
    lines.push('', `${title} (${of.length}):`);
    for (const change of of) lines.push(`  ${change.id.padEnd(width)}  ${change.message}`);
  };
  section('breaking', 'Breaking');
  section('addition', 'Additions');
  section('change', 'Other changes');
  lines.push(
    '',
    `${plural(diff.breakingCount, 'breaking change')}, ${plural(diff.additionCount, 'addition')}, ${plural(diff.otherCount, 'other change')}` +
      (diff.breakingCount > 0 ? ': a client of the old document may break' : diff.changes.length === 0 ? ': the operation is the same' : ': nothing breaks a client of the old document'),
  );
  return lines.join('\n');
}
