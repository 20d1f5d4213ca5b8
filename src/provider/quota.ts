/**
 * The documented quota (requests per minute), per API key, as a fixed one-minute window that opens with a key's
 * first request. Past the limit a request is refused with the seconds until the window closes (Retry-After).
 * Refused requests do not count.
 */
export type QuotaOutcome =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly retryAfterSeconds: number };

export interface Quota {
  take(apiKey: string): QuotaOutcome;
}

export const QUOTA_WINDOW_MS = 60_000;

export function createQuota(limit: number, now: () => number = () => Date.now()): Quota {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    take(apiKey) {
      const time = now();
      let window = windows.get(apiKey);
      if (window === undefined || time - window.start >= QUOTA_WINDOW_MS) {
        window = { start: time, count: 0 };
        windows.set(apiKey, window);
      }
      if (window.count >= limit) {
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((window.start + QUOTA_WINDOW_MS - time) / 1000)) };
      }
      window.count += 1;
      return { allowed: true };
    },
  };
}

/** No quota: every request is allowed. */
export const NO_QUOTA: Quota = { take: () => ({ allowed: true }) };
