import { dateTimeVerdict, isRfc3339DateTime, sameInstant } from '../../src/validation/date-time';

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
