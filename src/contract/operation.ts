/**
 * Reading an operation out of the contract: its method and path, its parameters, request body and documented
 * responses. Nothing here knows about the LILT operation in particular; every fact comes from the document.
 */
import type { OpenAPIV3 } from 'openapi-types';
import { UserError } from '../errors';
import { shownSource, type Contract } from './load';
import { describeSelector, locate, type OperationSelector } from './selector';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
export type HttpMethod = (typeof METHODS)[number];

export interface Operation {
  /** The document's operationId; for an operation without one, `METHOD /path` (e.g. `PUT /jobs/{jobId}`). */
  readonly operationId: string;
  readonly method: HttpMethod;
  /** The path template, e.g. `/v2/jobs/{jobId}`. */
  readonly path: string;
  readonly definition: OpenAPIV3.OperationObject;
  /** Pointer (JSON Pointer, without '#') to the operation in the document. */
  readonly pointer: string;
}

export function escapePointer(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function operations(contract: Contract): Operation[] {
  const found: Operation[] = [];
  for (const [path, item] of Object.entries(contract.document.paths ?? {})) {
    for (const method of METHODS) {
      const definition = item?.[method];
      if (definition !== null && typeof definition === 'object') {
        found.push({
          operationId: typeof definition.operationId === 'string' ? definition.operationId : `${method.toUpperCase()} ${path}`,
          method,
          path,
          definition,
          pointer: `/paths/${escapePointer(path)}/${method}`,
        });
      }
    }
  }
  return found;
}

/** A contract's operations, listed once (a document is not changed once loaded; the checks look one up per response). */
const listed = new WeakMap<Contract, Operation[]>();

export function findOperation(contract: Contract, operationId: string): Operation {
  let all = listed.get(contract);
  if (all === undefined) {
    all = operations(contract);
    listed.set(contract, all);
  }
  const operation = all.find((candidate) => candidate.operationId === operationId);
  if (!operation) {
    const known = all.map((candidate) => candidate.operationId);
    const list = `${known.slice(0, 8).join(', ') || 'none'}${known.length > 8 ? `, ... ${known.length} in all` : ''}`;
    throw new UserError(`${shownSource(contract.file)}: operation '${operationId}' is not in the document (operations: ${list})`);
  }
  return operation;
}

/** The operation a selector names (the contract's own, by default). Throws a one-line UserError when there is none. */
export function selectedOperation(contract: Contract, selector: OperationSelector = contract.selector): Operation {
  const located = locate(contract.document, selector);
  if (located === undefined) {
    throw new UserError(`${shownSource(contract.file)}: ${describeSelector(selector)} is not in the document`);
  }
  const definition = located.definition as unknown as OpenAPIV3.OperationObject;
  return {
    operationId: located.operationId ?? `${located.method.toUpperCase()} ${located.path}`,
    method: located.method,
    path: located.path,
    definition,
    pointer: located.pointer,
  };
}

/** Another operation on the same path as `operation` (its GET, say), if the document has one. */
export function siblingOperation(contract: Contract, operation: Operation, method: HttpMethod): Operation | undefined {
  const definition = contract.document.paths?.[operation.path]?.[method];
  if (definition === undefined || definition === null || typeof definition !== 'object') return undefined;
  return {
    operationId: typeof definition.operationId === 'string' ? definition.operationId : `${method.toUpperCase()} ${operation.path}`,
    method,
    path: operation.path,
    definition,
    pointer: `/paths/${escapePointer(operation.path)}/${method}`,
  };
}

/** The response key that covers a status: the exact code, then its range (`4XX`), then `default`. */
export function responseKeyFor(operation: Operation, status: number): string | undefined {
  const responses = operation.definition.responses;
  const candidates = [String(status), `${String(status).charAt(0)}XX`, 'default'];
  return candidates.find((key) => key in responses);
}

export function responseFor(operation: Operation, status: number): OpenAPIV3.ResponseObject | undefined {
  const key = responseKeyFor(operation, status);
  return key === undefined ? undefined : (operation.definition.responses[key] as OpenAPIV3.ResponseObject);
}

/** The status codes written out explicitly (not `default`, not ranges), as numbers. */
export function explicitStatuses(operation: Operation): number[] {
  return Object.keys(operation.definition.responses)
    .filter((key) => /^\d{3}$/.test(key))
    .map(Number);
}

/** The media type without parameters, lower-cased: `Application/JSON; charset=utf-8` gives `application/json`. */
export function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

export function isJsonMediaType(mediaType: string): boolean {
  return mediaType === 'application/json' || /^application\/[^/]+\+json$/.test(mediaType);
}

export function requestBodyOf(operation: Operation): OpenAPIV3.RequestBodyObject | undefined {
  return operation.definition.requestBody as OpenAPIV3.RequestBodyObject | undefined;
}

export function parametersOf(operation: Operation): OpenAPIV3.ParameterObject[] {
  return (operation.definition.parameters ?? []) as OpenAPIV3.ParameterObject[];
}

/** The JSON schema of the request body for a media type (default application/json). */
export function requestBodySchema(
  operation: Operation,
  mediaType = 'application/json',
): OpenAPIV3.SchemaObject | undefined {
  return requestBodyOf(operation)?.content[mediaType]?.schema as OpenAPIV3.SchemaObject | undefined;
}

/** Security: the API-key query parameter name, and whether HTTP Basic is offered. */
export interface SecurityFacts {
  readonly basic: boolean;
  readonly apiKeyQueryParameter?: string;
}

export function securityFacts(contract: Contract, operation?: Operation): SecurityFacts {
  const requirements = operation?.definition.security ?? contract.document.security ?? [];
  const schemes = contract.document.components?.securitySchemes ?? {};
  let basic = false;
  let apiKeyQueryParameter: string | undefined;
  for (const requirement of requirements) {
    for (const name of Object.keys(requirement)) {
      const scheme = schemes[name] as OpenAPIV3.SecuritySchemeObject | undefined;
      if (scheme?.type === 'http' && scheme.scheme.toLowerCase() === 'basic') basic = true;
      if (scheme?.type === 'apiKey' && scheme.in === 'query') apiKeyQueryParameter = scheme.name;
    }
  }
  return apiKeyQueryParameter === undefined ? { basic } : { basic, apiKeyQueryParameter };
}
