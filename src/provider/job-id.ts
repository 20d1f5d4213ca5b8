/**
 * The path id (BEHAVIOUR.md, "The path id"): a positive decimal integer below 2^63. Leading zeros are read as the
 * number ("0241" is 241), which BEHAVIOUR.md allows; a sign, a fraction, an exponent or anything else is refused.
 */
export type JobIdOutcome =
  | { readonly valid: true; readonly id: number | bigint }
  | { readonly valid: false; readonly message: string };

const INT64_LIMIT = 2n ** 63n;

/** `raw` is the decoded path segment. A valid id beyond Number's safe range stays a bigint: no job can have it. */
export function parseJobId(raw: string): JobIdOutcome {
  const shownRaw = raw.length > 40 ? `${raw.slice(0, 40)}...` : raw;
  if (!/^[0-9]+$/.test(raw)) {
    return { valid: false, message: `job id '${shownRaw}' is not a positive integer` };
  }
  const value = BigInt(raw);
  if (value < 1n) return { valid: false, message: `job id '${shownRaw}' is not a positive integer` };
  if (value >= INT64_LIMIT) return { valid: false, message: `job id '${shownRaw}' is too large (at most 2^63 - 1)` };
  return { valid: true, id: value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value };
}
