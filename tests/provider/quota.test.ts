/** The quota window, with an injected clock: per key, refused requests do not count, the window reopens after 60 s. */
import { createQuota, QUOTA_WINDOW_MS } from '../../src/provider/quota';

describe('createQuota', () => {
  let time = 0;
  const now = () => time;
  beforeEach(() => {
    time = 1_000_000;
  });

  it('allows N requests per key per minute, then refuses with the seconds left in the window', () => {
    const quota = createQuota(2, now);
    expect(quota.take('a')).toEqual({ allowed: true });
    time += 10_000;
    expect(quota.take('a')).toEqual({ allowed: true });
    time += 5_500;
    expect(quota.take('a')).toEqual({ allowed: false, retryAfterSeconds: 45 });
    expect(quota.take('b')).toEqual({ allowed: true });
  });

  it('opens a new window a minute after the first request, and refusals do not count', () => {
    const quota = createQuota(1, now);
    expect(quota.take('a').allowed).toBe(true);
    for (let i = 0; i < 5; i += 1) expect(quota.take('a').allowed).toBe(false);
    time += QUOTA_WINDOW_MS - 1;
    expect(quota.take('a')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    time += 1;
    expect(quota.take('a').allowed).toBe(true);
    expect(quota.take('a').allowed).toBe(false);
  });
});
