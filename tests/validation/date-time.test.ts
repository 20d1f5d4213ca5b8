import fc from 'fast-check';
import { dateTimeFieldCase } from '../../src/arbitraries/dateTimeField';
import { dateTimeVerdict, isRfc3339DateTime, isRfc3339ResponseDateTime, sameInstant } from '../../src/validation/date-time';

describe('RFC 3339 section 5.6 date-time', () => {
  it.each([
    '2022-05-05T10:56:44.985Z',
    '2021-06-03T13:43:00Z',
    '2021-06-03t13:43:00z',
    '2021-06-03T13:43:00+09:00',
    '2021-06-03T13:43:00-00:30',
    '2024-02-29T00:00:00Z',
    '2000-02-29T00:00:00Z',
    '2021-06-03T13:43:00.123456789Z',
    '0001-01-01T00:00:00Z',
  ])('accepts %s', (value) => {
    expect(isRfc3339DateTime(value)).toBe(true);
    expect(dateTimeVerdict(value)).toBe('rfc3339');
  });

  it.each([
    ['2022-02-30T10:00:00Z', 'an impossible day'],
    ['2023-02-29T10:00:00Z', 'a leap day in a common year'],
    ['1900-02-29T10:00:00Z', 'a leap day in a century year'],
    ['2022-13-01T10:00:00Z', 'month 13'],
    ['2022-05-05T24:00:00Z', 'hour 24'],
    ['2022-05-05T10:60:00Z', 'minute 60'],
    ['2022-05-05T10:56:44', 'no offset'],
    ['2022-05-05', 'a date alone'],
    ['2022-05-05T10:56:44.Z', 'an empty fraction'],
    ['2022-05-05T10:56:44+24:00', 'offset hour 24'],
    ['22-05-05T10:56:44Z', 'a two-digit year'],
    ['not a date', 'garbage'],
  ])('refuses %s (%s)', (value) => {
    expect(isRfc3339DateTime(value)).toBe(false);
    expect(dateTimeVerdict(value)).toBe('invalid');
  });

  it.each([
    ['2022-05-05 10:56:44Z', 'a space for T'],
    ['2022-05-05T10:56:44+09', 'an hour-only offset'],
    ['2022-05-05T10:56:44+0900', 'an offset without colon'],
    ['2016-12-31T23:59:60Z', 'a leap second'],
  ])('leaves %s (%s) open: not RFC 3339 for output, not a fault on input', (value) => {
    expect(isRfc3339DateTime(value)).toBe(false);
    expect(dateTimeVerdict(value)).toBe('open');
  });

  it('compares instants across forms, to the last fraction digit', () => {
    expect(sameInstant('2021-06-03T13:43:00Z', '2021-06-03T13:43:00.000Z')).toBe(true);
    expect(sameInstant('2021-06-03T13:43:00Z', '2021-06-03T22:43:00+09:00')).toBe(true);
    expect(sameInstant('2021-06-03t13:43:00z', '2021-06-03T13:43:00+00:00')).toBe(true);
    expect(sameInstant('2021-06-03T13:43:00.1234Z', '2021-06-03T13:43:00.1235Z')).toBe(false);
    expect(sameInstant('2021-06-03T13:43:00Z', '2021-06-03T13:43:01Z')).toBe(false);
    expect(sameInstant('0099-01-01T00:00:00Z', '1999-01-01T00:00:00Z')).toBe(false);
    expect(sameInstant('2021-06-03 13:43:00Z', '2021-06-03T13:43:00Z')).toBe(false);
  });
});

describe('leap seconds in a response (the open side of accepting one, written back)', () => {
  it.each(['2016-12-31T23:59:60Z', '2016-12-31T15:59:60-08:00', '2017-01-01T08:59:60.5+09:00', '2031-06-30T23:59:60z'])(
    'a leap second at the end of a month (23:59:60 UTC) is valid in a response: %s',
    (value) => {
      expect(isRfc3339ResponseDateTime(value)).toBe(true);
      expect(isRfc3339DateTime(value)).toBe(false); // never required on input
      expect(dateTimeVerdict(value)).toBe('open');
    },
  );

  it.each(['2021-03-15T23:59:60Z', '2016-12-30T15:59:60-08:00'])(
    'a 23:59:60 UTC on another day is open on input (lenient validators take it), so it may be written back: %s',
    (value) => {
      expect(dateTimeVerdict(value)).toBe('open');
      expect(isRfc3339ResponseDateTime(value)).toBe(true);
    },
  );

  it.each(['2016-12-31T12:00:60Z', '2016-12-31T23:59:61Z', '2016-12-31T23:58:60Z'])(
    'a second 60 that is not 23:59:60 UTC, or a second 61, is no date-time: %s',
    (value) => {
      expect(isRfc3339ResponseDateTime(value)).toBe(false);
      expect(dateTimeVerdict(value)).toBe('invalid');
    },
  );

  it('a leap second is the same instant at any offset, and no other instant', () => {
    expect(sameInstant('2016-12-31T23:59:60Z', '2016-12-31T15:59:60-08:00')).toBe(true);
    expect(sameInstant('2016-12-31T23:59:60Z', '2017-01-01T00:00:00Z')).toBe(false);
    expect(sameInstant('2016-12-31T23:59:60Z', '2016-12-31T23:59:59Z')).toBe(false);
  });

  it('every leap second the run sends as an open input is one a response may write back', () => {
    const leaps = fc.sample(dateTimeFieldCase(), { numRuns: 3000, seed: 42 }).filter((c) => c.expectation === 'open' && /leap second/.test(c.label));
    expect(leaps.length).toBeGreaterThan(10);
    for (const c of leaps) expect([c.value, isRfc3339ResponseDateTime(String(c.value))]).toEqual([c.value, true]);
  });
});
