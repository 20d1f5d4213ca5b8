/**
 * What the checks and cases read about `updateJob`: the operation model (src/contract/model.ts) in the shape
 * they were written against, with the compiled validators beside it. Everything here comes from the model; the
 * one thing added is the conformance run's own demand that both authentication methods be offered.
 */
import type { OpenAPIV3 } from 'openapi-types';
import type { Contract } from '../contract/load';
import { expectedJobValue as modelJobValue, operationModel, OPERATION_ID, type OperationModel } from '../contract/model';
import type { Operation } from '../contract/operation';
import { UserError } from '../errors';
import type { Validators } from '../validation/validators';

export { OPERATION_ID };

export interface ConformanceFacts {
  readonly contract: Contract;
  readonly validators: Validators;
  /** The operation model everything below is read from. */
  readonly model: OperationModel;
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
  const model = operationModel(contract);
  const { security } = model;
  if (security.apiKeyQueryParameter === undefined || !security.basic) {
    throw new UserError(`${contract.file}: ${model.operationId} must offer HTTP Basic and an API-key query parameter`);
  }
  return {
    contract,
    validators,
    model,
    errorProperties: model.errorProperties,
    operation: model.operation,
    method: model.method,
    explicitStatuses: model.explicitStatuses,
    hasDefault: model.hasDefault,
    keyParameter: security.apiKeyQueryParameter,
    basicAuth: security.basic,
    requestFields: Object.fromEntries(model.requestFields.map((field) => [field.name, field.schema])),
    updatableFields: model.updatableFields.map((field) => field.name),
    readOnlyFields: model.readOnlyFields,
    dateTimeFields: model.dateTimeFields,
    jobProperties: model.jobProperties,
    idField: model.idField,
    jsonMediaType: model.mediaTypes.job,
  };
}

/** The value the Job must show after a field was sent: an integer Job field takes a numeric string as its number. */
export function expectedJobValue(facts: ConformanceFacts, field: string, sent: unknown): unknown {
  return modelJobValue(facts.model, field, sent);
}
