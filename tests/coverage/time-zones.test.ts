/** Zone transitions from Node's Intl: offsets (local mean time's seconds included), transitions, RFC 3339 at an offset. */
import { atOffset, offsetAt, offsetText, transitionsIn } from '../../src/coverage/time-zones';

test('offsets in minutes east of UTC, with a fraction for a local mean time\'s seconds', () => {
  expect(offsetAt('Asia/Kolkata', Date.UTC(2026, 0, 1))).toBe(330);
  expect(offsetAt('America/St_Johns', Date.UTC(2026, 0, 1))).toBe(-210);
  expect(offsetAt('UTC', Date.UTC(2026, 0, 1))).toBe(0);
  // Berlin before its first rule (1893): local mean time, +00:53:28.
  expect(offsetAt('Europe/Berlin', Date.UTC(1880, 0, 1))).toBeCloseTo(53 + 28 / 60, 10);
});

test('transitions of a year, found to the minute, with the offsets either side', () => {
  expect(transitionsIn('America/New_York', 2026)).toEqual([
    { zone: 'America/New_York', at: Date.UTC(2026, 2, 8, 7), before: -300, after: -240 },
    { zone: 'America/New_York', at: Date.UTC(2026, 10, 1, 6), before: -240, after: -300 },
  ]);
  expect(transitionsIn('Australia/Lord_Howe', 2026).map((t) => t.after - t.before)).toEqual([-30, 30]);
  expect(transitionsIn('America/Sao_Paulo', 2026)).toEqual([]);
  expect(transitionsIn('Asia/Kolkata', 2026)).toEqual([]);
});

test('an instant in RFC 3339 at an offset', () => {
  expect(offsetText(-210)).toBe('-03:30');
  expect(offsetText(0)).toBe('+00:00');
  expect(atOffset(Date.UTC(2026, 9, 25, 1, 30), 60)).toBe('2026-10-25T02:30:00+01:00');
  expect(atOffset(Date.UTC(2026, 9, 25, 0, 30), 120)).toBe('2026-10-25T02:30:00+02:00');
  expect(atOffset(Date.UTC(2026, 0, 1, 0, 0), -1439)).toBe('2025-12-31T00:01:00-23:59');
});
