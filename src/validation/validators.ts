/**
 * Validators for every request body and response body the contract documents, compiled once, up front, from the
 * loaded document. `responseValidator(operationId, status, contentType)` and `requestBodyValidator(operationId)` are
 * lookups into what was compiled, never a compilation.
 */
import type { ValidateFunction } from 'ajv';
import * as path from 'node:path';
import type { OpenAPIV3 } from 'openapi-types';
import { UserError, oneLine } from '../errors';
import { loadContract, shownSource, type Contract } from '../contract/load';
import {
  escapePointer,
  findOperation,
  isJsonMediaType,
  mediaTypeOf,
  operations,
  responseKeyFor,
  selectedOperation,
  type Operation,
} from '../contract/operation';
import { createAjv } from './ajv';
import { toJsonSchema, type Direction } from './openapi-dialect';
import { violationFromAjv, type SchemaViolation } from './violations';

export type ValidationResult =
  | { readonly valid: true; readonly value: unknown }
  | { readonly valid: false; readonly violations: readonly SchemaViolation[] };

export interface BodyValidator {
  /** The documented media type this validator is for, e.g. `application/json`. */
  readonly mediaType: string;
  /** Where its schema is, as a JSON pointer into the document (for messages). */
  readonly schemaPointer: string;
  /** Validates a value: parsed JSON for a JSON media type, the text itself for a text one. */
  validate(value: unknown): ValidationResult;
  /** Validates a body as received: parsed as JSON first where the media type is JSON. */
  validateText(text: string): ValidationResult;
}

export interface Validators {
  readonly contract: Contract;
  requestBodyValidator(operationId: string, mediaType?: string): BodyValidator;
  /** Throws a UserError when the document has no response for that status, or not in that content type. */
  responseValidator(operationId: string, status: number, contentType: string): BodyValidator;
  /** The same lookup, without throwing: undefined where the document documents no such response. */
  findResponseValidator(operationId: string, status: number, contentType: string): BodyValidator | undefined;
  /** The media types documented for a status (via its exact code, range or `default`). */
  documentedMediaTypes(operationId: string, status: number): readonly string[];
}

type Ajv = ReturnType<typeof createAjv>;

function compileBody(
  contract: Contract,
  ajv: Ajv,
  schema: OpenAPIV3.SchemaObject,
  mediaType: string,
  schemaPointer: string,
  direction: Direction,
): BodyValidator {
  let compiled: ValidateFunction;
  try {
    compiled = ajv.compile(toJsonSchema(schema, direction));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const file = path.relative(process.cwd(), contract.file) || contract.file;
    throw new UserError(`${file}: #${schemaPointer}: schema cannot be compiled: ${oneLine(message)}`);
  }
  const json = isJsonMediaType(mediaType);
  const validate = (value: unknown): ValidationResult =>
    compiled(value)
      ? { valid: true, value }
      : { valid: false, violations: (compiled.errors ?? []).map(violationFromAjv) };
  return {
    mediaType,
    schemaPointer,
    validate,
    validateText(text: string): ValidationResult {
      if (!json) return validate(text);
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        return {
          valid: false,
          violations: [{ pointer: '', keyword: 'json', expected: 'a JSON document', actual: reason }],
        };
      }
      return validate(parsed);
    },
  };
}

/** One operation's validators: request bodies by media type; response bodies by response key, then media type. */
interface CompiledOperation {
  readonly requestBodies: ReadonlyMap<string, BodyValidator>;
  readonly responses: ReadonlyMap<string, ReadonlyMap<string, BodyValidator>>;
}

function compileRequestBodies(contract: Contract, ajv: Ajv, operation: Operation): Map<string, BodyValidator> {
  const bodies = new Map<string, BodyValidator>();
  const requestBody = operation.definition.requestBody as OpenAPIV3.RequestBodyObject | undefined;
  for (const [mediaType, media] of Object.entries(requestBody?.content ?? {})) {
    if (!media.schema) continue;
    const pointer = `${operation.pointer}/requestBody/content/${escapePointer(mediaType)}/schema`;
    bodies.set(mediaType, compileBody(contract, ajv, media.schema as OpenAPIV3.SchemaObject, mediaType, pointer, 'request'));
  }
  return bodies;
}

function compileResponses(contract: Contract, ajv: Ajv, operation: Operation): Map<string, Map<string, BodyValidator>> {
  const byKey = new Map<string, Map<string, BodyValidator>>();
  for (const [key, response] of Object.entries(operation.definition.responses ?? {})) {
    const byMedia = new Map<string, BodyValidator>();
    for (const [mediaType, media] of Object.entries((response as OpenAPIV3.ResponseObject).content ?? {})) {
      // A media type documented without a schema accepts any body.
      const schema = (media.schema ?? {}) as OpenAPIV3.SchemaObject;
      const pointer = `${operation.pointer}/responses/${escapePointer(key)}/content/${escapePointer(mediaType)}/schema`;
      byMedia.set(mediaTypeOf(mediaType), compileBody(contract, ajv, schema, mediaType, pointer, 'response'));
    }
    byKey.set(key, byMedia);
  }
  return byKey;
}

/** Every operation of the document compiled, or the error that stopped it (kept for when it is looked up). */
interface CompiledContract {
  readonly compiled: ReadonlyMap<string, CompiledOperation>;
  readonly broken: ReadonlyMap<string, UserError>;
}

function compileContract(contract: Contract): CompiledContract {
  const ajv = createAjv();
  const compiled = new Map<string, CompiledOperation>();
  // Only the tested operation must compile: another one's schema that ajv refuses (an unknown format, say) is an error
  // when something looks that operation up, not when the contract is loaded.
  const tested = selectedOperation(contract).operationId;
  const broken = new Map<string, UserError>();
  for (const operation of operations(contract)) {
    try {
      const requestBodies = compileRequestBodies(contract, ajv, operation);
      compiled.set(operation.operationId, { requestBodies, responses: compileResponses(contract, ajv, operation) });
    } catch (error) {
      if (operation.operationId === tested) throw error;
      const reason = error instanceof UserError ? error : new UserError(`${shownSource(contract.file)}: operation '${operation.operationId}' cannot be compiled: ${oneLine(String(error))}`);
      broken.set(operation.operationId, reason);
    }
  }
  return { compiled, broken };
}

/** Lookups into what was compiled: an operation that failed to compile throws its error when looked up. */
class CompiledValidators implements Validators {
  constructor(
    readonly contract: Contract,
    private readonly all: CompiledContract,
  ) {}

  requestBodyValidator(operationId: string, mediaType = 'application/json'): BodyValidator {
    const operation = this.usable(operationId);
    const validator = this.all.compiled.get(operation.operationId)?.requestBodies.get(mediaType);
    if (!validator) {
      throw new UserError(`${this.contract.file}: operation '${operationId}' documents no ${mediaType} request body`);
    }
    return validator;
  }

  findResponseValidator(operationId: string, status: number, contentType: string): BodyValidator | undefined {
    const { byMedia } = this.mediaFor(this.usable(operationId), status);
    return byMedia?.get(mediaTypeOf(contentType));
  }

  responseValidator(operationId: string, status: number, contentType: string): BodyValidator {
    const operation = this.usable(operationId);
    const { key, byMedia } = this.mediaFor(operation, status);
    if (key === undefined || byMedia === undefined) {
      const documented = Object.keys(operation.definition.responses).join(', ');
      throw new UserError(
        `${this.contract.file}: operation '${operationId}' documents no response for status ${status} (documented: ${documented})`,
      );
    }
    const validator = byMedia.get(mediaTypeOf(contentType));
    if (!validator) {
      throw new UserError(
        `${this.contract.file}: operation '${operationId}' response '${key}' has no content type '${contentType}' (documented: ${[...byMedia.keys()].join(', ') || 'none'})`,
      );
    }
    return validator;
  }

  documentedMediaTypes(operationId: string, status: number): readonly string[] {
    const { byMedia } = this.mediaFor(this.usable(operationId), status);
    return byMedia ? [...byMedia.keys()] : [];
  }

  private usable(operationId: string): Operation {
    const operation = findOperation(this.contract, operationId);
    const failure = this.all.broken.get(operation.operationId);
    if (failure !== undefined) throw failure;
    return operation;
  }

  /** The response key a status falls under (exact code, range or `default`) and its validators by media type. */
  private mediaFor(operation: Operation, status: number) {
    const key = responseKeyFor(operation, status);
    return { key, byMedia: key === undefined ? undefined : this.all.compiled.get(operation.operationId)?.responses.get(key) };
  }
}

export function createValidators(contract: Contract): Validators {
  return new CompiledValidators(contract, compileContract(contract));
}

const cache = new Map<string, Promise<Validators>>();

/** Loads the contract and compiles its validators, once per file and process. */
export function loadValidators(file?: string): Promise<Validators> {
  const key = file ?? '';
  let loaded = cache.get(key);
  if (!loaded) {
    loaded = loadContract(file).then(createValidators);
    cache.set(key, loaded);
    loaded.catch(() => cache.delete(key));
  }
  return loaded;
}
