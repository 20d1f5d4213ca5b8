/**
 * Where a time zone's offset changes (the tz data Node's Intl carries): each transition's instant and the offsets
 * before and after it, so that the hour a zone repeats (leaving daylight saving time) or skips (entering it) can be
 * written in RFC 3339 with the offset of either side. Nothing here depends on the machine's own zone.
 */

/** A change of a zone's UTC offset. */
export interface Transition {
  readonly zone: string;
  /** The first millisecond (since the epoch, UTC) with the new offset. */
  readonly at: number;
  /** Offsets in minutes east of UTC, before and after. */
  readonly before: number;
  readonly after: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();

/**
 * The zone's UTC offset at `ms`, in minutes east of UTC (Intl's `longOffset`: "GMT+05:30", "GMT-03", "GMT"; a local
 * mean time before a zone's first rule has seconds, "GMT+00:53:28", and gives a fraction of a minute).
 */
export function offsetAt(zone: string, ms: number): number {
  let format = formats.get(zone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    formats.set(zone, format);
  }
  const name = format.formatToParts(new Date(ms)).find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /^GMT(?:([+-])(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?)?$/.exec(name);
  if (!match) throw new Error(`unexpected offset name ${JSON.stringify(name)} for ${zone}`);
  if (match[1] === undefined) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3] ?? 0) + Number(match[4] ?? 0) / 60;
  return match[1] === '-' ? -minutes : minutes;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The zone's transitions in the UTC calendar year `year`, in order: scanned day by day, then found to the minute. */
export function transitionsIn(zone: string, year: number): Transition[] {
  const start = Date.UTC(year, 0, 1);
  const end = Date.UTC(year + 1, 0, 1);
  const out: Transition[] = [];
  let previous = offsetAt(zone, start);
  for (let day = start; day < end; day += DAY) {
    const next = Math.min(day + DAY, end);
    const offset = offsetAt(zone, next);
    if (offset === previous) continue;
    // The change lies in (day, next]: bisect down to the minute (tz transitions fall on whole minutes).
    let low = day;
    let high = next;
    while (high - low > 60_000) {
      const middle = low + Math.floor((high - low) / 120_000) * 60_000;
      if (offsetAt(zone, middle) === previous) low = middle;
      else high = middle;
    }
    out.push({ zone, at: high, before: previous, after: offset });
    previous = offset;
  }
  return out;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `+hh:mm` / `-hh:mm` for an offset in minutes (`+00:00` for 0). */
export function offsetText(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** The instant `ms` written in RFC 3339 at the offset `minutes` (its local date and time there, and that offset). */
export function atOffset(ms: number, minutes: number): string {
  const local = new Date(ms + minutes * 60_000);
  const date = `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`;
  const time = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`;
  return `${date}T${time}${offsetText(minutes)}`;
}

/** The version of the tz data Node's ICU carries (e.g. 2025b), when Node says. */
export function tzDataVersion(): string {
  return process.versions.tz ?? 'unknown';
}
