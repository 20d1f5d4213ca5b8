/**
 * The reference provider's latency knob (`--latency-ms N`, `startReferenceProvider({ latencyMs })`): every answer comes
 * N ms late, requests in flight wait concurrently (as over a long link, not a slow single server), and a bad value is
 * refused in one line.
 */
import { startReferenceProvider } from '../../src/provider';
import { UserError } from '../../src/errors';

const AUTH = { authorization: `Basic ${Buffer.from('test-key:test-key').toString('base64')}`, 'content-type': 'application/json' };

async function timed(url: string, init: RequestInit): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const response = await fetch(url, init);
  await response.text();
  return { status: response.status, ms: performance.now() - started };
}

describe('startReferenceProvider({ latencyMs })', () => {
  test('every answer (200, 401, 404) comes at least the latency late; five at once overlap', async () => {
    const provider = await startReferenceProvider({ port: 0, latencyMs: 300 });
    try {
      const ok = await timed(`${provider.url}/v2/jobs/241`, { method: 'PUT', headers: AUTH, body: '{}' });
      const refused = await timed(`${provider.url}/v2/jobs/241`, { method: 'PUT', body: '{}' });
      const missing = await timed(`${provider.url}/v2/jobs/999999`, { method: 'PUT', headers: AUTH, body: '{}' });
      expect([ok.status, refused.status, missing.status]).toEqual([200, 401, 404]);
      for (const answer of [ok, refused, missing]) expect(answer.ms).toBeGreaterThanOrEqual(290);

      const started = performance.now();
      const five = await Promise.all(
        Array.from({ length: 5 }, () => timed(`${provider.url}/v2/jobs/241`, { method: 'PUT', headers: AUTH, body: '{}' })),
      );
      const wall = performance.now() - started;
      expect(five.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
      // One after another they would take 1 500 ms; concurrently, about 300.
      expect(wall).toBeLessThan(1_200);
    } finally {
      await provider.close();
    }
  });

  test('no latency by default: an answer on loopback is well under the smallest latency the tests use', async () => {
    const provider = await startReferenceProvider({ port: 0 });
    try {
      await timed(`${provider.url}/v2/jobs/241`, { method: 'PUT', headers: AUTH, body: '{}' }); // warm up
      const answer = await timed(`${provider.url}/v2/jobs/241`, { method: 'PUT', headers: AUTH, body: '{}' });
      expect(answer.status).toBe(200);
      expect(answer.ms).toBeLessThan(250);
    } finally {
      await provider.close();
    }
  });

  test.each([-1, 1.5, 60_001])('latencyMs %p is refused in one line', async (latencyMs) => {
    await expect(startReferenceProvider({ port: 0, latencyMs })).rejects.toThrow(UserError);
    await expect(startReferenceProvider({ port: 0, latencyMs })).rejects.toThrow(/^latency must be an integer from 0 to 60000 \(milliseconds\)/);
  });
});
