/**
 * RFC 3339 section 5.6 date-time, strictly. ajv-formats' own `date-time` also accepts forms RFC 3339 does not have
 * (a space for `T`, `+09`, `+0900`), so it cannot judge a provider's output. BEHAVIOUR.md leaves those forms (and leap
 * seconds) open on input: a provider may accept or refuse them. `dateTimeVerdict` tells the three cases apart.
 */
import { fullFormats } from 'ajv-formats/dist/formats';

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  offsetMinutes: number;
  /** The fraction's digits without trailing zeros ('' for none). */
  fraction: string;
}

function parts(value: string): Parts | undefined {
  const m = RFC3339.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, z, sign, oh, om] = m;
  const offsetHours = Number(oh ?? 0);
  const offsetMins = Number(om ?? 0);
  if (!z && (offsetHours > 23 || offsetMins > 59)) return undefined;
  return {
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h),
    minute: Number(mi),
    second: Number(s),
    offsetMinutes: z ? 0 : (sign === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins),
    fraction: (frac ?? '').slice(1).replace(/0+$/, ''),
  };
}

/** Which seconds 60 a date-time may hold: none, any 23:59:60 UTC, or only a leap-second instant (23:59:60 UTC at a month's end). */
type LeapSeconds = 'none' | 'any-day' | 'month-end';

/** The UTC calendar day of a local date and time at an offset (for a leap second: the day it is inserted at the end of). */
function utcDay(p: Parts): { year: number; month: number; day: number } {
  const date = new Date(0);
  date.setUTCFullYear(p.year, p.month - 1, p.day); // not Date.UTC: it maps years 0-99 to 1900-1999
  date.setUTCHours(p.hour, p.minute - p.offsetMinutes, 0, 0);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

function validCalendarTime(p: Parts, leap: LeapSeconds): boolean {
  if (p.month < 1 || p.month > 12) return false;
  if (p.day < 1 || p.day > daysInMonth(p.year, p.month)) return false;
  if (p.hour > 23 || p.minute > 59) return false;
  if (p.second <= 59) return true;
  if (p.second !== 60 || leap === 'none') return false;
  // RFC 3339 5.7: a leap second is 23:59:60 in UTC.
  const utcMinutes = (p.hour * 60 + p.minute - p.offsetMinutes + 2 * 1440) % 1440;
  if (utcMinutes !== 23 * 60 + 59) return false;
  if (leap === 'any-day') return true;
  // ... "at the end of months in which a leap second occurs" (RFC 3339 5.6, 5.7 and Appendix D).
  const day = utcDay(p);
  return day.day === daysInMonth(day.year, day.month);
}

/** True for an RFC 3339 date-time with seconds 00-59 (what a provider must accept and store as that instant). */
export function isRfc3339DateTime(value: string): boolean {
  const p = parts(value);
  return p !== undefined && validCalendarTime(p, 'none');
}

/**
 * True for an RFC 3339 date-time as a response may hold it: seconds 00-59, or a leap second, 23:59:60 UTC, at any
 * offset (RFC 3339 5.6 `time-second` and 5.7). Accepting a leap second is open on input (BEHAVIOUR.md), on any day a
 * lenient validator takes it, so a provider that accepted one may write it back, and that is conformant. Not a table
 * of past leap seconds: they are announced only months ahead, and a due date is often in the future.
 */
export function isRfc3339ResponseDateTime(value: string): boolean {
  const p = parts(value);
  return p !== undefined && validCalendarTime(p, 'any-day');
}

/** True for a leap second at a month's end (23:59:60 UTC on its last day): what the run's generators send as an open input. */
export function isLeapSecondInstant(value: string): boolean {
  const p = parts(value);
  return p !== undefined && p.second === 60 && validCalendarTime(p, 'month-end');
}

export type DateTimeVerdict =
  /** RFC 3339 5.6, seconds 00-59: must be accepted and stored as that instant. */
  | 'rfc3339'
  /** Not RFC 3339 but accepted by lenient validators, or a leap second: accepting and refusing are both conformant. */
  | 'open'
  /** Anything else: must be refused. */
  | 'invalid';

const lenientDateTime = fullFormats['date-time'] as { validate: (value: string) => boolean };

export function dateTimeVerdict(value: string): DateTimeVerdict {
  if (isRfc3339DateTime(value)) return 'rfc3339';
  const p = parts(value);
  if (p !== undefined && validCalendarTime(p, 'any-day')) return 'open';
  return lenientDateTime.validate(value) ? 'open' : 'invalid';
}

/**
 * Seconds since the epoch (UTC) of an RFC 3339 date-time (a response's: leap seconds included), its fraction digits,
 * and whether it is a leap second (then `seconds` is that of 23:59:59, the second it follows), or undefined.
 */
export function instantOf(value: string): { seconds: number; fraction: string; leap: boolean } | undefined {
  const p = parts(value);
  if (p === undefined || !validCalendarTime(p, 'any-day')) return undefined;
  const leap = p.second === 60;
  const date = new Date(0);
  date.setUTCFullYear(p.year, p.month - 1, p.day); // not Date.UTC: it maps years 0-99 to 1900-1999
  date.setUTCHours(p.hour, p.minute, leap ? 59 : p.second, 0);
  const local = date.getTime() / 1000;
  return { seconds: local - p.offsetMinutes * 60, fraction: p.fraction, leap };
}

/** Two RFC 3339 date-times name the same instant (to the last digit of the fraction, trailing zeros aside). */
export function sameInstant(a: string, b: string): boolean {
  const ia = instantOf(a);
  const ib = instantOf(b);
  return ia !== undefined && ib !== undefined && ia.seconds === ib.seconds && ia.fraction === ib.fraction && ia.leap === ib.leap;
}
