/**
 * The matchers the consumer pact uses: as loose as the contract allows and no looser. Types and formats, not example
 * values; the example values are what the Pact mock server answers with.
 */
import { MatchersV3 } from '@pact-foundation/pact';
import { BASELINE, EXAMPLE_JOB_ID } from '../../src/pact/states';

const { datetime, integer, regex, string } = MatchersV3;

/** HTTP Basic with some credentials; the example is a placeholder (`pact-example-key` twice), never a real key. */
export const BASIC_AUTHORIZATION = regex(
  /^Basic [A-Za-z0-9+/]+={0,2}$/,
  `Basic ${Buffer.from('pact-example-key:pact-example-key').toString('base64')}`,
);

// Media types are case-insensitive (RFC 9110). The patterns are strings because a JS RegExp's flags are lost on the way
// to Pact's (Rust) regex engine; `(?i)` is that engine's inline flag.

/** `application/json`, with or without parameters (a charset is fine). */
export const JSON_CONTENT_TYPE = regex('(?i)^application/json\\s*(;.*)?$', 'application/json');

/** The two media types the document lists for 401, with or without parameters. */
export const TEXT_CONTENT_TYPE = regex('(?i)^(text/plain|application/octet-stream)\\s*(;.*)?$', 'text/plain');

/**
 * A date-time in the document's format: its request example and curl example are `2021-10-05T14:48:00.000Z` and
 * `2022-05-05T10:56:44.985Z` (milliseconds, then `Z` or an offset). Pact's datetime patterns have no optional
 * sections, so the milliseconds are required: the states and examples use non-zero milliseconds, which a provider
 * may not drop (BEHAVIOUR.md lets it drop only zero milliseconds).
 */
export const DATE_TIME_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";
export const DUE_DATETIME = (example: string) => datetime(DATE_TIME_FORMAT, example);

/** The Error body: `message` is a string, whatever it says. */
export const ERROR_BODY = { message: string('A human-readable message') };

/** The Job fields the consumer reads, by type, with the baseline state's values as examples. */
export function jobBody(overrides: Record<string, unknown>): Record<string, unknown> {
  return {
    id: integer(EXAMPLE_JOB_ID),
    name: string(BASELINE.name),
    due: DUE_DATETIME(BASELINE.due),
    isProcessing: integer(Number(BASELINE.isProcessing)),
    ...overrides,
  };
}

/**
 * The same instant as `iso` (a UTC time), in any spelling the contract allows a response to use: `Z`, `z` or a zero
 * offset, and the fraction with trailing zeros added or dropped.
 */
export function sameInstantAs(iso: string) {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.(\d*?))0*Z$/.exec(iso);
  if (!match) throw new Error(`sameInstantAs expects a UTC date-time with milliseconds, got ${iso}`);
  const [, date, time, fraction] = match;
  const fractionPattern = fraction ? `\\.${fraction}0*` : '(\\.0+)?';
  return regex(new RegExp(`^${date}[Tt]${time}${fractionPattern}([Zz]|[+-]00:00)$`), iso);
}
