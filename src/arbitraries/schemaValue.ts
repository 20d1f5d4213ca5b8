/**
 * A JSON value shaped by an OpenAPI schema object: what a client would plausibly send for a Job property it has seen
 * in a response (an integer id, a stats object, a domains array). Only the keywords the contract uses are honoured
 * (type, enum, format date-time, properties, items); anything else gets an arbitrary JSON value.
 */
import fc from 'fast-check';
import type { OpenAPIV3 } from 'openapi-types';
import { finiteNumber } from './expectations';

export interface SchemaValueConstraints {
  /**
   * How deep objects and arrays nest before the generator stops descending.
   * @defaultValue 2
   */
  readonly maxDepth?: number;
}

const dateTime = fc
  .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString());

export function schemaValue(schema: OpenAPIV3.SchemaObject, constraints: SchemaValueConstraints = {}): fc.Arbitrary<unknown> {
  const depth = constraints.maxDepth ?? 2;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return fc.constantFrom(...(schema.enum as unknown[]));
  switch (schema.type) {
    case 'integer':
      return fc.integer();
    case 'number':
      return finiteNumber;
    case 'boolean':
      return fc.boolean();
    case 'string':
      return schema.format === 'date-time' ? dateTime : fc.string({ maxLength: 20 });
    case 'array': {
      if (depth <= 0) return fc.constant([]);
      const items = schema.items as OpenAPIV3.SchemaObject | undefined;
      return fc.array(items ? schemaValue(items, { maxDepth: depth - 1 }) : fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 });
    }
    case 'object': {
      if (depth <= 0) return fc.constant({});
      const properties = (schema.properties ?? {}) as Record<string, OpenAPIV3.SchemaObject>;
      const model = Object.fromEntries(
        Object.entries(properties).map(([name, sub]) => [name, schemaValue(sub, { maxDepth: depth - 1 })]),
      );
      const required = (schema.required ?? []).filter((name) => name in properties);
      return fc.record(model, { requiredKeys: required, noNullPrototype: true });
    }
    default:
      return fc.jsonValue({ maxDepth: depth });
  }
}
