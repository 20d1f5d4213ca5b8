/**
 * The longest chain of dependent requests in a run: a logical clock carried by each flow of the run (a case, a member
 * of a probe section, a lane). A request adds one to its flow's clock; flows that run side by side each start from
 * the clock where they split and, where they join, the clock goes on from the latest of them (the longest chain, not
 * the sum). With every request taking the same latency L and nothing else in the way, a run cannot end sooner than
 * chain x L: its latency floor.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const flows = new AsyncLocalStorage<Clock>();

/** A run's clock: its flows start from it. */
export interface Clock {
  t: number;
}

export function newClock(): Clock {
  return { t: 0 };
}

/** Runs `body` as a flow on `clock` (a run's: its groups one after another go on from where the last ended). */
export function within<T>(clock: Clock, body: () => Promise<T>): Promise<T> {
  return flows.run(clock, body);
}

/** This flow's clock (undefined outside a run): a flow that waits for others moves it on itself. */
export function currentClock(): Clock | undefined {
  return flows.getStore();
}

/** The chain so far in this flow (0 outside a run). */
export function chainNow(): number {
  return flows.getStore()?.t ?? 0;
}

/** One request sent in this flow, after the ones before it. */
export function step(): void {
  const clock = flows.getStore();
  if (clock) clock.t += 1;
}

/** Moves this flow's clock on to `t` if it is behind (it waited for something that ended at `t`). */
export function reach(t: number): void {
  const clock = flows.getStore();
  if (clock && clock.t < t) clock.t = t;
}

/**
 * Runs each item as a flow of its own, side by side, each from this flow's clock; then this flow goes on from the
 * latest of them. Errors are returned as settled results, as Promise.allSettled does.
 */
export async function sideBySide<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<PromiseSettledResult<void>[]> {
  const start = chainNow();
  const clocks = items.map(() => ({ t: start }));
  const settled = await Promise.allSettled(items.map((item, i) => flows.run(clocks[i] as Clock, () => work(item))));
  reach(Math.max(start, ...clocks.map((c) => c.t)));
  return settled;
}

/**
 * One flow at a time (a lane's job, written by one example after another): the next holder starts where the last
 * one ended, so the chain counts the wait.
 */
export class Serial {
  private tail: Promise<void> = Promise.resolve();
  private t = 0;

  async run<T>(work: () => Promise<T>): Promise<T> {
    const previous = this.tail;
    let release: () => void = () => undefined;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    reach(this.t);
    try {
      return await work();
    } finally {
      this.t = Math.max(this.t, chainNow());
      release();
    }
  }
}
