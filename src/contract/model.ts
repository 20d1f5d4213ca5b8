/**
 * The one model of `PUT /v2/jobs/{jobId}` (operation `updateJob`, or the one `--operation` names), read out of the
 * contract once per Contract: the method, the path and its id parameter, the base path and servers, whether the path
 * has a GET, the statuses and media types, the body fields and the Job's properties with their kinds (and a flag for
 * one that contradicts itself, with how a run treats it), which Job fields an update writes and which it cannot, the
 * security schemes and the quota the document's prose states. The reference provider, the arbitraries, the
 * cases, the checks and the run configuration all read it; nothing else names a field, status or media type by
 * hand. Where the document is silent, BEHAVIOUR.md decides, and the comment says so.
 */
import type { OpenAPIV3 } from 'openapi-types';
import { UserError } from '../errors';
import { selfContradiction, type SelfContradiction } from './contradictions';
import { declaredTypes, describeKind, isNullable, kindOf, propertiesOf as mergedPropertiesOf, requiredOf, type ValueKind } from './kinds';
import { shownSource, type Contract, type DocumentFormat } from './load';
import {
  explicitStatuses,
  isJsonMediaType,
  parametersOf,
  requestBodyOf,
  requestBodySchema,
  responseFor,
  securityFacts,
  selectedOperation,
  siblingOperation,
  type Operation,
  type SecurityFacts,
} from './operation';
import { servedFrom } from './selector';

/** The operation this project is about, unless `--operation` names another. The only name the model takes from outside the document. */
export const OPERATION_ID = 'updateJob';

type Schema = OpenAPIV3.SchemaObject;

/** How a request body property behaves (and is generated, and probed): by its schema. */
export type FieldKind =
  /** `type: string`, no format, no enum: any JSON string. */
  | { readonly type: 'string' }
  /** `type: string, format: date-time`: RFC 3339, plus the forms BEHAVIOUR.md leaves open. */
  | { readonly type: 'date-time' }
  /**
   * A string enum. `numeric`: every value spells an integer, and BEHAVIOUR.md then accepts the JSON numbers too
   * (the isProcessing rule: "0", "1", "-2" and 0, 1, -2).
   */
  | { readonly type: 'enum'; readonly values: readonly string[]; readonly numeric: boolean };

/**
 * A property of the request body whose kind is one of FieldKind's (a string, a date-time, a string enum): the ones
 * the arbitraries and cases generate today. `bodyFields` has every property, of any kind.
 */
export interface RequestField {
  readonly name: string;
  readonly kind: FieldKind;
  /** The request body's schema for it. */
  readonly schema: Schema;
  /** The Job property of the same name, when the Job has one (name, due, isProcessing; not processingErrorMsg). */
  readonly jobSchema?: Schema;
}

/** A request field the update writes onto the Job (the Job has it, and it is not the id). */
export interface UpdatableField extends RequestField {
  readonly jobSchema: Schema;
  /** The JSON type of the Job property (`integer` for isProcessing, which is sent as a string enum). */
  readonly jobType: string | undefined;
  /** The Job property's format, if any (`date-time` for due). */
  readonly jobFormat: string | undefined;
  /** The request schema's enum, if any (isProcessing: '0', '1', '-2'). */
  readonly requestEnum: readonly unknown[] | undefined;
}

/** The path parameter that carries the job id. */
export interface IdParameter {
  readonly name: string;
  readonly schema: Schema;
  /** The smallest and largest id that is a valid integer for it. */
  readonly range: { readonly min: bigint; readonly max: bigint };
}

export interface MediaTypes {
  /** The JSON media type of the 200 response (the Job). */
  readonly job: string;
  /** The media types the 401 response documents, as written. */
  readonly unauthorized: readonly string[];
  /** The one a server answers a 401 with: text/plain where documented, else the first. Undefined: no 401 body. */
  readonly unauthorizedPreferred: string | undefined;
  /** The JSON media type of the errors' body (`default`). Undefined: the document gives errors no JSON body. */
  readonly error: string | undefined;
}

/** The quota the document's prose states ("a general quota of 4000 requests per minute ... wait 60 seconds"). */
export interface DocumentedQuota {
  readonly perMinute: number;
  /** How long to wait after hitting it, in milliseconds. */
  readonly waitMs: number;
}

/**
 * The LILT document's "Quotas" figures, used for the one the prose no longer states (and by callers whose document
 * states no quota at all): 4000 requests a minute, then wait 60 seconds.
 */
export const FALLBACK_QUOTA: DocumentedQuota = { perMinute: 4000, waitMs: 60_000 };

/** A field of the request body or a property of the Job, with its kind. */
export interface ModelField {
  readonly name: string;
  readonly schema: Schema;
  readonly kind: ValueKind;
  /** The kind in words: `integer`, `date-time string`, `string enum of integers ("0", "1", "-2")`. */
  readonly kindText: string;
  /** null is a valid value (`nullable: true`, or `null` in a 3.1 type list). */
  readonly nullable: boolean;
  /** Listed in its object's `required`. */
  readonly required: boolean;
  /** Set when the field contradicts itself (type vs format, description, example or enum), with how a run treats it. */
  readonly contradiction: SelfContradiction | undefined;
}

/** A property of the request body, of any kind. */
export interface BodyField extends ModelField {
  /**
   * The Job property of the same name, when the Job has one: the update writes it and a read shows it. Undefined
   * (processingErrorMsg; LILT's `dueDate` beside the Job's `due`): the field is sent and judged for its status and
   * for everything else staying as it was, not read back.
   */
  readonly jobProperty: ModelField | undefined;
  /** Its kind in FieldKind's terms, where it has one; `requestFields` lists exactly the fields that have one. */
  readonly fieldKind: FieldKind | undefined;
}

/** A read of the job the document offers on the same path: GET, which writes nothing. */
export interface ReadOperation {
  readonly operation: Operation;
  readonly operationId: string;
  /** Its 200 response is the same Job schema as the update's (same properties). */
  readonly returnsJob: boolean;
}

/** A security scheme the operation accepts. */
export interface SecuritySchemeFact {
  /** Its name in the document (`BasicAuth`). */
  readonly name: string;
  readonly type: 'http' | 'apiKey' | 'oauth2' | 'openIdConnect' | 'mutualTLS' | 'unknown';
  /** For `http`: `basic`, `bearer`, ... (lower case). */
  readonly scheme?: string;
  /** For `apiKey`: where the key goes, and its parameter or header name. */
  readonly in?: 'query' | 'header' | 'cookie';
  readonly parameter?: string;
  /** In words: `HTTP basic`, `API key in query parameter "key"`. */
  readonly text: string;
}

export interface OperationModel {
  readonly contract: Contract;
  readonly operation: Operation;
  readonly operationId: string;
  /** Upper-case HTTP method, e.g. `PUT`. */
  readonly method: string;
  /** The path template, e.g. `/v2/jobs/{jobId}`. */
  readonly path: string;
  /** The full path (the base path and the template) as a fastify route, e.g. `/v2/jobs/:jobId`, `/2/jobs/:jobId`. */
  readonly route: string;
  readonly idParameter: IdParameter;
  /** Statuses written out in the document (200, 401). */
  readonly explicitStatuses: readonly number[];
  /** Whether `default` documents the errors (4xx, 5xx) not written out. */
  readonly hasDefault: boolean;
  readonly mediaTypes: MediaTypes;
  /**
   * The properties of the errors' body (`default`: the Error schema), which BEHAVIOUR.md reads as required
   * (`{"message": string}`), though the schema lists none as required.
   */
  readonly errorProperties: readonly string[];
  /** The errors' body's first string property, which carries the message. Undefined: it has none. */
  readonly errorMessageProperty: string | undefined;
  /** The request body's properties, in the document's order. */
  readonly requestFields: readonly RequestField[];
  /** The same, by name. */
  readonly requestFieldsByName: Readonly<Record<string, RequestField>>;
  /** Request fields the Job also has, but the id: the update writes them (name, due, isProcessing). */
  readonly updatableFields: readonly UpdatableField[];
  /** Job properties the request schema lacks (id, status, stats, ...): sending them must change nothing. */
  readonly readOnlyFields: Readonly<Record<string, Schema>>;
  /** Job properties with format date-time (compared as instants). */
  readonly dateTimeFields: readonly string[];
  /** The Job property the path id names. */
  readonly idField: string;
  /** The 200 response's schema (the Job). */
  readonly jobSchema: Schema;
  /** The Job's properties, with their schemas. */
  readonly jobProperties: Readonly<Record<string, Schema>>;
  readonly security: SecurityFacts;
  /** Undefined when the document's prose states no quota. */
  readonly quota: DocumentedQuota | undefined;

  /** What the document is (OpenAPI 3.0.3, Swagger 2.0 converted, ...). */
  readonly format: DocumentFormat;
  /** The path every path template is served under: `/2`, `/v2`, or `` (none); from `servers` or Swagger's basePath. */
  readonly basePath: string;
  /** The servers' URLs (Swagger 2.0: scheme, host and basePath). */
  readonly servers: readonly string[];
  /** The base path and the path template together: `/2/jobs/{jobId}`, `/v2/jobs/{jobId}`. */
  readonly fullPath: string;
  /** Every property of the request body, in the document's order, with its kind. */
  readonly bodyFields: readonly BodyField[];
  /** The same, by name. */
  readonly bodyFieldsByName: Readonly<Record<string, BodyField>>;
  /** The request body is required (`requestBody.required: true`). */
  readonly bodyRequired: boolean;
  /** Every property of the Job (the 200 response), with its kind. */
  readonly jobFields: readonly ModelField[];
  /** Body fields and Job properties that contradict themselves. */
  readonly contradictions: readonly { readonly where: 'request' | 'response'; readonly field: ModelField }[];
  /** The GET on the same path, when the document has one: a read that writes nothing. */
  readonly read: ReadOperation | undefined;
  /** Whether the path has a GET. */
  readonly hasGet: boolean;
  /** The security schemes the operation accepts (any one of them, or as its requirements combine them). */
  readonly securitySchemes: readonly SecuritySchemeFact[];
  /** The operation's security requirements: alternatives, each the scheme names it needs together. */
  readonly securityRequirements: readonly (readonly string[])[];
  /** Media types of the request body, as written. */
  readonly requestMediaTypes: readonly string[];
}

const INTEGER_SPELLING = /^-?(0|[1-9]\d*)$/;

/** The kind of a `type: string` schema; undefined for any other type (the model refuses those as request fields). */
export function fieldKindOf(schema: Schema): FieldKind | undefined {
  // `type: string`, or a 3.1 type list of a string and null.
  const types = declaredTypes(schema);
  if (types.length !== 1 || types[0] !== 'string') return undefined;
  if (Array.isArray(schema.enum)) {
    const values = schema.enum.map(String);
    return { type: 'enum', values, numeric: values.length > 0 && values.every((v) => INTEGER_SPELLING.test(v)) };
  }
  if (schema.format === 'date-time') return { type: 'date-time' };
  return { type: 'string' };
}

function propertiesOf(schema: Schema | undefined): Record<string, Schema> {
  return mergedPropertiesOf(schema);
}

function modelField(name: string, schema: Schema, required: readonly string[]): ModelField {
  const kind = kindOf(schema);
  return {
    name,
    schema,
    kind,
    kindText: describeKind(kind),
    nullable: isNullable(schema),
    required: required.includes(name),
    contradiction: selfContradiction(schema),
  };
}

function securitySchemeFact(name: string, scheme: OpenAPIV3.SecuritySchemeObject | undefined): SecuritySchemeFact {
  if (scheme === undefined) return { name, type: 'unknown', text: `${name} (not defined in the document)` };
  switch (scheme.type) {
    case 'http': {
      const kind = scheme.scheme.toLowerCase();
      return { name, type: 'http', scheme: kind, text: `HTTP ${kind}` };
    }
    case 'apiKey': {
      const where = scheme.in as 'query' | 'header' | 'cookie';
      const place = where === 'query' ? 'query parameter' : where;
      return { name, type: 'apiKey', in: where, parameter: scheme.name, text: `API key in ${place} "${scheme.name}"` };
    }
    case 'oauth2':
      return { name, type: 'oauth2', text: 'OAuth 2' };
    case 'openIdConnect':
      return { name, type: 'openIdConnect', text: 'OpenID Connect' };
    default:
      return { name, type: (scheme as { type: string }).type === 'mutualTLS' ? 'mutualTLS' : 'unknown', text: String((scheme as { type: string }).type) };
  }
}

/** The id range: the schema's minimum/maximum/format where given; otherwise BEHAVIOUR.md's "positive" and "below 2^63". */
function idRangeOf(schema: Schema, name: string, file: string): { min: bigint; max: bigint } {
  if (schema.type !== 'integer') {
    throw new UserError(`${file}: path parameter '${name}' has type ${String(schema.type)}; expected integer`);
  }
  const formatMax = schema.format === 'int32' ? 2n ** 31n - 1n : 2n ** 63n - 1n;
  const min = typeof schema.minimum === 'number' ? BigInt(Math.ceil(schema.minimum)) : 1n;
  const max = typeof schema.maximum === 'number' ? BigInt(Math.floor(schema.maximum)) : formatMax;
  return { min: min < 1n ? 1n : min, max };
}

/** A positive whole number, or undefined. */
function positive(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text.replace(/,/g, ''));
  return Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

/**
 * The quota in the document's prose (`info.description`): "a general quota of N requests per minute" and "wait N
 * seconds". Undefined when it states neither; a figure it does not state is the fallback's.
 */
function documentedQuotaOf(document: OpenAPIV3.Document): DocumentedQuota | undefined {
  const prose = document.info.description ?? '';
  const perMinute = positive(/quota of\s+([\d,]+)\s+requests per minute/i.exec(prose)?.[1]);
  const waitSeconds = positive(/wait\s+(\d+)\s+seconds/i.exec(prose)?.[1]);
  if (perMinute === undefined && waitSeconds === undefined) return undefined;
  return {
    perMinute: perMinute ?? FALLBACK_QUOTA.perMinute,
    waitMs: waitSeconds === undefined ? FALLBACK_QUOTA.waitMs : waitSeconds * 1000,
  };
}

function idParameterOf(operation: Operation, file: string): IdParameter {
  const pathParameters = parametersOf(operation).filter((p) => p.in === 'path');
  if (pathParameters.length !== 1) {
    throw new UserError(`${file}: ${operation.operationId} must have exactly one path parameter (the job id)`);
  }
  const parameter = pathParameters[0]!;
  const schema = (parameter.schema ?? {}) as Schema;
  return { name: parameter.name, schema, range: idRangeOf(schema, parameter.name, file) };
}

/** The Job: the 200 response's JSON media type and schema, its properties, and its id property. */
interface JobPart {
  readonly jobMediaType: string;
  readonly jobSchema: Schema;
  readonly jobProperties: Record<string, Schema>;
  readonly idField: string;
}

function jobPartOf(operation: Operation, file: string): JobPart {
  const okContent = responseFor(operation, 200)?.content ?? {};
  const jobMediaType = Object.keys(okContent).find(isJsonMediaType);
  if (jobMediaType === undefined) throw new UserError(`${file}: ${operation.operationId} documents no JSON 200 response`);
  const jobSchema = (okContent[jobMediaType]?.schema ?? {}) as Schema;
  const jobProperties = propertiesOf(jobSchema);
  const idField = 'id' in jobProperties ? 'id' : '';
  if (idField === '') throw new UserError(`${file}: the Job schema has no id property`);
  return { jobMediaType, jobSchema, jobProperties, idField };
}

/** The request body: its media types as written, and the schema of its JSON one (application/json first). */
interface RequestPart {
  readonly requestMediaTypes: string[];
  readonly requestSchema: Schema | undefined;
}

function requestPartOf(operation: Operation): RequestPart {
  const requestMediaTypes = Object.keys(requestBodyOf(operation)?.content ?? {});
  const requestMediaType = requestMediaTypes.includes('application/json') ? 'application/json' : requestMediaTypes.find(isJsonMediaType);
  return { requestMediaTypes, requestSchema: requestMediaType === undefined ? undefined : requestBodySchema(operation, requestMediaType) };
}

type FieldsPart = Pick<
  OperationModel,
  'jobFields' | 'bodyFields' | 'bodyFieldsByName' | 'requestFields' | 'requestFieldsByName' | 'updatableFields' | 'readOnlyFields' | 'contradictions'
>;

/** The body's fields and the Job's properties with their kinds, and what follows from them: what an update writes, what it cannot. */
function fieldsOf({ jobSchema, jobProperties, idField }: JobPart, { requestSchema }: RequestPart): FieldsPart {
  const requestProperties = propertiesOf(requestSchema);
  const requestRequired = requiredOf(requestSchema);
  const jobRequired = requiredOf(jobSchema);
  const jobFields = Object.entries(jobProperties).map(([name, schema]) => modelField(name, schema, jobRequired));
  const jobFieldsByName = Object.fromEntries(jobFields.map((field) => [field.name, field]));
  const bodyFields: BodyField[] = Object.entries(requestProperties).map(([name, schema]) => ({
    ...modelField(name, schema, requestRequired),
    jobProperty: jobFieldsByName[name],
    fieldKind: fieldKindOf(schema),
  }));
  // The fields FieldKind describes (strings, date-times, string enums): what the arbitraries and cases generate.
  const requestFields: RequestField[] = bodyFields.flatMap((field) => {
    if (field.fieldKind === undefined) return [];
    const { name, schema } = field;
    const jobSchema = jobProperties[name];
    return [jobSchema === undefined ? { name, kind: field.fieldKind, schema } : { name, kind: field.fieldKind, schema, jobSchema }];
  });
  const updatableFields: UpdatableField[] = requestFields.flatMap((field) => {
    const jobField = field.jobSchema;
    if (jobField === undefined || field.name === idField) return [];
    return [{ ...field, jobSchema: jobField, jobType: jobField.type, jobFormat: jobField.format, requestEnum: field.schema.enum }];
  });
  return {
    jobFields,
    bodyFields,
    bodyFieldsByName: Object.fromEntries(bodyFields.map((field) => [field.name, field])),
    requestFields,
    requestFieldsByName: Object.fromEntries(requestFields.map((field) => [field.name, field])),
    updatableFields,
    readOnlyFields: Object.fromEntries(Object.entries(jobProperties).filter(([name]) => !(name in requestProperties))),
    contradictions: [
      ...bodyFields.filter((field) => field.contradiction !== undefined).map((field) => ({ where: 'request' as const, field })),
      ...jobFields.filter((field) => field.contradiction !== undefined).map((field) => ({ where: 'response' as const, field })),
    ],
  };
}

/** The GET on the same path, when the document has one (and the operation is not itself a GET). */
function readOperationOf(contract: Contract, operation: Operation, jobSchema: Schema): ReadOperation | undefined {
  const getOperation = siblingOperation(contract, operation, 'get');
  return getOperation === undefined || operation.method === 'get'
    ? undefined
    : { operation: getOperation, operationId: getOperation.operationId, returnsJob: sameProperties(okJobSchema(getOperation), jobSchema) };
}

/** The operation's security requirements (its own, else the document's) and the schemes they name. */
function securitySchemesOf(contract: Contract, operation: Operation): Pick<OperationModel, 'securityRequirements' | 'securitySchemes'> {
  const requirements = (operation.definition.security ?? contract.document.security ?? []).map((requirement) => Object.keys(requirement));
  const schemes = contract.document.components?.securitySchemes ?? {};
  const securitySchemes = [...new Set(requirements.flat())].map((name) =>
    securitySchemeFact(name, schemes[name] as OpenAPIV3.SecuritySchemeObject | undefined),
  );
  return { securityRequirements: requirements, securitySchemes };
}

/**
 * The errors' body (`default`): its JSON media type, its properties, and the one that holds the message: the first
 * string property, else the first property of no type (any value, so a string too; LILT's Swagger 2.0 Error has one).
 */
function errorBodyOf(operation: Operation): { mediaType: string | undefined; properties: string[]; messageProperty: string | undefined } {
  const defaultContent = (operation.definition.responses.default as OpenAPIV3.ResponseObject | undefined)?.content ?? {};
  const mediaType = Object.keys(defaultContent).find(isJsonMediaType);
  const errorSchema = (mediaType === undefined ? {} : (defaultContent[mediaType]?.schema ?? {})) as Schema;
  const properties = propertiesOf(errorSchema);
  const entries = Object.entries(properties);
  const untyped = (schema: Schema) =>
    schema.type === undefined && [schema.enum, schema.properties, schema.allOf, schema.anyOf, schema.oneOf].every((keyword) => keyword === undefined);
  const messageProperty = (entries.find(([, schema]) => schema.type === 'string') ?? entries.find(([, schema]) => untyped(schema)))?.[0];
  return { mediaType, properties: Object.keys(properties), messageProperty };
}

/** The media types of the response a server gives when the operation has one: the job's, the 401's, the errors'. */
function mediaTypesOf(operation: Operation, jobMediaType: string, errorMediaType: string | undefined): MediaTypes {
  const unauthorized = Object.keys(responseFor(operation, 401)?.content ?? {});
  const unauthorizedPreferred = unauthorized.includes('text/plain') ? 'text/plain' : unauthorized[0];
  return { job: jobMediaType, unauthorized, unauthorizedPreferred, error: errorMediaType };
}

function build(contract: Contract): OperationModel {
  const file = shownSource(contract.file);
  const operation = selectedOperation(contract);
  const job = jobPartOf(operation, file);
  const request = requestPartOf(operation);
  const fields = fieldsOf(job, request);
  const read = readOperationOf(contract, operation, job.jobSchema);
  const served = servedFrom(contract.document);
  const security = securitySchemesOf(contract, operation);
  const errorBody = errorBodyOf(operation);
  return {
    contract,
    operation,
    operationId: operation.operationId,
    method: operation.method.toUpperCase(),
    path: operation.path,
    route: `${served.basePath}${operation.path}`.replace(/\{([^}]+)\}/g, ':$1'),
    idParameter: idParameterOf(operation, file),
    explicitStatuses: explicitStatuses(operation),
    hasDefault: 'default' in operation.definition.responses,
    mediaTypes: mediaTypesOf(operation, job.jobMediaType, errorBody.mediaType),
    errorProperties: errorBody.properties,
    errorMessageProperty: errorBody.messageProperty,
    ...fields,
    dateTimeFields: Object.entries(job.jobProperties)
      .filter(([, schema]) => schema.format === 'date-time')
      .map(([name]) => name),
    idField: job.idField,
    jobSchema: job.jobSchema,
    jobProperties: job.jobProperties,
    security: securityFacts(contract, operation),
    quota: documentedQuotaOf(contract.document),
    format: contract.format,
    basePath: served.basePath,
    servers: served.servers,
    fullPath: `${served.basePath}${operation.path}`,
    bodyRequired: requestBodyOf(operation)?.required === true,
    read,
    hasGet: read !== undefined,
    ...security,
    requestMediaTypes: request.requestMediaTypes,
  };
}

/** The JSON schema of an operation's 200 response, if it has one. */
function okJobSchema(operation: Operation): Schema | undefined {
  const content = responseFor(operation, 200)?.content ?? {};
  const mediaType = Object.keys(content).find(isJsonMediaType);
  return mediaType === undefined ? undefined : (content[mediaType]?.schema as Schema | undefined);
}

function sameProperties(a: Schema | undefined, b: Schema | undefined): boolean {
  const names = (schema: Schema | undefined) => Object.keys(propertiesOf(schema)).sort().join('\n');
  return a !== undefined && b !== undefined && names(a) === names(b);
}

const models = new WeakMap<Contract, OperationModel>();

/**
 * The model of the contract's `updateJob`, computed once per Contract object. Throws a one-line UserError for a
 * contract it cannot model (no such operation, no JSON Job, no id, not one integer path parameter, a request body
 * property that is not a string).
 */
export function operationModel(contract: Contract): OperationModel {
  let model = models.get(contract);
  if (model === undefined) {
    model = build(contract);
    models.set(contract, model);
  }
  return model;
}

/**
 * The value the Job must show after `sent` was accepted for a request field: an integer Job property takes a numeric
 * string as its number (isProcessing "1" shows as 1); anything else shows as sent.
 */
export function expectedJobValue(model: OperationModel, field: string, sent: string | number): string | number;
export function expectedJobValue(model: OperationModel, field: string, sent: unknown): unknown;
export function expectedJobValue(model: OperationModel, field: string, sent: unknown): unknown {
  const type = model.jobProperties[field]?.type;
  if (type === 'integer' && typeof sent === 'string' && /^-?\d+$/.test(sent)) return Number(sent);
  return sent;
}
