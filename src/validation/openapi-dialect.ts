/**
 * OpenAPI 3.0 schema objects are not quite JSON Schema. This turns one into what ajv (draft-07, strict mode) can
 * compile, deliberately:
 * - `nullable` is kept: ajv implements the OpenAPI keyword natively.
 * - `example`, `xml`, `externalDocs` are annotations: registered as such on the ajv instance (see ajv.ts).
 * - `exclusiveMinimum: true` / `exclusiveMaximum: true` (draft-04 booleans in 3.0) become numbers.
 * - `readOnly` properties are not required in a request, `writeOnly` ones not in a response (OpenAPI 3.0, 4.7.25).
 */
import type { OpenAPIV3 } from 'openapi-types';

export type Direction = 'request' | 'response';
type JsonSchema = Record<string, unknown>;

export function toJsonSchema(schema: OpenAPIV3.SchemaObject, direction: Direction): JsonSchema {
  return convert(schema, direction, new Map()) as JsonSchema;
}

function convert(node: unknown, direction: Direction, seen: Map<object, unknown>): unknown {
  if (Array.isArray(node)) return node.map((item) => convert(item, direction, seen));
  if (node === null || typeof node !== 'object') return node;
  const done = seen.get(node);
  if (done) return done;
  const source = node as JsonSchema;
  const out: JsonSchema = {};
  seen.set(node, out);
  for (const [key, value] of Object.entries(source)) {
    if (key === 'properties' && value && typeof value === 'object') {
      // Property names are data, not keywords: convert each property's schema, keep the names.
      out[key] = Object.fromEntries(
        Object.entries(value as JsonSchema).map(([name, sub]) => [name, convert(sub, direction, seen)]),
      );
    } else if (key === 'example') {
      out[key] = value; // an annotation: its content is not a schema
    } else {
      out[key] = convert(value, direction, seen);
    }
  }
  for (const bound of ['Minimum', 'Maximum'] as const) {
    const flag = `exclusive${bound}`;
    const limit = out[bound.toLowerCase()];
    if (typeof out[flag] === 'boolean') {
      if (out[flag] === true && typeof limit === 'number') {
        out[flag] = limit;
        delete out[bound.toLowerCase()];
      } else {
        delete out[flag];
      }
    }
  }
  if (Array.isArray(out.required) && out.properties && typeof out.properties === 'object') {
    const hidden = direction === 'request' ? 'readOnly' : 'writeOnly';
    const props = out.properties as Record<string, JsonSchema>;
    const required = (out.required as string[]).filter((name) => props[name]?.[hidden] !== true);
    if (required.length > 0) out.required = required;
    else delete out.required;
  }
  return out;
}
