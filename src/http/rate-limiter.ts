/**
 * Pacing of requests: at most N a minute (evenly spaced, so a run never bursts past the quota) and at most C in
 * flight, by bottleneck; and a pause of every queued request after a 429 (Retry-After, else the document's wait).
 * Without a rate (loopback targets) bottleneck is not used: its scheduler adds ~5 ms to every job even with
 * `minTime: 0`, which caps a sequential run near 200 requests/s; a plain in-flight bound does the same job there.
 *
 * A request not yet started can be called off (its AbortSignal): it then never starts, whether it was queued for a
 * slot, for the pace, or behind a pause, and `schedule` rejects with LimiterStopped at once. A request already
 * started is never cut here: the caller waits for it (its own timeout bounds it).
 */
import Bottleneck from 'bottleneck';
import { redactForExcerpt } from './key-scan';

/** `schedule` was called off before `send` started: nothing was sent. */
export class LimiterStopped extends Error {
  override readonly name = 'LimiterStopped';
  constructor() {
    super('called off before it was sent');
  }
}

/** Resolves when `promise` does, or rejects with LimiterStopped as soon as `signal` aborts (whichever is first). */
function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(new LimiterStopped());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new LimiterStopped());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

export interface RateLimiterOptions {
  /** Requests a minute; undefined for no pacing (loopback targets). */
  readonly perMinute: number | undefined;
  /** Requests in flight at most. */
  readonly concurrency: number;
}

/**
 * Which requests go first when several wait: those a chain of dependent requests waits on ('chain': writes, reads,
 * read-backs), before those sent in bulk that nothing waits on one by one ('batch': the members of a probe section).
 */
export type Priority = 'chain' | 'batch';

export interface RateLimiter {
  /**
   * Runs `send` when the pace and the in-flight cap allow, and not while paused; chain requests before batch ones.
   * Rejects with LimiterStopped, without calling `send`, if `signal` aborts first.
   */
  schedule<T>(send: () => Promise<T>, signal?: AbortSignal, priority?: Priority): Promise<T>;
  /** Changes how many may be in flight (the default concurrency follows the target once its latency is measured). */
  setConcurrency(concurrency: number): void;
  /** Holds every request not yet started for `ms` (after a 429). */
  pause(ms: number): Promise<void>;
  /** Stops timers and waits for running requests; queued ones still run unless they were called off. */
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
  const SKIPPED = Symbol('skipped');
  return {
    async schedule<T>(send: () => Promise<T>, signal?: AbortSignal, priority: Priority = 'chain'): Promise<T> {
      if (signal?.aborted) throw new LimiterStopped();
      // A job called off stays in bottleneck's queue until its turn, then returns at once without sending.
      // bottleneck's priorities: 0 first, 9 last (5 by default).
      const job = limiter.schedule({ priority: priority === 'batch' ? 7 : 3 }, (): Promise<T | typeof SKIPPED> =>
        signal?.aborted ? Promise.resolve(SKIPPED) : send(),
      );
      const outcome = await unlessAborted(job, signal);
      if (outcome === SKIPPED) throw new LimiterStopped();
      return outcome;
    },
    setConcurrency(n) {
      void limiter.updateSettings({ maxConcurrent: Math.max(1, n) });
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
      // Released, so that the queued jobs (called off by now, or about to be sent) are not held by a pause forever.
      await limiter.updateSettings({ reservoir: null });
      await limiter.stop({ dropWaitingJobs: false });
    },
  };
}

/** No pacing: at most `concurrency` in flight, first come first served (chain before batch), and held while paused. */
function inFlightLimiter(concurrency: number): RateLimiter {
  return new InFlightLimiter(concurrency);
}

/** A pause every caller waits on (`over`); a longer pause moves its timer, never replaces it. */
interface Pause {
  readonly over: Promise<void>;
  readonly end: () => void;
  timer: NodeJS.Timeout;
}

/** The in-flight bound: slots, the two queues of those waiting for one (chain, batch), and the current pause. */
class InFlightLimiter implements RateLimiter {
  private limit: number;
  private running = 0;
  /** Scheduled and not yet finished (queued or running): what stop() waits for. */
  private pending = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly waitingBatch: Array<() => void> = [];
  private readonly idle: Array<() => void> = [];
  private pausedUntil = 0;
  private paused: Pause | undefined;

  constructor(concurrency: number) {
    this.limit = Math.max(1, concurrency);
  }

  async schedule<T>(send: () => Promise<T>, signal?: AbortSignal, priority: Priority = 'chain'): Promise<T> {
    this.pending += 1;
    try {
      await this.pauseOver(signal);
      await this.acquire(signal, priority);
      try {
        // A 429 may have paused the run while this one queued for a slot.
        await this.pauseOver(signal);
        if (signal?.aborted) throw new LimiterStopped();
        return await send();
      } finally {
        this.release();
      }
    } finally {
      this.pending -= 1;
      if (this.pending === 0) for (const resolve of this.idle.splice(0)) resolve();
    }
  }

  setConcurrency(n: number): void {
    this.limit = Math.max(1, n);
    // Slots freed by a raise go to those waiting, chain first.
    for (let next = this.grantable(); next; next = this.grantable()) {
      this.running += 1;
      next();
    }
  }

  async pause(ms: number): Promise<void> {
    const until = Date.now() + ms;
    if (until <= this.pausedUntil) return;
    this.pausedUntil = until;
    if (this.paused) {
      clearTimeout(this.paused.timer);
      this.paused.timer = setTimeout(() => this.endPause(), ms);
      return;
    }
    let end: () => void = () => undefined;
    const over = new Promise<void>((resolve) => (end = resolve));
    this.paused = { over, end, timer: setTimeout(() => this.endPause(), ms) };
  }

  async stop(): Promise<void> {
    this.endPause();
    if (this.pending > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  /** The next one waiting, chain before batch. */
  private nextWaiting(): (() => void) | undefined {
    return this.waiting.shift() ?? this.waitingBatch.shift();
  }

  /** The next one waiting, if a slot is free for it. */
  private grantable(): (() => void) | undefined {
    return this.running < this.limit ? this.nextWaiting() : undefined;
  }

  private endPause(): void {
    if (!this.paused) return;
    clearTimeout(this.paused.timer);
    const { end } = this.paused;
    this.paused = undefined;
    end();
  }

  private async pauseOver(signal: AbortSignal | undefined): Promise<void> {
    while (this.paused) await unlessAborted(this.paused.over, signal);
  }

  /** Takes a slot, at once when one is free and nobody waits, else in turn in the queue of its priority. */
  private async acquire(signal: AbortSignal | undefined, priority: Priority): Promise<void> {
    if (this.running < this.limit && this.waiting.length === 0 && this.waitingBatch.length === 0) {
      this.running += 1;
      return;
    }
    // A freed slot is handed over directly (running stays counted), so nobody overtakes the queue: chain first.
    const queue = priority === 'batch' ? this.waitingBatch : this.waiting;
    let handOver: () => void = () => undefined;
    const granted = new Promise<void>((resolve) => {
      handOver = resolve;
      queue.push(resolve);
    });
    try {
      await unlessAborted(granted, signal);
    } catch (error) {
      const at = queue.indexOf(handOver);
      if (at >= 0) queue.splice(at, 1);
      else this.release(); // the slot was handed over just as it was called off: pass it on
      throw error;
    }
  }

  /** Frees a slot: handed over to the next one waiting, or given up when over the limit (it was lowered). */
  private release(): void {
    const next = this.running <= this.limit ? this.nextWaiting() : undefined;
    if (next) return next();
    this.running -= 1;
  }
}

/** The wait a 429 asks for, and where it came from (for the line the run prints). */
export interface RetryAfter {
  readonly ms: number;
  /** e.g. `Retry-After: 30`, or `no Retry-After: the document's 60 s`. */
  readonly said: string;
}

/**
 * Retry-After in milliseconds (seconds or an HTTP date), else the fallback (the document's wait). Not capped here: the
 * caller compares it with --max-wait and ends the run rather than wait longer (a silent cap would send early).
 */
export function retryAfterOf(header: string | undefined, fallbackMs: number, now = Date.now()): RetryAfter {
  const fallback = `the document's ${Math.round(fallbackMs / 1000)} s`;
  if (header === undefined || header.trim() === '') return { ms: fallbackMs, said: `no Retry-After: ${fallback}` };
  const text = header.trim();
  // Redacted before it is cut (a target may put the key there; a cut key is past what the redaction knows).
  const redacted = redactForExcerpt(text);
  const shown = JSON.stringify(redacted.length > 40 ? `${redacted.slice(0, 40)}...` : redacted);
  if (/^\d+$/.test(text)) return { ms: Number(text) * 1000, said: `Retry-After: ${shown}` };
  const date = Date.parse(text);
  if (!Number.isNaN(date) && /[A-Za-z]/.test(text)) return { ms: Math.max(0, date - now), said: `Retry-After: ${shown} (a date)` };
  return { ms: fallbackMs, said: `Retry-After: ${shown} is neither seconds nor a date: ${fallback}` };
}
