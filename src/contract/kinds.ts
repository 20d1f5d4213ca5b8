/**
 * The kind of a value, read off its schema: what BEHAVIOUR.md's rules apply by (a date-time is judged as an instant,
 * a string enum of integers accepts the numbers too, ...), what a diff compares, and what a person reads in a report
 * ("integer", "string enum of integers ("0", "1", "-2")"). OpenAPI 3.0 and 3.1 schemas alike: `nullable: true` and a
 * `type` list with `null` both make a nullable kind.
 */
import type { OpenAPIV3 } from 'openapi-types';

type Schema = OpenAPIV3.SchemaObject;
export type EnumValue = string | number | boolean | null;

export type ValueKind =
  /** A JSON string without date-time format or enum; `format` is any other format it names (email, date, ...). */
  | { readonly type: 'string'; readonly format?: string }
  /** `type: string, format: date-time`. */
  | { readonly type: 'date-time' }
  | { readonly type: 'integer'; readonly format?: string }
  | { readonly type: 'number'; readonly format?: string }
  | { readonly type: 'boolean' }
  /**
   * An enum. `of`: the type the schema declares (`string` for isProcessing; `mixed` when it declares none and the
   * values differ in type). `numeric`: every value spells an integer ("0", "-2", 1), and BEHAVIOUR.md then accepts the
   * strings and the JSON numbers alike (its isProcessing rule).
   */
  | {
      readonly type: 'enum';
      readonly of: 'string' | 'integer' | 'number' | 'boolean' | 'mixed';
      readonly values: readonly EnumValue[];
      readonly numeric: boolean;
    }
  | { readonly type: 'array'; readonly items: ValueKind }
  | { readonly type: 'object' }
  /** A 3.1 `type` list with more than one type besides null. */
  | { readonly type: 'union'; readonly types: readonly string[] }
  /** No type: any JSON value. */
  | { readonly type: 'any' };

const INTEGER_SPELLING = /^-?(0|[1-9]\d*)$/;

/** The types a schema declares, without `null` (3.0's `type` or 3.1's `type` list). */
export function declaredTypes(schema: Schema): string[] {
  const type = (schema as { type?: unknown }).type;
  const types = Array.isArray(type) ? type.map(String) : typeof type === 'string' ? [type] : [];
  return types.filter((t) => t !== 'null');
}

/** Whether null is a valid value: 3.0 `nullable: true`, 3.1 `type: [..., 'null']`, or `null` in the enum. */
export function isNullable(schema: Schema): boolean {
  const type = (schema as { type?: unknown }).type;
  return schema.nullable === true || (Array.isArray(type) && type.includes('null')) || (Array.isArray(schema.enum) && schema.enum.includes(null));
}

export function spellsInteger(value: unknown): boolean {
  return (typeof value === 'number' && Number.isSafeInteger(value)) || (typeof value === 'string' && INTEGER_SPELLING.test(value));
}

function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** The schemas an `allOf` combines, the schema itself first (a generated document often writes objects so). */
function allOfParts(schema: Schema): Schema[] {
  return [schema, ...((schema.allOf ?? []) as Schema[]).flatMap((part) => allOfParts(part))];
}

/** An object schema's properties, its `allOf` parts' included. */
export function propertiesOf(schema: Schema | undefined): Record<string, Schema> {
  if (schema === undefined) return {};
  return Object.assign({}, ...allOfParts(schema).reverse().map((part) => (part.properties ?? {}) as Record<string, Schema>));
}

/** An object schema's required properties, its `allOf` parts' included. */
export function requiredOf(schema: Schema | undefined): string[] {
  if (schema === undefined) return [];
  return [...new Set(allOfParts(schema).flatMap((part) => part.required ?? []))];
}

export function kindOf(schema: Schema): ValueKind {
  const types = declaredTypes(schema);
  if (Array.isArray(schema.enum)) {
    const values = (schema.enum as unknown[]).filter((value) => value !== null) as EnumValue[];
    const valueTypes = new Set(values.map((value) => (typeof value === 'number' && types[0] === 'number' ? 'number' : jsonTypeOf(value))));
    const declared = types.length === 1 ? types[0]! : valueTypes.size === 1 ? [...valueTypes][0]! : 'mixed';
    const of = (['string', 'integer', 'number', 'boolean'] as const).find((t) => t === declared) ?? 'mixed';
    return { type: 'enum', of, values, numeric: values.length > 0 && values.every(spellsInteger) };
  }
  if (types.length > 1) return { type: 'union', types };
  const format = typeof schema.format === 'string' ? schema.format : undefined;
  switch (types[0]) {
    case 'string':
      if (format === 'date-time') return { type: 'date-time' };
      return format === undefined ? { type: 'string' } : { type: 'string', format };
    case 'integer':
      return format === undefined ? { type: 'integer' } : { type: 'integer', format };
    case 'number':
      return format === undefined ? { type: 'number' } : { type: 'number', format };
    case 'boolean':
      return { type: 'boolean' };
    case 'array': {
      const items = (schema as { items?: Schema | OpenAPIV3.ReferenceObject }).items;
      return { type: 'array', items: items !== undefined && !('$ref' in items) ? kindOf(items) : { type: 'any' } };
    }
    case 'object':
      return { type: 'object' };
    default:
      return schema.properties !== undefined ? { type: 'object' } : { type: 'any' };
  }
}

const show = (value: EnumValue) => JSON.stringify(value);

/** The kind in words: `integer`, `date-time string`, `string enum of integers ("0", "1", "-2")`, `array of object`. */
export function describeKind(kind: ValueKind): string {
  switch (kind.type) {
    case 'string':
      return kind.format === undefined ? 'string' : `string (format ${kind.format})`;
    case 'date-time':
      return 'date-time string';
    case 'integer':
    case 'number':
      return kind.format === undefined ? kind.type : `${kind.type} (format ${kind.format})`;
    case 'boolean':
      return 'boolean';
    case 'enum': {
      const of = kind.of === 'mixed' ? '' : `${kind.of} `;
      const values = kind.values.map(show).join(', ');
      return kind.numeric && kind.of !== 'integer' ? `${of}enum of integers (${values})` : `${of}enum (${values})`;
    }
    case 'array':
      return `array of ${describeKind(kind.items)}`;
    case 'object':
      return 'object';
    case 'union':
      return kind.types.join(' or ');
    case 'any':
      return 'any value';
  }
}

/** Two kinds are the same kind (enum values aside: those are compared value by value). */
export function sameKind(a: ValueKind, b: ValueKind): boolean {
  if (a.type === 'enum' && b.type === 'enum') return a.of === b.of;
  return JSON.stringify(a) === JSON.stringify(b);
}
