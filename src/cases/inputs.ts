/**
 * The fixed inputs of groups 2 and 3, by the kind of each request field's schema (free string, date-time, enum), so a
 * field a newer contract adds is covered by its kind. The values are what breaks servers and what BEHAVIOUR.md
 * singles out; the fields, enums and examples come from the contract.
 */
import type { OpenAPIV3 } from 'openapi-types';
import { fieldKindOf, type FieldKind } from '../contract/model';
import { dateTimeVerdict } from '../validation/date-time';
import type { ConformanceFacts } from '../checks/facts';

/**
 * The model's kind of a request field's schema. The model refuses a contract with a request field of another type,
 * so only a schema from elsewhere (none, `{}`) falls back to the free string.
 */
function kindOf(schema: OpenAPIV3.SchemaObject): FieldKind {
  return fieldKindOf(schema) ?? { type: 'string' };
}

export interface Labelled {
  readonly label: string;
  readonly value: unknown;
}

const l = (label: string, value: unknown): Labelled => ({ label, value });

const NAMES: readonly Labelled[] = [
  l('plain', 'lilt-conformance probe'),
  l('empty', ''),
  l('Unicode and astral', 'Ünïcödé — 名前 😀 𝄞'),
  l('quotes, backslashes, controls', 'quote " backslash \\ slash / tab \t newline \n nul \u0000'),
  // "Stored exactly": a server that trims, normalizes, strips invisible characters or rewrites line breaks fails these.
  l('leading and trailing whitespace', ' \t lilt-conformance padded \u00a0\n'),
  l('only whitespace', ' \t\r\n\u3000 '),
  l('combining marks (NFD)', 'Cafe\u0301 Zoe\u0308 \u1100\u1161 A\u030a'),
  l('precomposed characters (NFC)', 'Caf\u00e9 Zo\u00eb \uac00 \u00c5'),
  l('characters NFC and NFKC rewrite', 'Angstrom \u212b, ligature \ufb01, full-width \uff21\uff22'),
  l('bidi controls', '\u202eright-to-left\u202c \u2067isolate\u2069 \u200fmark\u200e \u061c'),
  l('zero-width characters', 'zero\u200bwidth\u200cnon\u200djoiner\u2060word\ufeffjoiner'),
  l('every line break', 'CRLF\r\nLF\nCR\rNEL\u0085LS\u2028PS\u2029end'),
  l('10 kB', 'x'.repeat(10_240)),
];

const DATE_TIMES: readonly Labelled[] = [
  l('Z', '2031-01-02T03:04:05Z'),
  l('milliseconds and +09:00', '2031-01-02T03:04:05.123+09:00'),
  l('lowercase t and z', '2031-01-02t03:04:05z'),
  l('leap day, 9 fraction digits', '2032-02-29T12:00:00.123456789Z'),
  l('-05:30, 1 fraction digit', '2031-12-31T23:59:59.5-05:30'),
  l('zero milliseconds', '2031-01-02T03:04:05.000Z'),
];

/** RFC 3339 says no, and lenient validators say no too: must be refused. */
const BAD_DATE_TIMES: readonly Labelled[] = [
  l('zone-less', '2021-06-03T13:43:00'),
  l('impossible Feb 29', '2021-02-29T10:00:00Z'),
  l('month 13', '2021-13-01T00:00:00Z'),
  l('June 31', '2021-06-31T00:00:00Z'),
  l('hour 24', '2021-06-03T24:00:00Z'),
  l('date only', '2021-06-03'),
  l('no seconds', '2021-06-03T13:43Z'),
  l('offset +24:00', '2021-06-03T13:43:00+24:00'),
  l('words', 'not a date'),
  l('empty', ''),
  l('epoch milliseconds', 1622727780000),
];

/** Forms BEHAVIOUR.md leaves open: any answer but a 5xx or a malformed response. */
const OPEN_DATE_TIMES: readonly Labelled[] = [
  l('space for T', '2031-01-02 03:04:05Z'),
  l('offset +09', '2031-01-02T03:04:05+09'),
  l('offset +0900', '2031-01-02T03:04:05+0900'),
  l('leap second', '2016-12-31T23:59:60Z'),
];

const WRONG_TYPES: readonly Labelled[] = [
  l('number', 42),
  l('boolean', true),
  l('null', null),
  l('object', {}),
  l('array', ['x']),
];

/** An enum of integer strings ("0", "1", "-2") whose prose says "integers": the numbers are accepted too (BEHAVIOUR.md). */
function numericEnum(kind: FieldKind): number[] {
  return kind.type === 'enum' && kind.numeric ? kind.values.map(Number) : [];
}

export function validValues(schema: OpenAPIV3.SchemaObject): Labelled[] {
  const kind = kindOf(schema);
  switch (kind.type) {
    case 'string':
      return [...NAMES];
    case 'date-time': {
      const example = typeof schema.example === 'string' && dateTimeVerdict(schema.example) === 'rfc3339' ? [l("the document's example", schema.example)] : [];
      return [...DATE_TIMES, ...example];
    }
    case 'enum': {
      const strings = kind.values.map((v) => l(`enum ${JSON.stringify(v)}`, v));
      const numbers = numericEnum(kind).map((n) => l(`the integer ${n}`, n));
      return [...strings, ...numbers];
    }
  }
}

export function invalidValues(schema: OpenAPIV3.SchemaObject): Labelled[] {
  const kind = kindOf(schema);
  switch (kind.type) {
    case 'string':
      return [...WRONG_TYPES];
    case 'date-time':
      return [...BAD_DATE_TIMES, ...WRONG_TYPES.filter((w) => w.label !== 'number')];
    case 'enum': {
      const values: readonly unknown[] = kind.values;
      const numbers = numericEnum(kind);
      const nearMisses: Labelled[] = [];
      const add = (label: string, value: unknown) => {
        if (!values.includes(value) && !numbers.includes(value as number) && !nearMisses.some((m) => m.value === value)) {
          nearMisses.push(l(label, value));
        }
      };
      if (numbers.length > 0) {
        const max = Math.max(...numbers);
        add('one past the largest', String(max + 1));
        add('one past the largest, as a number', max + 1);
        add('leading zero', `0${numbers.find((n) => n >= 0) ?? 0}`);
        add('decimal', `${numbers[0]}.0`);
        add('fraction', 0.5);
        add('leading space', ` ${numbers[0]}`);
      }
      if (schema.example !== undefined) add("the document's own example", schema.example);
      // The names the description gives the values ("Ok = 0"): a client might send the name.
      for (const match of (schema.description ?? '').matchAll(/([A-Za-z]\w*)\s*=\s*-?\d+/g)) add(`the name ${match[1]}`, match[1]);
      add('empty', '');
      return [...nearMisses, ...WRONG_TYPES.filter((w) => w.label !== 'number')];
    }
  }
}

export function openValues(schema: OpenAPIV3.SchemaObject): Labelled[] {
  return kindOf(schema).type === 'date-time' ? [...OPEN_DATE_TIMES] : [];
}

export const MALFORMED_BODIES: readonly Labelled[] = [
  l('truncated', '{"name":'),
  l('unquoted key', '{name: "x"}'),
  l('single quotes', "{'name': 'x'}"),
  l('trailing comma', '{"name": "x",}'),
  l('two objects', '{}{}'),
  l('not JSON', 'name=x'),
];

export const NON_OBJECT_BODIES: readonly Labelled[] = [
  l('array', '[]'),
  l('array of an object', '[{"name":"x"}]'),
  l('string', '"name"'),
  l('number', '42'),
  l('null', 'null'),
  l('true', 'true'),
];

/** A value of the Job property's type that differs from `current`: to send as a read-only field. */
export function otherValueFor(schema: OpenAPIV3.SchemaObject, current: unknown): unknown {
  switch (schema.type) {
    case 'integer':
    case 'number':
      return typeof current === 'number' ? current + 1000 : 1000;
    case 'boolean':
      return current !== true;
    case 'array':
      return Array.isArray(current) && current.length === 0 ? [{}] : [];
    case 'object':
      return { injected: 'lilt-conformance' };
    default:
      if (schema.format === 'date-time') return current === '2001-01-01T00:00:00Z' ? '2002-01-01T00:00:00Z' : '2001-01-01T00:00:00Z';
      return `lilt-conformance-${String(current)}`;
  }
}

/**
 * The values the run writes that no real job would hold by chance: its fixed names (the empty one aside) and its
 * date-times in 2016, 2031 and 2032 (the document's own example aside). Found in a job before a run starts, they
 * mean another run is working on it, or one was killed before it put the job back (src/run/marker.ts).
 */
export function recognisableRunValues(): { readonly strings: readonly string[]; readonly dateTimes: readonly string[] } {
  return {
    strings: NAMES.map((n) => n.value).filter((v): v is string => typeof v === 'string' && v !== ''),
    dateTimes: [...DATE_TIMES, ...OPEN_DATE_TIMES].map((d) => d.value).filter((v): v is string => typeof v === 'string'),
  };
}

export function isUpdatable(facts: ConformanceFacts, field: string): boolean {
  return facts.updatableFields.includes(field);
}
