/**
 * A `format: date-time` body field (due). BEHAVIOUR.md: RFC 3339 section 5.6 must be accepted (T or t, Z or z or
 * +hh:mm / -hh:mm, real calendar dates with leap days, seconds 00-59, a fraction of any length); a space for T, +09,
 * +0900 and leap seconds are open; anything else is refused.
 *
 * Values are built by construction, and each label starts with what the construction meant ('rfc3339', 'open',
 * 'invalid'); the expectation itself comes from `dateTimeVerdict`, the classifier the checks use, so the two cannot
 * drift apart unnoticed: the tests assert that every label's prefix agrees with the verdict.
 */
import fc from 'fast-check';
import { dateTimeVerdict, type DateTimeVerdict } from '../validation/date-time';
import { constantCases, nonStringCases, pick, type ExpectationConstraints } from './expectations';
import type { Expectation, FieldCase } from './types';

export interface DateTimeFieldConstraints extends ExpectationConstraints {
  /** An example date-time from the contract, used as one more fixed case (labelled by its verdict). */
  readonly example?: unknown;
  /**
   * Most digits in a generated fraction of a second.
   * @defaultValue 9 (nanoseconds; one fixed case has 15)
   */
  readonly maxFractionDigits?: number;
}

const EXPECTATION: Record<DateTimeVerdict, Expectation> = { rfc3339: 'accept', open: 'open', invalid: 'reject' };

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

interface Moment {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly fraction: string;
}

/**
 * A real local date and time. Years 0001-9998, so that any offset keeps the UTC instant within 0000-9999 and a
 * provider normalising to Z can still write it in RFC 3339 (years 0000 and 9999 are fixed cases, in Z).
 */
function moment(maxFractionDigits: number): fc.Arbitrary<Moment> {
  const year = fc.oneof(
    { arbitrary: fc.integer({ min: 1970, max: 2100 }), weight: 4 },
    { arbitrary: fc.integer({ min: 1, max: 9998 }), weight: 1 },
  );
  return fc
    .record({
      year,
      month: fc.integer({ min: 1, max: 12 }),
      day: fc.integer({ min: 1, max: 31 }),
      hour: fc.integer({ min: 0, max: 23 }),
      minute: fc.integer({ min: 0, max: 59 }),
      second: fc.integer({ min: 0, max: 59 }),
      fraction: fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: maxFractionDigits }),
    })
    // Clamping (not filtering) keeps every draw, and puts extra weight on month ends: 28, 29, 30, 31.
    .map((m) => ({ ...m, day: Math.min(m.day, daysInMonth(m.year, m.month)) }));
}

type Zone = { readonly text: string; readonly label: string };

const offset = fc
  .record({ sign: fc.constantFrom('+', '-'), hours: fc.integer({ min: 0, max: 23 }), minutes: fc.integer({ min: 0, max: 59 }) })
  .map(({ sign, hours, minutes }): Zone => ({ text: `${sign}${pad(hours)}:${pad(minutes)}`, label: `offset ${sign}hh:mm` }));

const zone: fc.Arbitrary<Zone> = fc.oneof(
  fc.constantFrom<Zone>({ text: 'Z', label: 'Z' }, { text: 'z', label: 'lowercase z' }),
  offset,
);

function dateText(m: Moment): string {
  return `${pad(m.year, 4)}-${pad(m.month)}-${pad(m.day)}`;
}
function timeText(m: Moment): string {
  return `${pad(m.hour)}:${pad(m.minute)}:${pad(m.second)}${m.fraction ? `.${m.fraction}` : ''}`;
}

function rfc3339(maxFractionDigits: number): fc.Arbitrary<FieldCase<unknown>> {
  return fc
    .record({ m: moment(maxFractionDigits), t: fc.constantFrom('T', 't'), zone })
    .map(({ m, t, zone: z }) => {
      const features = [
        t === 't' ? 'lowercase t' : undefined,
        z.label,
        m.month === 2 && m.day === 29 ? 'leap day' : undefined,
        `fraction ${m.fraction.length} digits`,
      ].filter((f): f is string => f !== undefined);
      const value = `${dateText(m)}${t}${timeText(m)}${z.text}`;
      return { value, expectation: 'accept' as const, label: `rfc3339 ${features.join(', ')}` };
    });
}

/** Forms lenient validators accept and RFC 3339 does not, and leap seconds: BEHAVIOUR.md leaves them open. */
function openForms(maxFractionDigits: number): fc.Arbitrary<FieldCase<unknown>> {
  const m = moment(maxFractionDigits);
  const sign = fc.constantFrom('+', '-');
  const hh = fc.integer({ min: 0, max: 23 }).map((h) => pad(h));
  const mm = fc.integer({ min: 0, max: 59 }).map((x) => pad(x));
  const open = (label: string, values: fc.Arbitrary<string>) =>
    values.map((value): FieldCase<unknown> => ({ value, expectation: 'open', label: `open: ${label}`, rule: 'body.due-open-forms' }));
  return fc.oneof(
    open('space for T', fc.tuple(m, zone).map(([x, z]) => `${dateText(x)} ${timeText(x)}${z.text}`)),
    open('offset +hh', fc.tuple(m, sign, hh).map(([x, s, h]) => `${dateText(x)}T${timeText(x)}${s}${h}`)),
    open('offset +hhmm', fc.tuple(m, sign, hh, mm).map(([x, s, h, n]) => `${dateText(x)}T${timeText(x)}${s}${h}${n}`)),
    // RFC 3339 5.7: a leap second is 23:59:60 UTC at the end of a month; shown here at any offset (local date and
    // time shifted to match). Only such instants: a response that writes one back must pass response conformance.
    open(
      'leap second',
      fc.tuple(m, fc.integer({ min: -23 * 60 - 59, max: 23 * 60 + 59 })).map(([x, off]) => {
        const at = new Date(0);
        at.setUTCFullYear(x.year, x.month - 1, daysInMonth(x.year, x.month)); // not Date.UTC: years 0-99
        at.setUTCHours(23, 59 + off, 0, 0);
        const local = { ...x, year: at.getUTCFullYear(), month: at.getUTCMonth() + 1, day: at.getUTCDate() };
        const z = off === 0 ? 'Z' : `${off < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
        return `${dateText(local)}T${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:60${x.fraction ? `.${x.fraction}` : ''}${z}`;
      }),
    ),
  );
}

/** Impossible fields (one at a time, the rest valid), wrong shapes and garbage: all must be refused. */
function invalidForms(maxFractionDigits: number): fc.Arbitrary<FieldCase<unknown>> {
  const m = moment(maxFractionDigits);
  const bad = (label: string, values: fc.Arbitrary<string>) =>
    values.map((value): FieldCase<unknown> => ({ value, expectation: 'reject', label: `invalid: ${label}` }));
  const build = (x: Moment, z = 'Z') => `${dateText(x)}T${timeText(x)}${z}`;
  return fc.oneof(
    bad('month 13 or 00', fc.tuple(m, fc.constantFrom(0, 13, 19, 99)).map(([x, month]) => build({ ...x, month }))),
    bad('day 00', m.map((x) => build({ ...x, day: 0 }))),
    bad('day past month end', m.map((x) => build({ ...x, day: daysInMonth(x.year, x.month) + 1 }))),
    bad('hour 24 or more', fc.tuple(m, fc.integer({ min: 24, max: 99 })).map(([x, hour]) => build({ ...x, hour }))),
    bad('minute 60 or more', fc.tuple(m, fc.integer({ min: 60, max: 99 })).map(([x, minute]) => build({ ...x, minute }))),
    bad('second 61 or more', fc.tuple(m, fc.integer({ min: 61, max: 99 })).map(([x, second]) => build({ ...x, second }))),
    bad('offset hour 24 or more', fc.tuple(m, fc.integer({ min: 24, max: 99 })).map(([x, h]) => build(x, `+${pad(h)}:00`))),
    bad('offset minute 60 or more', fc.tuple(m, fc.integer({ min: 60, max: 99 })).map(([x, n]) => build(x, `-01:${pad(n)}`))),
    bad('zone-less', m.map((x) => `${dateText(x)}T${timeText(x)}`)),
    bad('date only', m.map(dateText)),
    bad('time only', m.map((x) => `${timeText(x)}Z`)),
    bad('surrounding whitespace', fc.tuple(m, fc.constantFrom(' ', '\n', '\t')).map(([x, w]) => `${w}${build(x)}${w}`)),
    bad('garbage', fc.string({ unit: 'grapheme', maxLength: 30 }).filter((s) => dateTimeVerdict(s) === 'invalid')),
    constantCases<unknown>('reject', FIXED_INVALID.map(([label, value]) => [`invalid: ${label}`, value] as const)),
  );
}

const FIXED_RFC3339: ReadonlyArray<readonly [string, string]> = [
  ['leap day', '2024-02-29T12:00:00Z'],
  ['leap day, century divisible by 400', '2000-02-29T00:00:00Z'],
  ['the epoch', '1970-01-01T00:00:00Z'],
  ['just before the epoch, 9-digit fraction', '1969-12-31T23:59:59.999999999Z'],
  ['2^31 seconds after the epoch', '2038-01-19T03:14:08Z'],
  ['year 0000', '0000-01-01T00:00:00Z'],
  ['year 9999', '9999-12-31T23:59:59.999Z'],
  ['unknown local offset -00:00', '2024-01-01T10:00:00-00:00'],
  ['offset +23:59', '2024-06-30T23:59:59+23:59'],
  ['offset -23:59', '2024-06-30T00:00:00-23:59'],
  ['lowercase t and z', '2024-03-10t02:30:00z'],
  ['fraction 15 digits (any length is allowed)', '2024-01-01T10:00:00.123456789012345Z'],
  ['fraction of zeros', '2024-01-01T10:00:00.000000000Z'],
];

const FIXED_OPEN: ReadonlyArray<readonly [string, string]> = [
  ['space for T', '2024-01-01 10:00:00Z'],
  ['offset +hh', '2024-01-01T10:00:00+09'],
  ['offset +hhmm', '2024-01-01T10:00:00+0900'],
  ['leap second', '2016-12-31T23:59:60Z'],
  ['leap second at an offset', '2016-12-31T15:59:60-08:00'],
];

const FIXED_INVALID: ReadonlyArray<readonly [string, string]> = [
  ['not a leap year', '2023-02-29T00:00:00Z'],
  ['century not divisible by 400', '1900-02-29T00:00:00Z'],
  ['February 30', '2022-02-30T00:00:00Z'],
  ['April 31', '2024-04-31T00:00:00Z'],
  ['hour 24', '2024-01-01T24:00:00Z'],
  ['leap second not at 23:59 UTC', '2016-12-31T12:00:60Z'],
  ['no seconds', '2024-01-01T10:00Z'],
  ['empty fraction', '2024-01-01T10:00:00.Z'],
  ['comma fraction', '2024-01-01T10:00:00,5Z'],
  ['basic format', '20240101T100000Z'],
  ['expanded year', '+002024-01-01T00:00:00Z'],
  ['one-digit hour', '2024-01-01T1:00:00Z'],
  ['one-digit offset hour', '2024-01-01T10:00:00+9:00'],
  ['UTC spelled out', '2024-01-01T10:00:00UTC'],
  ['space before Z', '2024-01-01T10:00:00 Z'],
  ['zone-less with space', '2024-01-01 10:00:00'],
  ['RFC 1123 (Date.parse accepts it)', 'Mon, 01 Jan 2024 10:00:00 GMT'],
  ['slashes', '2024/01/01 10:00:00'],
  ['epoch seconds as a string', '1704103200'],
  ['epoch milliseconds as a string', '1704103200000'],
  ['empty string', ''],
  ['the word now', 'now'],
  ['the word null', 'null'],
];

export function dateTimeFieldCase(constraints: DateTimeFieldConstraints = {}): fc.Arbitrary<FieldCase<unknown>> {
  const digits = constraints.maxFractionDigits ?? 9;
  const fixed = (prefix: string, entries: ReadonlyArray<readonly [string, string]>) =>
    entries.map(([label, value]) => [`${prefix} ${label}`, value] as const);
  const example = typeof constraints.example === 'string' ? [['contract example', constraints.example] as const] : [];
  // The contract's own example is labelled by whatever the classifier says about it (it could be anything).
  const exampleCases = example.map(([label, value]) => {
    const verdict = dateTimeVerdict(value);
    return [`${verdict === 'rfc3339' ? 'rfc3339' : verdict} ${label}`, value, EXPECTATION[verdict]] as const;
  });
  const byExpectation = (e: Expectation) => exampleCases.filter(([, , x]) => x === e).map(([l, v]) => [l, v] as const);

  const groups = {
    accept: fc.oneof(
      { arbitrary: rfc3339(digits), weight: 4 },
      { arbitrary: constantCases<unknown>('accept', [...fixed('rfc3339', FIXED_RFC3339), ...byExpectation('accept')]), weight: 1 },
    ),
    open: fc.oneof(
      { arbitrary: openForms(digits), weight: 3 },
      { arbitrary: constantCases<unknown>('open', [...fixed('open:', FIXED_OPEN), ...byExpectation('open')]), weight: 1 },
    ),
    reject: fc.oneof(
      { arbitrary: invalidForms(digits), weight: 4 },
      { arbitrary: nonStringCases().map((c) => ({ ...c, label: `invalid: ${c.label}` })), weight: 1 },
      ...byExpectation('reject').map((entry) => ({ arbitrary: constantCases<unknown>('reject', [entry]), weight: 1 })),
    ),
  };
  // The run's verdict is the classifier's: a construction slip shows up as a label/expectation mismatch in the tests,
  // never as a wrong verdict in a report.
  // An open value is open by the rule for the date-time forms and leap seconds BEHAVIOUR.md leaves open.
  return pick(groups, constraints, 'date-time field').map((c) => {
    const expectation = typeof c.value === 'string' ? EXPECTATION[dateTimeVerdict(c.value)] : c.expectation;
    return expectation === 'open' ? { ...c, expectation, rule: 'body.due-open-forms' as const } : { ...c, expectation };
  });
}
