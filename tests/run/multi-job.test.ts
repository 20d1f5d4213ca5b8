/**
 * --job-id a,b,c: the first job is written, the others read before and after; each must come back with its own id and
 * stay as it was. Bad ids are one line naming them, exit 2; every job is left as found.
 */
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { resolveRunConfig } from '../../src/config/run-config';
import { loadContract, type Contract } from '../../src/contract/load';
import { exitCodeOf } from '../../src/cli/conformance';
import { referenceDefaults } from '../../src/run/session/reference';
import { runConformance } from '../../src/run/run';
import { createReferenceApp } from '../../src/provider';
import { userErrorOf } from '../helpers/user-error';

let contract: Contract;
beforeAll(async () => {
  contract = await loadContract();
});
jest.setTimeout(60_000);
const { apiKey } = referenceDefaults();

async function provider(fault?: (app: FastifyInstance) => void) {
  const app = await createReferenceApp();
  fault?.(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
}

async function readJob(url: string, id: number): Promise<Record<string, unknown>> {
  const response = await fetch(`${url}/v2/jobs/${id}?key=${apiKey}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' });
  return (await response.json()) as Record<string, unknown>;
}

async function run(url: string, jobIds: string) {
  const { config } = resolveRunConfig({ target: url, apiKey, jobId: jobIds, runs: '5', seed: '2' }, {}, contract);
  return runConformance({ config, apiKey, contract });
}

test.each([
  ['241,abc', /^--job-id takes positive integer job ids, comma-separated: 'abc' in '241,abc' is not one$/],
  ['241,0', /'0' in '241,0' is not one$/],
  ['241,242,241', /--job-id names job 241 twice/],
  ['241,,242', /an empty one in '241,,242' is not one$/],
])('--job-id %s: one line naming it, exit 2', (ids, message) => {
  const error = userErrorOf(() => resolveRunConfig({ target: 'http://127.0.0.1:1', apiKey: 'k', jobId: ids }, {}, contract));
  expect(error.exitCode).toBe(2);
  expect(error.message).toMatch(message);
});

test('LILT_JOB_ID takes the list too', () => {
  const { config } = resolveRunConfig({ target: 'http://127.0.0.1:1', apiKey: 'k' }, { LILT_JOB_ID: '242, 243' }, contract);
  expect(config.jobIds).toEqual([242, 243]);
  expect(config.jobId).toBe(242);
});

test('a job the target does not have: one line naming it, exit 2, nothing written', async () => {
  const target = await provider();
  try {
    const before = await readJob(target.url, 241);
    await expect(run(target.url, '241,777')).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/job 777 does not exist/) });
    expect(await readJob(target.url, 241)).toEqual(before);
  } finally {
    await target.close();
  }
});

test('three jobs on a conformant provider: conformant, the others read before and after, all as found', async () => {
  const target = await provider();
  try {
    const before = await Promise.all([241, 242, 243].map((id) => readJob(target.url, id)));
    const result = await run(target.url, '241,242,243');
    expect(result.verdict).toEqual({ kind: 'conformant' });
    const cross = result.cases.find((c) => c.case.startsWith('other jobs'));
    expect(cross?.tallies['semantics.other-jobs-unchanged']).toMatchObject({ pass: 2, fail: 0 });
    expect(await Promise.all([241, 242, 243].map((id) => readJob(target.url, id)))).toEqual(before);
  } finally {
    await target.close();
  }
});

test('an update that also writes another job: semantics.other-jobs-unchanged fails, exit 1, and that job is put back', async () => {
  // Every name written to job 241 lands on job 242 too (written through the server itself, before 241's answer).
  let self = '';
  const target = await provider((app) => {
    app.addHook('preHandler', async (request) => {
      const body = Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '';
      if (!request.url.startsWith('/v2/jobs/241') || !/^\{"name":/.test(body)) return;
      await fetch(`${self}/v2/jobs/242?key=${apiKey}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body });
    });
  });
  self = target.url;
  try {
    const before = await readJob(target.url, 242);
    const result = await run(target.url, '241,242');
    expect(result.verdict).toMatchObject({ kind: 'not-conformant', failedChecks: expect.arrayContaining(['semantics.other-jobs-unchanged']) });
    expect(exitCodeOf(result)).toBe(1);
    expect(result.restore.kind).toBe('restored');
    const after = await readJob(target.url, 242);
    for (const field of ['name', 'due', 'isProcessing']) expect(after[field]).toEqual(before[field]);
  } finally {
    await target.close();
  }
});

test('ids that all map to one job: job 242 comes back as job 241, semantics.id-matches-path fails', async () => {
  const target = await provider((app) => {
    app.addHook('preHandler', async (request) => {
      const params = request.params as Record<string, string>;
      if (params.jobId === '242' || params.jobId === '243') params.jobId = '241';
    });
  });
  try {
    const result = await run(target.url, '241,242');
    expect(result.verdict).toMatchObject({ kind: 'not-conformant', failedChecks: expect.arrayContaining(['semantics.id-matches-path']) });
  } finally {
    await target.close();
  }
});
