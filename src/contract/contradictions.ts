/**
 * A field that contradicts itself: its type says one thing, and its format, description, example or enum another.
 * LILT's published `dueDate` is `type: integer`, described as "An ISO string date", with a date-time string as its
 * example; its published `isProcessing` is `type: string` with the numbers 0, 1, -2 in its enum. A client cannot tell
 * which reading the provider implements, so neither can a test: the lint reports each as an error, and the operation
 * model flags the field with how a run treats it. One detector, used by both.
 */
import type { OpenAPIV3 } from 'openapi-types';
import { declaredTypes, isNullable, spellsInteger } from './kinds';

type Schema = OpenAPIV3.SchemaObject;

export interface Contradiction {
  /** What the type is contradicted by. */
  readonly by: 'format' | 'description' | 'example' | 'enum';
  /** In words: `type integer, but described as "An ISO string date"`. */
  readonly message: string;
}

/**
 * How a run treats a self-contradicting field.
 * - `schema-valid-unjudged`: it sends values valid by the schema as written, and judges only that the answer is one
 *   the contract allows for some reading (no 5xx, the documented bodies) and that nothing else changed: not the
 *   field's own outcome, since the document allows both readings.
 * - `numeric-enum`: an enum whose values all spell integers but are not all of the declared type (`type: string`
 *   with `-2` among them): BEHAVIOUR.md's isProcessing rule already reads it (the strings and the numbers are both
 *   accepted, and set the integer), so the field is judged by that rule.
 */
export type ContradictionTreatment =
  | { readonly kind: 'schema-valid-unjudged'; readonly text: string }
  | { readonly kind: 'numeric-enum'; readonly text: string };

export interface SelfContradiction {
  readonly contradictions: readonly Contradiction[];
  readonly treatment: ContradictionTreatment;
}

/** Formats defined for strings (OpenAPI and JSON Schema): on an integer, a number or a boolean they contradict the type. */
const STRING_FORMATS = new Set([
  'date-time', 'date', 'time', 'duration', 'email', 'idn-email', 'hostname', 'idn-hostname', 'ipv4', 'ipv6', 'uri',
  'uri-reference', 'iri', 'iri-reference', 'uuid', 'uri-template', 'json-pointer', 'relative-json-pointer', 'regex',
  'byte', 'binary', 'password',
]);
/** Formats defined for numbers: on a boolean, an object or an array they contradict the type. */
const NUMBER_FORMATS = new Set(['int32', 'int64', 'float', 'double']);

/** A description that says the value is a date or time written as text (ISO 8601, RFC 3339, "date string"). */
const TEXT_DATE =
  /\b(ISO|RFC)[- ]?(8601|3339)?\b[^.]*\b(date|time|timestamp)|\b(date|time|timestamp)\b[^.]*\b(ISO|RFC)[- ]?(8601|3339)?\b|\b(date|time|timestamp)[- ]?(time)? string\b|\bdate[- ]time\b/i;
/** A description that says the number is a point in time as a count (epoch seconds, milliseconds): no contradiction. */
const COUNTED_TIME = /\b(epoch|unix|seconds since|milliseconds since|millis|timestamp in (milli)?seconds)\b/i;

const NON_STRING = new Set(['integer', 'number', 'boolean']);

function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** Whether a value is of one of the declared types (an integer is a number too). */
function ofType(value: unknown, types: readonly string[]): boolean {
  const type = jsonTypeOf(value);
  return types.includes(type) || (type === 'integer' && types.includes('number'));
}

const short = (value: unknown) => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
};

/** The examples a schema gives: 3.0's `example`, 3.1's `examples` list. */
function examplesOf(schema: Schema): unknown[] {
  const examples = (schema as { examples?: unknown }).examples;
  return [...(schema.example !== undefined ? [schema.example] : []), ...(Array.isArray(examples) ? examples : [])];
}

/**
 * Every way a field's type is contradicted by the rest of its schema; empty when it agrees with itself, has no one
 * type, or is an object or an array (whose examples the example-matches-schema lint rule judges whole).
 */
export function contradictionsOf(schema: Schema): Contradiction[] {
  const types = declaredTypes(schema);
  if (types.length !== 1) return [];
  const type = types[0]!;
  if (!['string', 'integer', 'number', 'boolean'].includes(type)) return [];
  const found: Contradiction[] = [];
  const format = typeof schema.format === 'string' ? schema.format : undefined;
  if (format !== undefined && ((NON_STRING.has(type) && STRING_FORMATS.has(format)) || (type === 'boolean' && NUMBER_FORMATS.has(format)))) {
    found.push({ by: 'format', message: `type ${type}, but format ${format}, which is for ${STRING_FORMATS.has(format) ? 'strings' : 'numbers'}` });
  }
  const description = schema.description?.trim();
  if (description && NON_STRING.has(type) && TEXT_DATE.test(description) && !COUNTED_TIME.test(description)) {
    found.push({ by: 'description', message: `type ${type}, but described as ${short(description)}` });
  }
  for (const example of examplesOf(schema)) {
    if (example === null && isNullable(schema)) continue;
    if (!ofType(example, types)) {
      found.push({ by: 'example', message: `type ${type}, but its example ${short(example)} is ${jsonTypeOf(example) === 'integer' ? 'an' : 'a'} ${jsonTypeOf(example)}` });
      break;
    }
  }
  const strays = (Array.isArray(schema.enum) ? schema.enum : []).filter((value) => value !== null && !ofType(value, types));
  if (strays.length > 0) {
    found.push({ by: 'enum', message: `type ${type}, but its enum has ${strays.map(short).join(', ')}, not ${type === 'integer' ? 'an' : 'a'} ${type}` });
  }
  return found;
}

/** The field's contradictions and how a run treats them; undefined for a field that agrees with itself. */
export function selfContradiction(schema: Schema): SelfContradiction | undefined {
  const contradictions = contradictionsOf(schema);
  if (contradictions.length === 0) return undefined;
  const numericEnum =
    contradictions.every((c) => c.by === 'enum') && Array.isArray(schema.enum) && schema.enum.length > 0 && schema.enum.every(spellsInteger);
  return {
    contradictions,
    treatment: numericEnum
      ? {
          kind: 'numeric-enum',
          text: "judged by BEHAVIOUR.md's rule for an enum of integers: the strings and the numbers are both accepted, and set the integer",
        }
      : {
          kind: 'schema-valid-unjudged',
          text: 'values valid by the schema as written are sent, and the outcome is not judged, since the document allows both readings; everything else staying as it was still is',
        },
  };
}
