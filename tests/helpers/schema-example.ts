/**
 * Builds a value from the examples a schema carries: the schema's own `example` where it has one, otherwise an
 * object of its properties' examples (recursively), or an array of one item. Properties without any example are
 * left out. Used to build the documented Job from the document rather than by hand.
 */
import type { OpenAPIV3 } from 'openapi-types';

export function exampleFromSchema(schema: OpenAPIV3.SchemaObject): unknown {
  if (schema.example !== undefined) return structuredClone(schema.example);
  if (schema.type === 'array') {
    const item = exampleFromSchema(schema.items as OpenAPIV3.SchemaObject);
    return item === undefined ? undefined : [item];
  }
  if (schema.type === 'object' || schema.properties) {
    const value: Record<string, unknown> = {};
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      const example = exampleFromSchema(property as OpenAPIV3.SchemaObject);
      if (example !== undefined) value[name] = example;
    }
    return Object.keys(value).length > 0 ? value : undefined;
  }
  if (schema.enum && schema.enum.length > 0) return schema.enum[0];
  return undefined;
}
