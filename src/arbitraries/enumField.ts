/**
 * A string-enum body field (isProcessing). The enum values are accepted as strings; when every value spells an
 * integer, BEHAVIOUR.md also accepts them as JSON numbers (the schema says strings, the prose says integers).
 * Everything else is refused, and the near-misses are derived from the values themselves: padding, leading zeros,
 * signs, decimals, neighbours, 2^32 wrap-arounds (what an int32 cast turns back into an enum value), the words the
 * description names the values by ("Ok = 0" gives "Ok"), the schema's own example when it is not in the enum.
 *
 * JSON spellings of the same numbers (`1.0`, `1e0`, `-0`) cannot be expressed as values here (JSON.parse gives 1):
 * the body arbitrary writes them into the text, and leaves them open (BEHAVIOUR.md names "the JSON numbers 0, 1, -2"
 * without saying whether `1.0` is one of them).
 */
import fc from 'fast-check';
import { cases, constantCases, finiteNumber, pick, type ExpectationConstraints } from './expectations';
import type { FieldCase } from './types';

export interface EnumFieldConstraints extends ExpectationConstraints {
  readonly values: readonly string[];
  /** Every value spells an integer: the numbers are accepted too. */
  readonly numeric: boolean;
  /** The schema's description: `Word = value` lines give the words a client might send instead of the value. */
  readonly description?: string;
  /** The schema's example (the LILT document's is "ExportError", outside its own enum). */
  readonly example?: unknown;
}

/** `Ok = 0` style lines in a description. */
function namedValues(description: string | undefined): string[] {
  return [...(description ?? '').matchAll(/([A-Za-z][A-Za-z0-9_]*)\s*=\s*-?\d+/g)].map((m) => m[1]!);
}

function nearMissStrings(values: readonly string[], words: readonly string[], example: unknown): [string, string][] {
  const misses = new Map<string, string>();
  const add = (label: string, value: string) => {
    if (!values.includes(value) && !misses.has(value)) misses.set(value, label);
  };
  for (const v of values) {
    add('leading space', ` ${v}`);
    add('trailing space', `${v} `);
    add('leading zero', v.startsWith('-') ? `-0${v.slice(1)}` : `0${v}`);
    add('plus sign', `+${v}`);
    add('decimal point', `${v}.0`);
    add('exponent', `${v}e0`);
    add('quoted inside the string', `"${v}"`);
    add('negated', v.startsWith('-') ? v.slice(1) : `-${v}`);
    add('full-width digits (some runtimes parse them)', v.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d))));
    if (/^-?\d+$/.test(v)) {
      add('neighbour', String(Number(v) + 1));
      add('neighbour', String(Number(v) - 1));
      add('2^32 away (an int32 cast wraps it back)', String(Number(v) + 2 ** 32));
    }
  }
  add('double zero', '00');
  add('minus zero', '-0');
  add('empty string', '');
  for (const w of words) {
    add('the name the description gives a value', w);
    add('that name lower-cased', w.toLowerCase());
    add('that name upper-cased', w.toUpperCase());
  }
  if (typeof example === 'string') add("the schema's own example, outside its enum", example);
  return [...misses].map(([value, label]) => [`enum near-miss ${JSON.stringify(value)}: ${label}`, value]);
}

function nearMissNumbers(numbers: readonly number[]): [string, number][] {
  const misses = new Map<number, string>();
  const add = (label: string, n: number) => {
    if (!numbers.includes(n) && !misses.has(n)) misses.set(n, label);
  };
  for (const n of numbers) {
    add('neighbour', n + 1);
    add('neighbour', n - 1);
    add('half past', n + 0.5);
    add('2^32 away (an int32 cast wraps it back)', n + 2 ** 32);
    add('2^53 away', n + 2 ** 53);
  }
  add('a fraction (a lenient int parser truncates it to 1)', 1.5);
  return [...misses].map(([value, label]) => [`enum near-miss number ${value}: ${label}`, value]);
}

export function enumFieldCase(constraints: EnumFieldConstraints): fc.Arbitrary<FieldCase<unknown>> {
  const { values, numeric } = constraints;
  const numbers = numeric ? values.map(Number) : [];
  const words = namedValues(constraints.description);
  const accepted = constantCases<unknown>('accept', [
    ...values.map((v) => [`enum ${JSON.stringify(v)}`, v] as const),
    ...numbers.map((n) => [`enum as the JSON number ${n}`, n] as const),
  ]);
  const rejected = fc.oneof(
    { arbitrary: constantCases<unknown>('reject', nearMissStrings(values, words, constraints.example)), weight: 4 },
    ...(numeric ? [{ arbitrary: constantCases<unknown>('reject', nearMissNumbers(numbers)), weight: 2 }] : []),
    {
      arbitrary: constantCases<unknown>('reject', [
        ['wrong type: true', true],
        ['wrong type: false', false],
        ['wrong type: null', null],
        ['wrong type: empty array', []],
        ['wrong type: the value in an array', [values[0] ?? '']],
        ['wrong type: the value in an object', { value: values[0] ?? '' }],
        ['wrong type: empty object', {}],
      ]),
      weight: 2,
    },
    {
      arbitrary: cases<unknown>('reject', 'not in the enum: any number', numeric ? finiteNumber.filter((n) => !numbers.includes(n)) : finiteNumber),
      weight: 1,
    },
    {
      arbitrary: cases<unknown>('reject', 'not in the enum: any string', fc.string({ maxLength: 6 }).filter((s) => !values.includes(s))),
      weight: 1,
    },
  );
  return pick({ accept: accepted, reject: rejected }, constraints, 'enum field');
}
