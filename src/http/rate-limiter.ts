/**
 * Pacing of requests: at most N a minute (evenly spaced, so a run never bursts past the quota) and at most C in
 * flight, by bottleneck; and a pause of every queued request after a 429 (Retry-After, else the document's wait).
 */
import Bottleneck from 'bottleneck';

export interface RateLimiterOptions {
  /** Requests a minute; undefined for no pacing (loopback targets). */
  readonly perMinute: number | undefined;
  /** Requests in flight at most. */
  readonly concurrency: number;
}

export interface RateLimiter {
  /** Runs `send` when the pace and the in-flight cap allow, and not while paused. */
  schedule<T>(send: () => Promise<T>): Promise<T>;
  /** Holds every request not yet started for `ms` (after a 429). */
  pause(ms: number): Promise<void>;
  /** Stops timers and drops nothing: waits for running requests. */
  stop(): Promise<void>;
}

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const limiter = new Bottleneck({
    maxConcurrent: options.concurrency,
    minTime: options.perMinute === undefined ? 0 : Math.ceil(60_000 / options.perMinute),
  });
  let pausedUntil = 0;
  let resume: NodeJS.Timeout | undefined;
  return {
    schedule(send) {
      return limiter.schedule(send);
    },
    async pause(ms) {
      const until = Date.now() + ms;
      if (until <= pausedUntil) return;
      pausedUntil = until;
      // An empty reservoir holds every queued job; restoring it (null = unlimited) releases them.
      await limiter.updateSettings({ reservoir: 0 });
      if (resume) clearTimeout(resume);
      resume = setTimeout(() => {
        resume = undefined;
        void limiter.updateSettings({ reservoir: null });
      }, ms);
    },
    async stop() {
      if (resume) clearTimeout(resume);
      await limiter.stop({ dropWaitingJobs: false });
    },
  };
}

/**
 * Retry-After in milliseconds (seconds or an HTTP date), else the fallback. Capped, so that a hostile or broken
 * header cannot stall a run for hours.
 */
export function retryAfterMs(header: string | undefined, fallbackMs: number, capMs: number, now = Date.now()): number {
  let ms = fallbackMs;
  if (header !== undefined && header.trim() !== '') {
    const text = header.trim();
    if (/^\d+$/.test(text)) ms = Number(text) * 1000;
    else {
      const date = Date.parse(text);
      if (!Number.isNaN(date)) ms = Math.max(0, date - now);
    }
  }
  return Math.min(ms, capMs);
}
