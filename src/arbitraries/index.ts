/**
 * The fast-check arbitraries of the conformance run's property group, derived from the contract: each body field's
 * values (by the field's schema), whole bodies, path ids, credentials, each with the outcome BEHAVIOUR.md requires.
 * Built once at start-up from the loaded contract; every arbitrary is deterministic for a given seed.
 */
import type fc from 'fast-check';
import type { Contract } from '../contract/load';
import { operationModel, type OperationModel, type RequestField } from '../contract/model';
import { UserError } from '../errors';
import { authCase } from './auth';
import { bodyCase, validBodyCase, type BodyFieldArbitrary } from './body';
import { dateTimeFieldCase } from './dateTimeField';
import { enumFieldCase } from './enumField';
import { jobIdCase } from './jobId';
import { readOnlyField } from './readOnlyField';
import { stringFieldCase } from './stringField';
import type { AuthCase, BodyCase, Expectation, ExtraField, FieldCase, IdCase } from './types';

export type * from './types';
export { objectText, type Member, type Spelling } from './jsonText';

export interface ContractArbitraries {
  /** Every request body field's values, by property name (whatever fields the document's request body has). */
  readonly fields: Readonly<Record<string, fc.Arbitrary<FieldCase<unknown>>>>;
  /** One field's values; a UserError naming the document when its request body has no such property. */
  field(name: string): fc.Arbitrary<FieldCase<unknown>>;
  /** Job fields the request schema lacks (id, status, stats, ...) and unknown keys: they must change nothing. */
  readonly readOnlyField: fc.Arbitrary<ExtraField>;
  /** Mixed valid / invalid / open bodies, incl. malformed JSON, non-object JSON, empty, absent. */
  readonly body: fc.Arbitrary<BodyCase>;
  /** Only expectation 'accept'. */
  readonly validBody: fc.Arbitrary<BodyCase>;
  readonly jobId: (ids: { existing: number; missing: number }) => fc.Arbitrary<IdCase>;
  readonly auth: fc.Arbitrary<AuthCase>;
  /** What the arbitraries were derived from. */
  readonly model: OperationModel;
}

function fieldArbitrary(field: RequestField, expectations?: readonly Expectation[]): fc.Arbitrary<FieldCase<unknown>> {
  const base = expectations ? { expectations } : {};
  switch (field.kind.type) {
    case 'string':
      return stringFieldCase(base);
    case 'date-time':
      return dateTimeFieldCase({ ...base, example: field.schema.example });
    case 'enum':
      return enumFieldCase({
        ...base,
        values: field.kind.values,
        numeric: field.kind.numeric,
        ...(field.schema.description ? { description: field.schema.description } : {}),
        example: field.schema.example,
      });
  }
}

/** Builds every arbitrary from the contract. Call once at start-up; the result is immutable and reusable. */
export function buildArbitraries(contract: Contract): ContractArbitraries {
  const model = operationModel(contract);
  const fieldArbitraries: BodyFieldArbitrary[] = model.requestFields.map((field) => ({
    field,
    any: fieldArbitrary(field),
    accepted: fieldArbitrary(field, ['accept']),
  }));
  const fields = Object.fromEntries(fieldArbitraries.map((f) => [f.field.name, f.any]));
  const named = (name: string): fc.Arbitrary<FieldCase<unknown>> => {
    const arbitrary = fields[name];
    if (!arbitrary) throw new UserError(`${contract.file}: the ${model.operationId} request body has no property '${name}'`);
    return arbitrary;
  };
  const extra = readOnlyField({
    readOnly: model.readOnlyFields,
    known: [...model.requestFields.map((f) => f.name), ...Object.keys(model.jobProperties)],
    bodyFields: model.requestFields.map((f) => f.name),
    ...(model.security.apiKeyQueryParameter ? { extraNames: [model.security.apiKeyQueryParameter] } : {}),
  });
  const bodyConstraints = { model, fields: fieldArbitraries, extra };
  return {
    fields,
    field: named,
    readOnlyField: extra,
    body: bodyCase(bodyConstraints),
    validBody: validBodyCase(bodyConstraints),
    jobId: ({ existing, missing }) => {
      if (!Number.isSafeInteger(existing) || !Number.isSafeInteger(missing)) {
        throw new UserError(`job ids must be safe integers (got ${existing} and ${missing})`);
      }
      if (existing === missing) throw new UserError(`the existing and the missing job id must differ (both ${existing})`);
      return jobIdCase({ existing, missing, ...model.idParameter.range });
    },
    auth: authCase(model.security),
    model,
  };
}
