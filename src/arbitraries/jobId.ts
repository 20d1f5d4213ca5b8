/**
 * Path segments for the job id, with what BEHAVIOUR.md says each must get: the existing job (200), a positive integer
 * naming no job (404), anything that is not a positive integer in range (a 4xx), and the spellings it leaves open
 * (leading zeros, a leading '+').
 *
 * The valid integers other than the two given ids are large ones only (2^31 - 1 and up): small random ids may well
 * name real jobs on a shared staging, where 'missing' would be a false alarm (and a write would touch someone's job).
 * Sending `{}` or no body with these cases keeps even a wrong guess harmless.
 */
import fc from 'fast-check';
import type { IdCase } from './types';

export interface JobIdConstraints {
  /** An id that names an existing job. */
  readonly existing: number;
  /** An id that names no job. */
  readonly missing: number;
  /** The smallest valid id (from the contract, else BEHAVIOUR.md's "positive"). */
  readonly min: bigint;
  /** The largest valid id (from the contract's format, else BEHAVIOUR.md's "2^63 and larger" are invalid). */
  readonly max: bigint;
}

const enc = encodeURIComponent;

/** Spellings of the integer `n` that a lenient parser reads as n but that are not a positive decimal integer. */
function sloppySpellings(n: bigint): [string, string][] {
  return [
    ['decimal point', `${n}.0`],
    ['trailing decimal point', `${n}.`],
    ['exponent', `${n}e0`],
    ['hexadecimal', `0x${n.toString(16)}`],
    ['octal prefix', `0o${n.toString(8)}`],
    ['binary prefix', `0b${n.toString(2)}`],
    ['trailing letters (parseInt stops there)', `${n}abc`],
    ['leading space', enc(` ${n}`)],
    ['trailing space', enc(`${n} `)],
    ['trailing NUL', `${n}%00`],
    ['digit separators', `${String(n).replace(/(\d)(?=(\d{3})+$)/g, '$1_')}_`],
    ['full-width digits', enc(String(n).replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d))))],
    ['Arabic-Indic digits', enc(String(n).replace(/\d/g, (d) => String.fromCharCode(0x0660 + Number(d))))],
    ['negated', `-${n}`],
    ['in brackets', enc(`[${n}]`)],
  ];
}

/** Integers at the edges of the usual integer types (int32, uint32, double, int64, uint64), and some that wrap onto the existing id. */
function boundaryIds(existing: bigint): [string, bigint][] {
  return [
    ['2^31 - 1', 2n ** 31n - 1n],
    ['2^31', 2n ** 31n],
    ['2^32 - 1', 2n ** 32n - 1n],
    ['2^32', 2n ** 32n],
    ['existing id + 2^32 (an int32 wraps it to the existing job)', existing + 2n ** 32n],
    ['existing id + 2^31', existing + 2n ** 31n],
    ['2^53 - 1', 2n ** 53n - 1n],
    ['2^53', 2n ** 53n],
    ['2^53 + 1 (a double rounds it)', 2n ** 53n + 1n],
    ['2^63 - 1', 2n ** 63n - 1n],
    ['2^63', 2n ** 63n],
    ['2^63 + existing id', 2n ** 63n + existing],
    ['2^64 - 1', 2n ** 64n - 1n],
    ['2^64 + existing id (a uint64 wraps it to the existing job)', 2n ** 64n + existing],
    ['10^30', 10n ** 30n],
  ];
}

/** Segments that are not a positive integer, whatever the contract's range: BEHAVIOUR.md wants a 4xx for each. */
function invalidSegments(existing: bigint): [string, string][] {
  return [
    ['empty', ''],
    ['zero', '0'],
    ['double zero', '00'],
    ['minus zero', '-0'],
    ['plus zero', '+0'],
    ['minus one', '-1'],
    ['decimal', '1.5'],
    ['exponent', '1e3'],
    ['fraction only', '.5'],
    ['letters', 'abc'],
    ['Infinity', 'Infinity'],
    ['NaN', 'NaN'],
    ['null', 'null'],
    ['true', 'true'],
    ['minus 2^63', `-${2n ** 63n}`],
    ['400 nines', '9'.repeat(400)],
    ['NUL', '%00'],
    ['invalid UTF-8', '%FF'],
    ['malformed percent-encoding', '%zz'],
    ['lone percent sign', '%'],
    ['encoded quote', '%22'],
    ...sloppySpellings(existing).map(([l, s]): [string, string] => [`existing id, ${l}`, s]),
  ];
}

/** Spellings of a valid id that BEHAVIOUR.md leaves open (leading zeros, a plus sign, percent-encoded digits). */
function openSpellings(existing: bigint, missing: bigint): [string, string][] {
  return [
    ['existing id with a leading zero', `0${existing}`],
    ['existing id with leading zeros', `000${existing}`],
    ['existing id with a plus sign', enc(`+${existing}`)],
    ['existing id with a raw plus sign', `+${existing}`],
    ['missing id with a leading zero', `0${missing}`],
    // RFC 3986 6.2.2.2: percent-encoded digits are the same URI after normalisation, but not every server normalises.
    ['existing id, percent-encoded digits', [...String(existing)].map((d) => `%3${d}`).join('')],
  ];
}

const pickCase = <T extends readonly [string, unknown]>(entries: readonly T[]) => fc.constantFrom(...entries);

/** Anything that does not spell a (possibly '+'-signed) integer, percent-encoded as a client would send it. */
const notANumber: fc.Arbitrary<IdCase> = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 12 })
  .filter((s) => !/^\+?\d*$/.test(s) && s !== '.' && s !== '..')
  .map((s): IdCase => ({ segment: enc(s), expectation: 'invalid', label: 'not a number' }));

export function jobIdCase(constraints: JobIdConstraints): fc.Arbitrary<IdCase> {
  const { min, max } = constraints;
  const existing = BigInt(constraints.existing);
  const missing = BigInt(constraints.missing);
  if (existing < min || existing > max) throw new Error(`existing job id ${existing} is outside ${min}..${max}`);
  const valid = (n: bigint, label: string): IdCase => ({
    segment: String(n),
    expectation: n < min || n > max ? 'invalid' : n === existing ? 'existing' : 'missing',
    label,
  });
  return fc.oneof(
    { arbitrary: fc.constant(valid(existing, 'existing id')), weight: 2 },
    { arbitrary: fc.constant(valid(missing, 'missing id')), weight: 2 },
    { arbitrary: pickCase(boundaryIds(existing)).map(([label, n]) => valid(n, label)), weight: 4 },
    {
      arbitrary: fc.bigInt({ min: 2n ** 31n, max: 2n ** 64n }).map((n) => valid(n, 'large integer')),
      weight: 2,
    },
    {
      arbitrary: pickCase(invalidSegments(existing)).map(([label, segment]): IdCase => ({ segment, expectation: 'invalid', label })),
      weight: 6,
    },
    { arbitrary: notANumber, weight: 2 },
    {
      arbitrary: pickCase(openSpellings(existing, missing)).map(([label, segment]): IdCase => ({
        segment,
        expectation: 'open',
        label,
        rule: label.includes('percent-encoded') ? 'id.percent-encoded' : 'id.open-spellings',
      })),
      weight: 2,
    },
  );
}
