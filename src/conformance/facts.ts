/**
 * What the checks need to know about `updateJob`, read once from the contract: the statuses it documents, whether
 * `default` covers errors, the updatable fields (request properties the Job also has), the Job's date-time fields,
 * the request fields' schemas, and the security facts. Nothing here names a field, status or media type by hand
 * except the operation id.
 */
import type { OpenAPIV3 } from 'openapi-types';
import type { Contract } from '../contract/load';
import {
  explicitStatuses,
  findOperation,
  isJsonMediaType,
  requestBodySchema,
  responseFor,
  securityFacts,
  type Operation,
} from '../contract/operation';
import { UserError } from '../errors';
import type { Validators } from '../validation/validators';

export const OPERATION_ID = 'updateJob';

export interface ConformanceFacts {
  readonly contract: Contract;
  readonly validators: Validators;
  readonly operation: Operation;
  readonly method: string;
  /** Statuses written out in the document (200, 401). */
  readonly explicitStatuses: readonly number[];
  /** Whether `default` documents the errors (4xx, 5xx) not written out. */
  readonly hasDefault: boolean;
  /** The name of the API-key query parameter. */
  readonly keyParameter: string;
  readonly basicAuth: boolean;
  /** Request properties, with their schemas. */
  readonly requestFields: Readonly<Record<string, OpenAPIV3.SchemaObject>>;
  /** Request properties the Job also has (the update writes them): name, due, isProcessing. */
  readonly updatableFields: readonly string[];
  /** Job properties a request cannot set (id, status, stats, ...). */
  readonly readOnlyFields: Readonly<Record<string, OpenAPIV3.SchemaObject>>;
  /** Job properties with format date-time (compared as instants). */
  readonly dateTimeFields: readonly string[];
  /** The Job's properties, with their schemas. */
  readonly jobProperties: Readonly<Record<string, OpenAPIV3.SchemaObject>>;
  /** The Job property the path id names. */
  readonly idField: string;
  /**
   * The properties of the errors' body (`default`: the Error schema), which BEHAVIOUR.md reads as required
   * (`{"message": string}`), though the schema lists none as required.
   */
  readonly errorProperties: readonly string[];
  /** The JSON media type of the Job and of the Error body. */
  readonly jsonMediaType: string;
}

export function conformanceFacts(validators: Validators): ConformanceFacts {
  const contract = validators.contract;
  const operation = findOperation(contract, OPERATION_ID);
  const security = securityFacts(contract, operation);
  if (security.apiKeyQueryParameter === undefined || !security.basic) {
    throw new UserError(`${contract.file}: ${OPERATION_ID} must offer HTTP Basic and an API-key query parameter`);
  }
  const okContent = responseFor(operation, 200)?.content ?? {};
  const jsonMediaType = Object.keys(okContent).find(isJsonMediaType);
  if (jsonMediaType === undefined) throw new UserError(`${contract.file}: ${OPERATION_ID} documents no JSON 200 response`);
  const jobSchema = (okContent[jsonMediaType]?.schema ?? {}) as OpenAPIV3.SchemaObject;
  const jobProperties = (jobSchema.properties ?? {}) as Record<string, OpenAPIV3.SchemaObject>;
  const requestFields = ((requestBodySchema(operation) ?? {}).properties ?? {}) as Record<string, OpenAPIV3.SchemaObject>;
  const idField = 'id' in jobProperties ? 'id' : '';
  if (idField === '') throw new UserError(`${contract.file}: the Job schema has no id property`);
  const updatableFields = Object.keys(requestFields).filter((name) => name in jobProperties && name !== idField);
  const readOnlyFields = Object.fromEntries(Object.entries(jobProperties).filter(([name]) => !(name in requestFields)));
  const dateTimeFields = Object.entries(jobProperties)
    .filter(([, schema]) => schema.format === 'date-time')
    .map(([name]) => name);
  const defaultContent = (operation.definition.responses.default as OpenAPIV3.ResponseObject | undefined)?.content ?? {};
  const errorMediaType = Object.keys(defaultContent).find(isJsonMediaType);
  const errorSchema = (errorMediaType === undefined ? {} : defaultContent[errorMediaType]?.schema ?? {}) as OpenAPIV3.SchemaObject;
  const errorProperties = Object.keys(errorSchema.properties ?? {});
  return {
    contract,
    validators,
    errorProperties,
    operation,
    method: operation.method.toUpperCase(),
    explicitStatuses: explicitStatuses(operation),
    hasDefault: 'default' in operation.definition.responses,
    keyParameter: security.apiKeyQueryParameter,
    basicAuth: security.basic,
    requestFields,
    updatableFields,
    readOnlyFields,
    dateTimeFields,
    jobProperties,
    idField,
    jsonMediaType,
  };
}

/** The value the Job must show after a field was sent: an integer Job field takes a numeric string as its number. */
export function expectedJobValue(facts: ConformanceFacts, field: string, sent: unknown): unknown {
  const type = facts.jobProperties[field]?.type;
  if (type === 'integer' && typeof sent === 'string' && /^-?\d+$/.test(sent)) return Number(sent);
  return sent;
}
