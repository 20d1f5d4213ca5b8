/**
 * No verdict without a full run: a request that gets no answer while the target answers the others is a finding of
 * schema.answered (with the request and a curl line), never a pass; a target that stops answering altogether ends
 * with no verdict (exit 3).
 */
import type { AddressInfo } from 'node:net';
import { resolveRunConfig } from '../../src/config/run-config';
import { loadContract, type Contract } from '../../src/contract/load';
import { exitCodeOf } from '../../src/cli/conformance';
import { referenceDefaults } from '../../src/run/session/reference';
import { runConformance } from '../../src/run/run';
import { createReferenceApp } from '../../src/provider';

let contract: Contract;
beforeAll(async () => {
  contract = await loadContract();
});
jest.setTimeout(60_000);

/** The reference provider, destroying the connection of every n-th request (and of all after the `until`-th) unanswered. */
async function dropping(every: number, until = Number.POSITIVE_INFINITY) {
  const app = await createReferenceApp();
  let count = 0;
  app.addHook('onRequest', async (request) => {
    count += 1;
    if (count % every === 0 || count > until) request.raw.socket.destroy();
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => app.close(), dropped: () => Math.floor(count / every) };
}

async function runAgainst(url: string) {
  const { apiKey, jobId } = referenceDefaults();
  // A short restore budget: against a target that stops answering, the restore is retried until it is spent.
  const { config } = resolveRunConfig({ target: url, apiKey, jobId: String(jobId), runs: '20', seed: '3', restoreTimeout: '2' }, {}, contract);
  return runConformance({ config, apiKey, contract });
}

test('one connection in forty dropped without an answer: the no-answer finding, exit 1, never conformant', async () => {
  const provider = await dropping(40);
  try {
    const result = await runAgainst(provider.url);
    expect(provider.dropped()).toBeGreaterThan(3);
    const unanswered = result.cases.flatMap((c) => c.findings).filter((f) => f.checkId === 'schema.answered');
    expect(unanswered.length).toBeGreaterThan(0);
    for (const finding of unanswered) {
      expect(finding.response.status).toBe(0);
      expect(finding.actual).toMatch(/^no answer: /);
      expect(finding.curl).toMatch(/^curl .*\/v2\/jobs\//);
    }
    expect(result.verdict).toMatchObject({ kind: 'not-conformant', failedChecks: expect.arrayContaining(['schema.answered']) });
    expect(exitCodeOf(result)).toBe(1);
    expect(result.restore.kind).toBe('restored');
  } finally {
    await provider.close();
  }
});

test('a target that stops answering mid-run: no verdict, exit 3, and why', async () => {
  const provider = await dropping(Number.POSITIVE_INFINITY, 50);
  try {
    const result = await runAgainst(provider.url);
    // The connection is made, then dropped without an answer: named as such (a refused one is "failed to connect").
    expect(result.targetDown).toMatch(/requests in a row lost their connection/);
    expect(result.verdict).toMatchObject({ kind: 'no-verdict', reason: expect.stringMatching(/stopped answering/) });
    expect(exitCodeOf(result)).toBe(3);
    expect(result.restore.kind).toBe('failed'); // it does not answer the restore either: the loud block follows
  } finally {
    await provider.close();
  }
});

test('a target that answers nothing: refused at the first read, exit 3', async () => {
  const provider = await dropping(1);
  try {
    await expect(runAgainst(provider.url)).rejects.toMatchObject({ exitCode: 3, message: expect.stringMatching(/cannot reach/) });
  } finally {
    await provider.close();
  }
});
