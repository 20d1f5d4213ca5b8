/**
 * One stop for the whole run, whatever asks for it: a signal (the hooks' AbortSignal), --max-duration, the heap near
 * its limit, or --max-failures. Stopping means: the transport issues nothing more (it listens to `signal`), the cases
 * not started are not run, and the job is restored as always. The reason is kept for the result and the verdict.
 */
import { getHeapStatistics } from 'node:v8';
import type { EarlyStop, StopReason } from './types';

/**
 * The share of the heap's limit (V8's old generation) past which the run stops sending and restores the job, rather
 * than die with it modified. V8 may give up on a heap past 80 % of that limit whose collections free little
 * ("ineffective mark-compacts"), so the run stops before.
 */
export const HEAP_STOP_FRACTION = 0.75;
/** V8's young generation (three 16 MiB semi-spaces on 64-bit): inside heap_size_limit, outside the old generation's. */
const YOUNG_GENERATION_BYTES = 48 * 2 ** 20;
const HEAP_CHECK_EVERY_MS = 100;

export function describeStop(stop: StopReason): string {
  switch (stop.kind) {
    case 'signal':
      return `the run was interrupted (${stop.signal})`;
    case 'deadline':
      return `the run reached --max-duration (${Math.round(stop.afterMs / 1000)} s)`;
    case 'memory':
      return `the run neared its memory limit (${stop.usedMb} MB of heap in use, past ${Math.round(HEAP_STOP_FRACTION * 100)} % of its ${stop.limitMb} MB)`;
  }
}

export class RunStop {
  private readonly controller = new AbortController();
  /** Why the run stopped before its plan was done (a signal, the deadline, the heap), if it did. */
  reason: StopReason | undefined;
  /** Set when --max-failures stopped the run (the verdict stands: NOT conformant). */
  early: EarlyStop | undefined;
  private finishing = false;
  private readonly release: () => void;

  /** Aborted with the stop's description when the run stops for a reason of `StopReason`. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  constructor(outside: AbortSignal | undefined, maxDurationMs: number) {
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
      clearTimeout(deadline);
      clearInterval(heapWatch);
      outside?.removeEventListener('abort', onAbort);
    };
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
