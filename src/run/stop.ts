/**
 * One stop for the whole run, whatever asks for it: a signal (the hooks' AbortSignal), --max-duration (reached, or
 * foreseen from the run's pace so far), the heap near its limit, another writer on the job, or --max-failures. Stopping means: the transport issues nothing more (it listens to `signal`), the cases
 * not started are not run, and the job is restored as always. The reason is kept for the result and the verdict.
 */
import { getHeapStatistics } from 'node:v8';
import type { EarlyStop, PaceEstimate, StopReason } from './types';

/**
 * The share of the heap's limit (V8's old generation) past which the run stops sending and restores the job, rather
 * than die with it modified. V8 may give up on a heap past 80 % of that limit whose collections free little
 * ("ineffective mark-compacts"), so the run stops before.
 */
export const HEAP_STOP_FRACTION = 0.75;
/** V8's young generation (three 16 MiB semi-spaces on 64-bit): inside heap_size_limit, outside the old generation's. */
const YOUNG_GENERATION_BYTES = 48 * 2 ** 20;
const HEAP_CHECK_EVERY_MS = 100;
const PACE_CHECK_EVERY_MS = 500;

export function describeStop(stop: StopReason): string {
  switch (stop.kind) {
    case 'signal':
      return `the run was interrupted (${stop.signal})`;
    case 'deadline':
      if (stop.estimate !== undefined) return describeEstimate(stop.afterMs, stop.estimate);
      return `the run reached --max-duration (${Math.round(stop.afterMs / 1000)} s)`;
    case 'other-writer':
      return `another writer changed the job during the run (${stop.what})`;
    case 'memory':
      return `the run neared its memory limit (${stop.usedMb} MB of heap in use, past ${Math.round(HEAP_STOP_FRACTION * 100)} % of its ${stop.limitMb} MB)`;
  }
}

function describeEstimate(maxMs: number, e: PaceEstimate): string {
  const s = (ms: number) => `${Math.round(ms / 1000)} s`;
  return (
    `the run would pass --max-duration (${s(maxMs)}): ${e.done} requests answered in ${s(e.elapsedMs)}` +
    `${e.throttled > 0 ? ` (${e.throttled} answered 429 and waited for)` : ''}, and at that pace the ${e.left} or more left need about ` +
    `${s(e.moreMs)} more; stopping now rather than waiting it out`
  );
}

/**
 * How long a run goes before its pace is taken as an estimate of the rest: 5 % of --max-duration, at least 2 s (the
 * start-up's reads go one after another, slower than the groups that follow).
 */
const PACE_MIN_ELAPSED_MS = 2_000;
const PACE_MIN_SHARE = 0.05;

/**
 * Whether the run, at its pace so far, would pass `maxDurationMs`: its estimate, or undefined if not (or too early to
 * tell). `done`: requests answered (429s not counted); `left`: requests the plan still has, at least.
 */
export function paceEstimate(maxDurationMs: number, elapsedMs: number, done: number, throttled: number, left: number): PaceEstimate | undefined {
  if (left <= 0 || done < 1 || elapsedMs < Math.max(PACE_MIN_ELAPSED_MS, PACE_MIN_SHARE * maxDurationMs)) return undefined;
  const moreMs = (left * elapsedMs) / Math.max(1, done);
  return elapsedMs + moreMs > maxDurationMs ? { elapsedMs, done, throttled, left, moreMs } : undefined;
}

export class RunStop {
  private readonly controller = new AbortController();
  /** Why the run stopped before its plan was done (a signal, the deadline, the heap), if it did. */
  reason: StopReason | undefined;
  /** Set when --max-failures stopped the run (the verdict stands: NOT conformant). */
  early: EarlyStop | undefined;
  private finishing = false;
  private readonly release: () => void;
  private paceWatch: NodeJS.Timeout | undefined;
  private readonly startedAt = Date.now();

  /** Aborted with the stop's description when the run stops for a reason of `StopReason`. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  constructor(
    outside: AbortSignal | undefined,
    readonly maxDurationMs: number,
  ) {
    const onAbort = () => this.stop({ kind: 'signal', signal: String(outside?.reason ?? 'aborted') });
    if (outside?.aborted) onAbort();
    outside?.addEventListener('abort', onAbort, { once: true });
    const deadline = setTimeout(() => this.stop({ kind: 'deadline', afterMs: maxDurationMs }), maxDurationMs);
    // Whatever fills the heap, the job is put back while there is memory left to do it.
    const heapWatch = setInterval(() => {
      const { used_heap_size: used, heap_size_limit: all } = getHeapStatistics();
      const limit = all - YOUNG_GENERATION_BYTES;
      if (used > limit * HEAP_STOP_FRACTION) this.stop({ kind: 'memory', usedMb: Math.round(used / 2 ** 20), limitMb: Math.round(limit / 2 ** 20) });
    }, HEAP_CHECK_EVERY_MS).unref();
    this.release = () => {
      clearInterval(this.paceWatch);
      clearTimeout(deadline);
      clearInterval(heapWatch);
      outside?.removeEventListener('abort', onAbort);
    };
  }

  /**
   * Watches the run's pace: once, at the pace so far, the requests left would take it past --max-duration (a target
   * that keeps throttling), the run stops now, says why, and restores, instead of waiting out the time.
   */
  watchPace(progress: () => { readonly done: number; readonly throttled: number; readonly left: number }): void {
    if (this.finishing || this.paceWatch !== undefined) return;
    this.paceWatch = setInterval(() => {
      const { done, throttled, left } = progress();
      const estimate = paceEstimate(this.maxDurationMs, Date.now() - this.startedAt, done, throttled, left);
      if (estimate !== undefined) this.stop({ kind: 'deadline', afterMs: this.maxDurationMs, estimate });
    }, PACE_CHECK_EVERY_MS).unref();
  }

  stop(reason: StopReason): void {
    if (this.reason !== undefined || this.finishing) return;
    this.reason = reason;
    this.controller.abort(describeStop(reason));
  }

  /** Whether the run has stopped issuing cases (a stop, or --max-failures). */
  halted(): boolean {
    return this.reason !== undefined || this.early !== undefined;
  }

  /** The run is finishing: nothing more stops it, and its timers are let go. */
  finish(): void {
    this.finishing = true;
    this.release();
  }
}
