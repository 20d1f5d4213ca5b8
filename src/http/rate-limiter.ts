/**
 * Pacing of requests: at most N a minute (evenly spaced, so a run never bursts past the quota) and at most C in
 * flight, by bottleneck; and a pause of every queued request after a 429 (Retry-After, else the document's wait).
 * Without a rate (loopback targets) bottleneck is not used: its scheduler adds ~5 ms to every job even with
 * `minTime: 0`, which caps a sequential run near 200 requests/s; a plain in-flight bound does the same job there.
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
  /** Stops timers and drops nothing: waits for queued and running requests. */
  stop(): Promise<void>;
}

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  return options.perMinute === undefined
    ? inFlightLimiter(options.concurrency)
    : pacedLimiter(options.perMinute, options.concurrency);
}

function pacedLimiter(perMinute: number, concurrency: number): RateLimiter {
  const limiter = new Bottleneck({ maxConcurrent: concurrency, minTime: Math.ceil(60_000 / perMinute) });
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

/** No pacing: at most `concurrency` in flight, first come first served, and held while paused. */
function inFlightLimiter(concurrency: number): RateLimiter {
  const limit = Math.max(1, concurrency);
  let running = 0;
  /** Scheduled and not yet finished (queued or running): what stop() waits for. */
  let pending = 0;
  const waiting: Array<() => void> = [];
  const idle: Array<() => void> = [];
  let pausedUntil = 0;
  // While paused: one promise every caller waits on; a longer pause moves its timer, never replaces it.
  let paused: { readonly over: Promise<void>; readonly end: () => void; timer: NodeJS.Timeout } | undefined;

  const endPause = () => {
    if (!paused) return;
    clearTimeout(paused.timer);
    const { end } = paused;
    paused = undefined;
    end();
  };
  const acquire = async (): Promise<void> => {
    if (running < limit && waiting.length === 0) running += 1;
    // A freed slot is handed over directly (running stays counted), so nobody overtakes the queue.
    else await new Promise<void>((resolve) => waiting.push(resolve));
  };
  const release = () => {
    const next = waiting.shift();
    if (next) return next();
    running -= 1;
  };
  const pauseOver = async (): Promise<void> => {
    while (paused) await paused.over;
  };
  return {
    async schedule(send) {
      pending += 1;
      try {
        await pauseOver();
        await acquire();
        try {
          // A 429 may have paused the run while this one queued for a slot.
          await pauseOver();
          return await send();
        } finally {
          release();
        }
      } finally {
        pending -= 1;
        if (pending === 0) for (const resolve of idle.splice(0)) resolve();
      }
    },
    async pause(ms) {
      const until = Date.now() + ms;
      if (until <= pausedUntil) return;
      pausedUntil = until;
      if (paused) {
        clearTimeout(paused.timer);
        paused.timer = setTimeout(endPause, ms);
        return;
      }
      let end: () => void = () => undefined;
      const over = new Promise<void>((resolve) => (end = resolve));
      paused = { over, end, timer: setTimeout(endPause, ms) };
    },
    async stop() {
      endPause();
      if (pending > 0) await new Promise<void>((resolve) => idle.push(resolve));
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
