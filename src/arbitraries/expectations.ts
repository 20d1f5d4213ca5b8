/** Small shared helpers for building cases: picking groups by expectation, and the wrong-type values. */
import fc from 'fast-check';
import type { Expectation, FieldCase } from './types';

export interface ExpectationConstraints {
  /** Which expectations to generate (default all three; a field with no 'open' values ignores 'open'). */
  readonly expectations?: readonly Expectation[];
}

export type Grouped<T> = Partial<Record<Expectation, fc.Arbitrary<FieldCase<T>>>>;

/** Relative weights when all groups are wanted: mostly accepted values, so bodies with several fields still pass. */
const WEIGHT: Record<Expectation, number> = { accept: 6, reject: 3, open: 1 };

export function pick<T>(groups: Grouped<T>, constraints: ExpectationConstraints, what: string): fc.Arbitrary<FieldCase<T>> {
  const wanted = constraints.expectations ?? (['accept', 'reject', 'open'] as const);
  const chosen = wanted.flatMap((e) => {
    const arbitrary = groups[e];
    return arbitrary ? [{ arbitrary, weight: WEIGHT[e] }] : [];
  });
  if (chosen.length === 0) throw new Error(`${what}: no values with expectation ${wanted.join('/')}`);
  return chosen.length === 1 ? chosen[0]!.arbitrary : fc.oneof(...chosen);
}

export function cases<T>(expectation: Expectation, label: string, values: fc.Arbitrary<T>): fc.Arbitrary<FieldCase<T>> {
  return values.map((value) => ({ value, expectation, label }));
}

/** Constant cases, each with its own label; shrinks toward the first. */
export function constantCases<T>(expectation: Expectation, entries: ReadonlyArray<readonly [string, T]>): fc.Arbitrary<FieldCase<T>> {
  return fc.constantFrom(...entries).map(([label, value]) => ({ value, expectation, label }));
}

/** A finite double that is not -0 (JSON.stringify(-0) is "0": the value would not round-trip). */
export const finiteNumber = fc
  .double({ noNaN: true, noDefaultInfinity: true })
  .map((n) => (Object.is(n, -0) ? 0 : n));

/** Any JSON value that is not a string, by JSON type: what a string field must refuse. */
export function nonStringCases(): fc.Arbitrary<FieldCase<unknown>> {
  const small = fc.jsonValue({ maxDepth: 2 });
  return fc.oneof(
    cases<unknown>('reject', 'wrong type: integer', fc.integer()),
    cases<unknown>('reject', 'wrong type: number', finiteNumber),
    cases<unknown>('reject', 'wrong type: boolean', fc.boolean()),
    cases<unknown>('reject', 'wrong type: null', fc.constant(null)),
    cases<unknown>('reject', 'wrong type: array', fc.array(small, { maxLength: 3 })),
    cases<unknown>('reject', 'wrong type: object', fc.dictionary(fc.string({ maxLength: 8 }), small, { maxKeys: 3, noNullPrototype: true })),
  );
}
