/**
 * The limiter's priorities and changing concurrency (issue 13): a request a chain waits on ('chain') goes before
 * those sent in bulk ('batch') whether the run is paced or not; raising the concurrency lets waiting requests start,
 * lowering it holds new ones until enough have ended.
 */
import { createRateLimiter, type Priority } from '../../src/http/rate-limiter';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function order(perMinute: number | undefined, concurrency: number, schedule: readonly Priority[]): Promise<number[]> {
  const limiter = createRateLimiter({ perMinute, concurrency });
  const started: number[] = [];
  // The first holds the only slot (or the pace) while the others queue.
  const all = [limiter.schedule(() => tick(50).then(() => undefined), undefined, 'chain')];
  for (const [i, priority] of schedule.entries()) {
    all.push(limiter.schedule(async () => void started.push(i), undefined, priority));
  }
  await Promise.all(all);
  await limiter.stop();
  return started;
}

test.each([
  ['unpaced, one in flight', undefined, 1],
  // bottleneck reserves a paced slot for as many as may be in flight; priorities order those still queued.
  ['paced at 1200 a minute, one in flight', 1200, 1],
])('%s: a chain request queued after batch ones goes first', async (_name, perMinute, concurrency) => {
  expect(await order(perMinute, concurrency, ['batch', 'batch', 'batch', 'chain', 'batch'])).toEqual([3, 0, 1, 2, 4]);
});

test('unpaced: among equals, first come first served', async () => {
  expect(await order(undefined, 1, ['batch', 'batch', 'chain', 'chain'])).toEqual([2, 3, 0, 1]);
});

test('setConcurrency: a raise starts the waiting at once; a lowering holds new ones until enough have ended', async () => {
  const limiter = createRateLimiter({ perMinute: undefined, concurrency: 1 });
  let running = 0;
  let most = 0;
  const job = () =>
    limiter.schedule(async () => {
      running += 1;
      most = Math.max(most, running);
      await tick(40);
      running -= 1;
    });
  const first = Array.from({ length: 6 }, job);
  await tick(5);
  expect(running).toBe(1);
  limiter.setConcurrency(3);
  await tick(5);
  expect(running).toBe(3);
  await Promise.all(first);
  expect(most).toBe(3);
  limiter.setConcurrency(2);
  most = 0;
  await Promise.all(Array.from({ length: 6 }, job));
  expect(most).toBe(2);
  await limiter.stop();
});
