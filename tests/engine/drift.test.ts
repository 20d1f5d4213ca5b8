/**
 * A live job moves on its own (a job being translated moves its stats): the whole-Job comparison must not call that
 * a write. A property that differs between two back-to-back reads is named and left out; a write's own side effect
 * on a property that holds still between reads is still caught.
 */
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { resolveRunConfig } from '../../src/config/run-config';
import { loadContract, type Contract } from '../../src/contract/load';
import { referenceDefaults } from '../../src/engine/reference-target';
import { runConformance } from '../../src/engine/run';
import { createReferenceApp } from '../../src/provider';

let contract: Contract;
beforeAll(async () => {
  contract = await loadContract();
});
jest.setTimeout(60_000);
const { apiKey, jobId } = referenceDefaults();

/** Rewrites every 200 Job the provider sends. */
async function rewriting(rewrite: (job: Record<string, unknown>, body: string) => Record<string, unknown>) {
  const app: FastifyInstance = await createReferenceApp();
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode !== 200 || typeof payload !== 'string') return payload;
    const body = Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '';
    return JSON.stringify(rewrite(JSON.parse(payload) as Record<string, unknown>, body));
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
}

async function run(url: string) {
  const { config } = resolveRunConfig({ target: url, apiKey, jobId: String(jobId), runs: '20', seed: '8' }, {}, contract);
  return runConformance({ config, apiKey, contract });
}

test('a job whose stats move with every request (being translated): conformant, stats named as moving on its own', async () => {
  let words = 100;
  const provider = await rewriting((job) => ({ ...job, stats: { ...(job.stats as object), sourceWords: (words += 1) } }));
  try {
    const result = await run(provider.url);
    expect(result.verdict).toEqual({ kind: 'conformant' });
    expect(result.drifting).toEqual(['stats']);
  } finally {
    await provider.close();
  }
});

test('an update that also moves the status (and reads hold it still): update.other-fields-kept fails', async () => {
  let writes = 0;
  const provider = await rewriting((job, body) => {
    if (/"name"/.test(body)) writes += 1;
    return { ...job, status: writes % 2 === 0 ? 'active' : 'delivered' };
  });
  try {
    const result = await run(provider.url);
    expect(result.verdict).toMatchObject({ kind: 'not-conformant', failedChecks: expect.arrayContaining(['update.other-fields-kept']) });
    expect(result.drifting).toEqual([]);
  } finally {
    await provider.close();
  }
});
