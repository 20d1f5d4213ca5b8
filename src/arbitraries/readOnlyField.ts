/**
 * Body keys the request schema does not have: the Job's read-only properties (id, status, stats, ...) with values
 * shaped like the Job's, and unknown keys. BEHAVIOUR.md: they are ignored and change nothing. The unknown keys lean
 * on what servers get wrong: prototype keys (`__proto__` merged into an object), case and spelling variants of real
 * fields (case-insensitive binders), the query parameter that carries the API key.
 */
import fc from 'fast-check';
import type { OpenAPIV3 } from 'openapi-types';
import { schemaValue } from './schemaValue';
import type { ExtraField } from './types';

export interface ReadOnlyFieldConstraints {
  /** The Job properties the request schema lacks, with their schemas. */
  readonly readOnly: Readonly<Record<string, OpenAPIV3.SchemaObject>>;
  /** Every key that is not unknown: the request body's properties and the Job's. */
  readonly known: readonly string[];
  /** The request body's property names (their case and spelling variants become unknown keys). */
  readonly bodyFields: readonly string[];
  /** Other names worth sending, e.g. the API-key query parameter's. */
  readonly extraNames?: readonly string[];
}

function variants(name: string): string[] {
  const snake = name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return [name.charAt(0).toUpperCase() + name.slice(1), name.toUpperCase(), name.toLowerCase(), snake, ` ${name}`, `${name} `];
}

export function readOnlyField(constraints: ReadOnlyFieldConstraints): fc.Arbitrary<ExtraField> {
  const known = new Set(constraints.known);
  const readOnlyEntries = Object.entries(constraints.readOnly);
  const readOnly = readOnlyEntries.map(([key, schema]) =>
    fc.oneof(
      { arbitrary: schemaValue(schema), weight: 3 },
      { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 1 },
    ).map((value): ExtraField => ({ key, value, label: `read-only Job field ${key}` })),
  );
  const named = [
    ...constraints.bodyFields.flatMap((f) => variants(f).map((v) => [v, `variant of "${f}"`] as const)),
    ...['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', ''].map((k) => [k, 'prototype or empty key'] as const),
    ...(constraints.extraNames ?? []).map((k) => [k, 'name of the API-key parameter'] as const),
    ...['jobId', 'job', 'data', '$set'].map((k) => [k, 'plausible wrapper key'] as const),
  ].filter(([key]) => !known.has(key));
  const unknownNamed = fc
    .tuple(fc.constantFrom(...named), fc.jsonValue({ maxDepth: 2 }))
    .map(([[key, why], value]): ExtraField => ({ key, value, label: `unknown key ${JSON.stringify(key)} (${why})` }));
  const unknownRandom = fc
    .tuple(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }).filter((k) => !known.has(k)), fc.jsonValue({ maxDepth: 2 }))
    .map(([key, value]): ExtraField => ({ key, value, label: 'unknown key' }));
  return fc.oneof(
    ...(readOnly.length > 0 ? [{ arbitrary: fc.oneof(...readOnly), weight: 3 }] : []),
    { arbitrary: unknownNamed, weight: 2 },
    { arbitrary: unknownRandom, weight: 1 },
  );
}
