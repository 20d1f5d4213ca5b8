/**
 * A live job moves on its own (a job being translated moves its stats) at its own pace: every few requests, or on a
 * timer. A property seen to move while the run sent the job nothing but reads is live: not judged, its findings
 * withdrawn before the verdict, and named. A write's own side effect on a property that holds still between reads is
 * still caught.
 */
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { resolveRunConfig } from '../../src/config/run-config';
import { loadContract, type Contract } from '../../src/contract/load';
import { referenceDefaults } from '../../src/run/session/reference';
import { runConformance } from '../../src/run/run';
import { createReferenceApp } from '../../src/provider';

let contract: Contract;
beforeAll(async () => {
  contract = await loadContract();
});
jest.setTimeout(120_000);
const { apiKey, jobId } = referenceDefaults();

/** Rewrites every 200 Job the provider sends; `requests` counts every request it has received. */
async function rewriting(rewrite: (job: Record<string, unknown>, body: string, requests: number) => Record<string, unknown>) {
  const app: FastifyInstance = await createReferenceApp();
  let requests = 0;
  app.addHook('onRequest', async () => {
    requests += 1;
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode !== 200 || typeof payload !== 'string') return payload;
    const body = Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '';
    return JSON.stringify(rewrite(JSON.parse(payload) as Record<string, unknown>, body, requests));
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
}

async function run(url: string, runs = '20') {
  const { config } = resolveRunConfig({ target: url, apiKey, jobId: String(jobId), runs, seed: '8' }, {}, contract);
  return runConformance({ config, apiKey, contract });
}

const withWords = (job: Record<string, unknown>, words: number) => ({ ...job, stats: { ...(job.stats as object), sourceWords: words } });

test.each([1, 2, 7, 50])('stats that move every %i requests: conformant, stats named as live on the job', async (every) => {
  const provider = await rewriting((job, _body, requests) => withWords(job, 1000 + Math.floor(requests / every)));
  try {
    const result = await run(provider.url);
    expect(result.verdict).toEqual({ kind: 'conformant' });
    expect(result.live).toEqual([{ jobId, properties: ['stats'] }]);
    expect(result.drifting).toEqual(['stats']);
  } finally {
    await provider.close();
  }
});

test('stats that move on a timer (every 150 ms): conformant, stats named as live', async () => {
  const started = Date.now();
  const provider = await rewriting((job) => withWords(job, 1000 + Math.floor((Date.now() - started) / 150)));
  try {
    const result = await run(provider.url, '50');
    expect(result.verdict).toEqual({ kind: 'conformant' });
    expect(result.live).toEqual([{ jobId, properties: ['stats'] }]);
  } finally {
    await provider.close();
  }
});

test('stats that never move, on a provider whose updates reset them: caught, nothing withdrawn', async () => {
  let words = 1000;
  const provider = await rewriting((job, body) => {
    if (/"name"/.test(body)) words = 0; // a write resets the counters: the request's doing
    return withWords(job, words);
  });
  try {
    const result = await run(provider.url);
    expect(result.verdict).toMatchObject({ kind: 'not-conformant', failedChecks: expect.arrayContaining(['semantics.other-fields-kept']) });
    expect(result.live).toEqual([]);
  } finally {
    await provider.close();
  }
});

test('an update that also moves the status, on a job whose stats move every 7 requests: the status is caught, stats live', async () => {
  let writes = 0;
  const provider = await rewriting((job, body, requests) => {
    if (/"name"/.test(body)) writes += 1;
    return { ...withWords(job, 1000 + Math.floor(requests / 7)), status: writes % 2 === 0 ? 'active' : 'delivered' };
  });
  try {
    const result = await run(provider.url);
    expect(result.verdict).toMatchObject({ kind: 'not-conformant', failedChecks: expect.arrayContaining(['semantics.other-fields-kept']) });
    expect(result.live).toEqual([{ jobId, properties: ['stats'] }]);
    // What stands is about the status; what was only about stats is withdrawn.
    const standing = result.cases.flatMap((c) => c.findings).filter((f) => f.about !== undefined);
    expect(standing.length).toBeGreaterThan(0);
    for (const f of standing) expect(f.about?.properties).toContain('status');
    expect(result.withdrawn.length).toBeGreaterThan(0);
    for (const f of result.withdrawn) expect(f.about?.properties).toEqual(['stats']);
  } finally {
    await provider.close();
  }
});
