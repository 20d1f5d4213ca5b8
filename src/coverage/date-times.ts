/**
 * The date-times dataset, by the calendar's structure, for every date-time field the Job stores (`due`): century
 * years (2000 and 2400 leap, 1900, 2100 and 2200 not), every month end and the day after the shorter months' (and one
 * 32nd), the hours common zones repeat or skip (from Node's Intl tz data, in the year the run starts), offsets from
 * -23:59 to +23:59 with half and quarter hours, the ends of the year range and of the epoch counters, fractions from
 * none to nine digits, and the forms BEHAVIOUR.md leaves open (leap seconds, a space for T, +hh and +hhmm).
 *
 * Each value is written with the expectation it was built for, and the builder checks that against `dateTimeVerdict`
 * (the classifier the checks judge with): the dataset cannot say one thing while the oracle says another.
 */
import type { OperationModel, UpdatableField } from '../contract/model';
import type { Expectation } from '../arbitraries/types';
import { dateTimeVerdict } from '../validation/date-time';
import { SOURCES } from './sources';
import { atOffset, transitionsIn, tzDataVersion } from './time-zones';
import type { CoverageFieldValue, Dataset, Stored } from './types';

/** Zones whose offset changes, by region (one that no longer changes, Sao Paulo, shows that as no values). */
export const ZONES: readonly string[] = [
  'America/New_York',
  'America/St_Johns',
  'America/Sao_Paulo',
  'Europe/London',
  'Europe/Berlin',
  'Australia/Sydney',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
];

const CLASSES: ReadonlyArray<{ readonly name: string; readonly title: string }> = [
  { name: 'century', title: 'February 29 of century years (2000 and 2400 leap; 1900, 2100 and 2200 not)' },
  { name: 'month-ends', title: 'the last day of every month, and the day after the shorter ones' },
  { name: 'zone-transitions', title: 'the hour a zone repeats or skips, at the offset of either side' },
  { name: 'offsets', title: 'offsets from -23:59 to +23:59, half and quarter hours, and past their range' },
  { name: 'extremes', title: 'years 0000 and 9999, the epoch, 2038 and 2106 (32-bit seconds), past 9999' },
  { name: 'fractions', title: 'fractions of a second from none to nine digits' },
  { name: 'open-forms', title: 'leap seconds, a space for T, +hh and +hhmm (open), a :60 that is no leap second' },
];

const EXPECTATION = { rfc3339: 'accept', open: 'open', invalid: 'reject' } as const;

interface Draft {
  readonly cls: string;
  readonly name: string;
  readonly label: string;
  readonly value: string;
  readonly expectation: Expectation;
  readonly source: string;
  /** For open values: the instant it must be stored as if accepted (an RFC 3339 spelling of it). */
  readonly ifAccepted?: string;
}

/** A common year and a leap year, fixed so that the values do not move from run to run. */
const COMMON_YEAR = 2030;
const LEAP_YEAR = 2028;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function century(): Draft[] {
  return [1900, 2000, 2100, 2200, 2400].map((year) => {
    const leap = year % 400 === 0;
    return {
      cls: 'century',
      name: `${year}-02-29`,
      label: `${year}-02-29: ${leap ? 'a leap day (divisible by 400)' : 'no such day (divisible by 100, not by 400)'}`,
      value: `${year}-02-29T12:00:00Z`,
      expectation: leap ? 'accept' : 'reject',
      source: leap ? SOURCES.dateStored : SOURCES.leapYear,
    };
  });
}

function monthEnds(): Draft[] {
  const out: Draft[] = [];
  for (let month = 1; month <= 12; month += 1) {
    const last = daysIn(COMMON_YEAR, month);
    out.push({
      cls: 'month-ends',
      name: `${COMMON_YEAR}-${pad(month)}-${last}`,
      label: `the last day of month ${month} (${COMMON_YEAR}), its last second`,
      value: `${COMMON_YEAR}-${pad(month)}-${last}T23:59:59Z`,
      expectation: 'accept',
      source: SOURCES.dateStored,
    });
    // The day after the last: 29 February of a common year, the 31st of a 30-day month; the 32nd once (January).
    if (last === 31 && month !== 1) continue;
    out.push({
      cls: 'month-ends',
      name: `${COMMON_YEAR}-${pad(month)}-${last + 1}`,
      label: `day ${last + 1} of month ${month} (${COMMON_YEAR}): no such day`,
      value: `${COMMON_YEAR}-${pad(month)}-${last + 1}T00:00:00Z`,
      expectation: 'reject',
      source: SOURCES.dateRefused,
    });
  }
  out.push(
    {
      cls: 'month-ends',
      name: `${LEAP_YEAR}-02-29`,
      label: `the leap day of ${LEAP_YEAR}, its last second`,
      value: `${LEAP_YEAR}-02-29T23:59:59Z`,
      expectation: 'accept',
      source: SOURCES.dateStored,
    },
    {
      cls: 'month-ends',
      name: `${LEAP_YEAR}-02-30`,
      label: `30 February of the leap year ${LEAP_YEAR}: no such day`,
      value: `${LEAP_YEAR}-02-30T00:00:00Z`,
      expectation: 'reject',
      source: SOURCES.dateRefused,
    },
  );
  return out;
}

/** For each zone's transitions in `year`: the middle of the repeated or skipped interval, at the offset of either side. */
function zoneTransitions(year: number): Draft[] {
  const out: Draft[] = [];
  for (const zone of ZONES) {
    for (const t of transitionsIn(zone, year)) {
      const shift = t.after - t.before;
      const half = (Math.abs(shift) / 2) * 60_000;
      const day = atOffset(t.at, t.after).slice(0, 10);
      const what = shift < 0 ? 'repeated' : 'skipped';
      // Repeated: the same wall-clock time happens twice, first at the old offset, then at the new one.
      // Skipped: a wall-clock time that never happens there, written at the old offset (an instant just after the
      // change) and at the new one (just before it).
      const sides =
        shift < 0
          ? ([
              ['first', t.at - half, t.before],
              ['second', t.at + half, t.after],
            ] as const)
          : ([
              ['old-offset', t.at + half, t.before],
              ['new-offset', t.at - half, t.after],
            ] as const);
      for (const [side, instant, offset] of sides) {
        const value = atOffset(instant, offset);
        out.push({
          cls: 'zone-transitions',
          name: `${zone.replace('/', '-').toLowerCase()}-${day}-${side}`,
          label:
            shift < 0
              ? `${zone} ${day}: the ${what} ${value.slice(11, 16)}, the ${side} time (${value.slice(19)})`
              : `${zone} ${day}: the ${what} ${value.slice(11, 16)}, written at the ${side === 'old-offset' ? 'old' : 'new'} offset (${value.slice(19)})`,
          value,
          expectation: 'accept',
          source: SOURCES.zoneInstant,
        });
      }
    }
  }
  return out;
}

function offsets(): Draft[] {
  const local = `${COMMON_YEAR}-06-15T12:00:00`;
  const accepted: [string, string][] = [
    ['+00:00', 'UTC as an offset'],
    ['-00:00', 'unknown local offset (RFC 3339 4.3), the same instant as Z'],
    ['+00:01', 'one minute east'],
    ['-00:01', 'one minute west: a negative offset under an hour'],
    ['+05:30', 'half hour (India)'],
    ['-03:30', 'negative half hour (Newfoundland)'],
    ['-09:30', 'negative half hour (Marquesas)'],
    ['+05:45', 'quarter hour (Nepal)'],
    ['+08:45', 'quarter hour (Eucla)'],
    ['+12:45', 'quarter hour (Chatham)'],
    ['+14:00', 'the easternmost zone (Kiribati)'],
    ['-12:00', 'the westernmost zone'],
    ['+23:59', 'the largest offset'],
    ['-23:59', 'the smallest offset'],
  ];
  const refused: [string, string, string][] = [
    ['+24:00', 'hour 24', '+24:00'],
    ['-24:00', 'hour -24', '-24:00'],
    ['+23:60', 'minute 60', '+23:60'],
    ['-05:60', 'negative, minute 60', '-05:60'],
    ['+5:30', 'one-digit hour', '+5:30'],
    ['+05:3', 'one-digit minute', '+05:3'],
    ['minus-sign', 'U+2212 MINUS SIGN for "-"', '\u221205:00'],
  ];
  return [
    ...accepted.map(([offset, label]): Draft => ({
      cls: 'offsets',
      name: offset,
      label: `offset ${offset}: ${label}`,
      value: `${local}${offset}`,
      expectation: 'accept',
      source: SOURCES.offsetGrammar,
    })),
    ...refused.map(([name, label, offset]): Draft => ({
      cls: 'offsets',
      name,
      label: `offset ${JSON.stringify(offset)}: ${label}`,
      value: `${local}${offset}`,
      expectation: 'reject',
      source: SOURCES.offsetRefused,
    })),
  ];
}

function extremes(): Draft[] {
  const accepted: [string, string, string][] = [
    ['year-0000', 'the first instant of year 0000', '0000-01-01T00:00:00Z'],
    ['year-9999', 'the last second of year 9999', '9999-12-31T23:59:59Z'],
    ['year-9999-nanosecond', 'the last nanosecond of year 9999', '9999-12-31T23:59:59.999999999Z'],
    ['epoch', 'the epoch (0 seconds: a server that reads 0 as "not set")', '1970-01-01T00:00:00Z'],
    ['before-epoch', 'one second before the epoch (negative seconds)', '1969-12-31T23:59:59Z'],
    ['int32-seconds', 'one second past signed 32-bit seconds (2038)', '2038-01-19T03:14:08Z'],
    ['uint32-seconds', 'one second past unsigned 32-bit seconds (2106)', '2106-02-07T06:28:16Z'],
  ];
  const refused: [string, string, string][] = [
    ['year-10000', 'a five-digit year', '10000-01-01T00:00:00Z'],
    ['year-minus-1', 'a negative year', '-0001-01-01T00:00:00Z'],
    ['expanded-year', "ISO 8601's expanded year (+YYYYYY), not RFC 3339", '+002030-06-15T12:00:00Z'],
    ['zero-date', 'the zero date 0000-00-00 (month and day 0)', '0000-00-00T00:00:00Z'],
  ];
  return [
    ...accepted.map(([name, label, value]): Draft => ({ cls: 'extremes', name, label, value, expectation: 'accept', source: SOURCES.yearRange })),
    ...refused.map(([name, label, value]): Draft => ({ cls: 'extremes', name, label, value, expectation: 'reject', source: SOURCES.dateRefused })),
  ];
}

/** The last second of a year with 0 to 9 nines: rounding to a coarser unit carries it into the next year. */
function fractions(): Draft[] {
  const base = `${COMMON_YEAR}-12-31T23:59:59`;
  const out: Draft[] = Array.from({ length: 10 }, (_, digits): Draft => ({
    cls: 'fractions',
    name: `${digits}-digits`,
    label: digits === 0 ? 'no fraction' : `${digits} digit${digits === 1 ? '' : 's'} of fraction (all nines: rounding carries into the next year)`,
    value: `${base}${digits === 0 ? '' : `.${'9'.repeat(digits)}`}Z`,
    expectation: 'accept',
    source: SOURCES.fraction,
  }));
  out.push({
    cls: 'fractions',
    name: '9-zeros',
    label: 'nine zeros of fraction (the same instant as none)',
    value: `${base}.000000000Z`,
    expectation: 'accept',
    source: SOURCES.fraction,
  });
  return out;
}

function openForms(): Draft[] {
  const local = `${COMMON_YEAR}-06-15T12:00:00`;
  return [
    {
      cls: 'open-forms',
      name: 'leap-second-2016',
      label: 'the leap second at the end of 2016',
      value: '2016-12-31T23:59:60Z',
      expectation: 'open',
      source: SOURCES.leapSecond,
      ifAccepted: '2016-12-31T23:59:60Z',
    },
    {
      cls: 'open-forms',
      name: 'leap-second-2016-offset',
      label: 'the same leap second at -08:00 (15:59:60 local)',
      value: '2016-12-31T15:59:60-08:00',
      expectation: 'open',
      source: SOURCES.leapSecond,
      ifAccepted: '2016-12-31T15:59:60-08:00',
    },
    {
      cls: 'open-forms',
      name: 'leap-second-future',
      label: `a leap second IERS may yet announce (the end of June ${COMMON_YEAR})`,
      value: `${COMMON_YEAR}-06-30T23:59:60Z`,
      expectation: 'open',
      source: SOURCES.leapSecond,
      ifAccepted: `${COMMON_YEAR}-06-30T23:59:60Z`,
    },
    {
      cls: 'open-forms',
      name: 'space-for-t',
      label: 'a space for T',
      value: `${local.replace('T', ' ')}Z`,
      expectation: 'open',
      source: SOURCES.nonRfcForms,
      ifAccepted: `${local}Z`,
    },
    {
      cls: 'open-forms',
      name: 'offset-hhmm',
      label: 'the offset +hhmm (no colon)',
      value: `${local}+0530`,
      expectation: 'open',
      source: SOURCES.nonRfcForms,
      ifAccepted: `${local}+05:30`,
    },
    {
      cls: 'open-forms',
      name: 'offset-hh',
      label: 'the offset +hh (hours only)',
      value: `${local}+05`,
      expectation: 'open',
      source: SOURCES.nonRfcForms,
      ifAccepted: `${local}+05:00`,
    },
    {
      cls: 'open-forms',
      name: 'second-60-midday',
      label: 'second 60 at noon UTC: no leap second',
      value: `${local.slice(0, 17)}60Z`,
      expectation: 'reject',
      source: SOURCES.leapSecondRefused,
    },
    {
      cls: 'open-forms',
      name: 'second-61',
      label: 'second 61',
      value: `${COMMON_YEAR}-06-30T23:59:61Z`,
      expectation: 'reject',
      source: SOURCES.dateRefused,
    },
  ];
}

/** The date-time fields the Job stores (due). */
function storedDateTimeFields(model: OperationModel): UpdatableField[] {
  return model.updatableFields.filter((field) => field.kind.type === 'date-time');
}

export interface DateTimesOptions {
  /** The moment the run starts: its UTC year picks the zone transitions. Default: now. */
  readonly now?: Date;
}

export function dateTimesDataset(model: OperationModel, options: DateTimesOptions = {}): Dataset<CoverageFieldValue> {
  const year = (options.now ?? new Date()).getUTCFullYear();
  const drafts = [...century(), ...monthEnds(), ...zoneTransitions(year), ...offsets(), ...extremes(), ...fractions(), ...openForms()];
  for (const draft of drafts) {
    const verdict = EXPECTATION[dateTimeVerdict(draft.value)];
    if (verdict !== draft.expectation) {
      throw new Error(`coverage date-time ${draft.value} (${draft.label}) was built as ${draft.expectation}, but dateTimeVerdict says ${verdict}`);
    }
  }
  const values: CoverageFieldValue[] = storedDateTimeFields(model).flatMap((field) =>
    drafts.map((d): CoverageFieldValue => {
      const stored: Stored | undefined =
        d.expectation === 'accept' ? { as: 'instant', value: d.value } : d.ifAccepted !== undefined ? { as: 'instant', value: d.ifAccepted } : undefined;
      return {
        kind: 'field',
        id: `date-times/${d.cls}/${field.name}/${d.name}`,
        dataset: 'date-times',
        class: d.cls,
        field: field.name,
        value: d.value,
        expectation: d.expectation,
        ...(stored ? { stored } : {}),
        label: d.label,
        source: d.source,
      };
    }),
  );
  return {
    name: 'date-times',
    title: 'Date-times by the calendar\'s structure, as a stored date-time field',
    origin: `built by rule from the calendar; the hours that repeat or are skipped in ${ZONES.join(', ')} from the tz data Node's Intl carries, for the year the run starts in`,
    provenance: `built by rule; zone transitions of ${year} from Node's Intl (ICU ${process.versions.icu ?? 'unknown'}, tz data ${tzDataVersion()}) for ${ZONES.join(', ')}`,
    classes: CLASSES.filter((c) => values.some((v) => v.class === c.name)),
    values,
  };
}
