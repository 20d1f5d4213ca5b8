/**
 * The facts the arbitraries are built from, read once from the loaded contract (never copied by hand): the request
 * body's properties and their kinds, the Job's properties, the path id's integer range, the security schemes.
 * Where the document is silent, BEHAVIOUR.md decides, and the comment says so.
 */
import type { OpenAPIV3 } from 'openapi-types';
import { UserError } from '../errors';
import type { Contract } from '../contract/load';
import {
  findOperation,
  pathParameter,
  requestBodySchema,
  responseFor,
  securityFacts,
  type SecurityFacts,
} from '../contract/operation';

export const OPERATION_ID = 'updateJob';
export const ID_PARAMETER = 'jobId';

/** How a request body property is generated. */
export type FieldKind =
  /** `type: string`, no format, no enum: any JSON string. */
  | { readonly type: 'string' }
  /** `type: string, format: date-time`: RFC 3339, plus the forms BEHAVIOUR.md leaves open. */
  | { readonly type: 'date-time' }
  /**
   * A string enum. `numeric`: every value spells an integer, and BEHAVIOUR.md then accepts the JSON numbers too
   * (the isProcessing rule: "0","1","-2" and 0, 1, -2).
   */
  | { readonly type: 'enum'; readonly values: readonly string[]; readonly numeric: boolean };

export interface BodyField {
  readonly name: string;
  readonly kind: FieldKind;
  readonly schema: OpenAPIV3.SchemaObject;
  /** The Job property of the same name, when the update shows up in the Job (name, due, isProcessing). */
  readonly jobSchema?: OpenAPIV3.SchemaObject;
}

export interface ContractFacts {
  readonly operationId: string;
  readonly bodyFields: readonly BodyField[];
  /** The 200 response's (Job) properties. */
  readonly jobProperties: Readonly<Record<string, OpenAPIV3.SchemaObject>>;
  /** Job properties the request schema lacks: sending them must change nothing. */
  readonly readOnlyFields: Readonly<Record<string, OpenAPIV3.SchemaObject>>;
  /** The smallest and largest id that is a valid integer for the path parameter. */
  readonly idRange: { readonly min: bigint; readonly max: bigint };
  readonly security: SecurityFacts;
}

const INTEGER_SPELLING = /^-?(0|[1-9]\d*)$/;

function kindOf(name: string, schema: OpenAPIV3.SchemaObject): FieldKind {
  if (schema.type !== 'string') {
    throw new UserError(`request body property '${name}' has type ${String(schema.type)}; only string properties are generated`);
  }
  if (Array.isArray(schema.enum)) {
    const values = schema.enum.map(String);
    return { type: 'enum', values, numeric: values.length > 0 && values.every((v) => INTEGER_SPELLING.test(v)) };
  }
  if (schema.format === 'date-time') return { type: 'date-time' };
  return { type: 'string' };
}

function propertiesOf(schema: OpenAPIV3.SchemaObject | undefined): Record<string, OpenAPIV3.SchemaObject> {
  return (schema?.properties ?? {}) as Record<string, OpenAPIV3.SchemaObject>;
}

/** The id range: the schema's minimum/format where given; otherwise BEHAVIOUR.md's "positive" and "below 2^63". */
function idRangeOf(schema: OpenAPIV3.SchemaObject): { min: bigint; max: bigint } {
  if (schema.type !== 'integer') {
    throw new UserError(`path parameter '${ID_PARAMETER}' has type ${String(schema.type)}; expected integer`);
  }
  const formatMax = schema.format === 'int32' ? 2n ** 31n - 1n : 2n ** 63n - 1n;
  const min = typeof schema.minimum === 'number' ? BigInt(Math.ceil(schema.minimum)) : 1n;
  const max = typeof schema.maximum === 'number' ? BigInt(Math.floor(schema.maximum)) : formatMax;
  return { min: min < 1n ? 1n : min, max };
}

export function contractFacts(contract: Contract): ContractFacts {
  const operation = findOperation(contract, OPERATION_ID);
  const request = propertiesOf(requestBodySchema(operation));
  const ok = responseFor(operation, 200)?.content?.['application/json']?.schema as OpenAPIV3.SchemaObject | undefined;
  const jobProperties = propertiesOf(ok);
  const bodyFields: BodyField[] = Object.entries(request).map(([name, schema]) => {
    const jobSchema = jobProperties[name];
    return jobSchema ? { name, kind: kindOf(name, schema), schema, jobSchema } : { name, kind: kindOf(name, schema), schema };
  });
  const readOnlyFields = Object.fromEntries(Object.entries(jobProperties).filter(([name]) => !(name in request)));
  const idSchema = pathParameter(operation, ID_PARAMETER).schema as OpenAPIV3.SchemaObject;
  return {
    operationId: OPERATION_ID,
    bodyFields,
    jobProperties,
    readOnlyFields,
    idRange: idRangeOf(idSchema),
    security: securityFacts(contract, operation),
  };
}

/** The value the Job shows for an accepted field value: an integer Job property gets the number (isProcessing). */
export function jobValueOf(field: BodyField, value: string | number): string | number {
  return field.jobSchema?.type === 'integer' ? Number(value) : value;
}
