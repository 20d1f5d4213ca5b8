/**
 * What the reference provider needs to know about `updateJob`, read once from the contract: the route, the path
 * parameter, which request fields map onto which Job fields (and their Job types), the media types of each response,
 * and the security facts. Nothing in src/provider/ names a path, enum value or media type by hand.
 */
import type { OpenAPIV3 } from 'openapi-types';
import { UserError } from '../errors';
import type { Contract } from '../contract/load';
import {
  findOperation,
  isJsonMediaType,
  parametersOf,
  requestBodySchema,
  responseFor,
  securityFacts,
  type Operation,
  type SecurityFacts,
} from '../contract/operation';

export const OPERATION_ID = 'updateJob';

/** A request field that the update writes onto the Job, with the Job property's type. */
export interface UpdatableField {
  readonly name: string;
  /** The JSON type of the Job property (e.g. `integer` for isProcessing, sent as a string enum). */
  readonly jobType: string | undefined;
  /** The request schema's enum, if any (isProcessing: '0', '1', '-2'). */
  readonly requestEnum: readonly unknown[] | undefined;
  /** The Job property's format, if any (`date-time` for due). */
  readonly jobFormat: string | undefined;
}

export interface ProviderContractFacts {
  readonly operation: Operation;
  /** Upper-case HTTP method, e.g. `PUT`. */
  readonly method: string;
  /** The route in fastify's syntax, e.g. `/v2/jobs/:jobId`. */
  readonly route: string;
  /** The name of the path parameter carrying the job id. */
  readonly idParameter: string;
  /** Request fields the Job also has: the update copies these onto the job. */
  readonly updatableFields: readonly UpdatableField[];
  readonly security: SecurityFacts;
  /** The media type of a 200 (the Job). */
  readonly jobMediaType: string;
  /** The media type of the 401 text body (text/plain where documented). */
  readonly unauthorizedMediaType: string;
  /** The media type of every other error (the Error body). */
  readonly errorMediaType: string;
  /** The Error schema's message property. */
  readonly errorMessageProperty: string;
}

function jsonMediaType(response: OpenAPIV3.ResponseObject | undefined, what: string, file: string): string {
  const mediaType = Object.keys(response?.content ?? {}).find(isJsonMediaType);
  if (mediaType === undefined) throw new UserError(`${file}: ${what} has no JSON content; the reference provider needs one`);
  return mediaType;
}

/** Reads the facts, and refuses (one line) a contract the provider cannot serve. */
export function providerContractFacts(contract: Contract): ProviderContractFacts {
  const operation = findOperation(contract, OPERATION_ID);
  const pathParameters = parametersOf(operation).filter((p) => p.in === 'path');
  if (pathParameters.length !== 1) {
    throw new UserError(`${contract.file}: ${OPERATION_ID} must have exactly one path parameter (the job id)`);
  }
  const idParameter = pathParameters[0]!.name;
  const route = operation.path.replace(/\{([^}]+)\}/g, ':$1');

  const jobSchema = (responseFor(operation, 200)?.content?.['application/json']?.schema ?? {}) as OpenAPIV3.SchemaObject;
  const jobProperties = (jobSchema.properties ?? {}) as Record<string, OpenAPIV3.SchemaObject>;
  const requestSchema = requestBodySchema(operation) ?? {};
  const requestProperties = (requestSchema.properties ?? {}) as Record<string, OpenAPIV3.SchemaObject>;
  const updatableFields = Object.entries(requestProperties)
    .filter(([name]) => name in jobProperties && name !== 'id')
    .map(([name, schema]) => ({
      name,
      jobType: jobProperties[name]?.type,
      requestEnum: schema.enum,
      jobFormat: jobProperties[name]?.format,
    }));

  const unauthorized = responseFor(operation, 401);
  const textTypes = Object.keys(unauthorized?.content ?? {});
  const unauthorizedMediaType = textTypes.includes('text/plain') ? 'text/plain' : textTypes[0];
  if (unauthorizedMediaType === undefined) throw new UserError(`${contract.file}: ${OPERATION_ID} documents no 401 body`);

  const errorResponse = responseFor(operation, 400);
  const errorMediaType = jsonMediaType(errorResponse, 'the error response (default)', contract.file);
  const errorSchema = (errorResponse?.content?.[errorMediaType]?.schema ?? {}) as OpenAPIV3.SchemaObject;
  const errorMessageProperty = Object.entries(errorSchema.properties ?? {}).find(
    ([, schema]) => (schema as OpenAPIV3.SchemaObject).type === 'string',
  )?.[0];
  if (errorMessageProperty === undefined) {
    throw new UserError(`${contract.file}: the error response schema has no string property for the message`);
  }

  return {
    operation,
    method: operation.method.toUpperCase(),
    route,
    idParameter,
    updatableFields,
    security: securityFacts(contract, operation),
    jobMediaType: jsonMediaType(responseFor(operation, 200), 'the 200 response', contract.file),
    unauthorizedMediaType,
    errorMediaType,
    errorMessageProperty,
  };
}
