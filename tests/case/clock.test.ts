/** The chain of dependent requests (src/case/clock.ts): a flow's clock, flows side by side, one holder at a time. */
import { chainNow, currentClock, newClock, reach, Serial, sideBySide, step, within } from '../../src/case/clock';

test('a request adds one to its flow; outside a flow nothing counts', async () => {
  step();
  expect(chainNow()).toBe(0);
  const clock = newClock();
  await within(clock, async () => {
    step();
    step();
    expect(currentClock()).toBe(clock);
  });
  expect(clock.t).toBe(2);
});

test('flows side by side start where they split and join at the longest, not the sum', async () => {
  const clock = newClock();
  await within(clock, async () => {
    step(); // 1
    const settled = await sideBySide([3, 1, 2], async (n) => {
      for (let i = 0; i < n; i += 1) step();
      if (n === 2) throw new Error('a flow failed');
    });
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
  });
  expect(clock.t).toBe(1 + 3);
});

test('reach moves a flow on to a later point, never back', async () => {
  const clock = newClock();
  await within(clock, async () => {
    reach(5);
    reach(3);
    step();
  });
  expect(clock.t).toBe(6);
});

test('one holder at a time: the next starts where the last ended, so the chain counts the wait', async () => {
  const serial = new Serial();
  const order: string[] = [];
  const clock = newClock();
  await within(clock, () =>
    sideBySide(['a', 'b'], (name) =>
      serial.run(async () => {
        order.push(`${name} in`);
        step();
        step();
        await new Promise((resolve) => setTimeout(resolve, 5));
        order.push(`${name} out`);
      }),
    ),
  );
  expect(order).toEqual(['a in', 'a out', 'b in', 'b out']);
  expect(clock.t).toBe(4);
});
