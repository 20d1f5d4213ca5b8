/**
 * Scheduling for latency (issue 13), against real providers on loopback: probes share one read-back per round; a
 * round that changed the job is replayed one request at a time and the finding names the request that wrote; the
 * property examples that write are shared out over the jobs given (a job lacking an updatable field is only read);
 * a property's failing example is the same whatever the number of lanes; the default concurrency follows the target.
 */
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { buildArbitraries } from '../../src/arbitraries';
import { concurrencyFor, resolveRunConfig, type RawOptions } from '../../src/config/run-config';
import { loadContract, type Contract } from '../../src/contract/load';
import { referenceDefaults } from '../../src/run/session/reference';
import { openRun, runConformance } from '../../src/run/run';
import { createReferenceApp } from '../../src/provider';

let contract: Contract;
beforeAll(async () => {
  contract = await loadContract();
});
jest.setTimeout(120_000);
const { apiKey } = referenceDefaults();
const BASIC = `Basic ${Buffer.from(`${apiKey}:${apiKey}`).toString('base64')}`;

interface Seen {
  readonly id: string;
  readonly body: string;
  readonly status: number;
}

/** The reference provider, recording every request it answers (id, body, status); `fault` adds hooks. */
async function provider(options: { fault?: (app: FastifyInstance, self: () => string) => void; latencyMs?: number } = {}) {
  const app = await createReferenceApp(options.latencyMs === undefined ? {} : { latencyMs: options.latencyMs });
  const seen: Seen[] = [];
  let url = '';
  app.addHook('onResponse', async (request, reply) => {
    const body = Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '';
    seen.push({ id: (request.params as Record<string, string> | undefined)?.jobId ?? '', body, status: reply.statusCode });
  });
  options.fault?.(app, () => url);
  await app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return { url, seen, close: () => app.close() };
}

function configOf(url: string, raw: RawOptions = {}) {
  return resolveRunConfig({ target: url, apiKey, jobId: '241', runs: '5', seed: '3', ...raw }, {}, contract).config;
}

const isRead = (s: Seen) => s.body === '{}' && s.status === 200;

test('the negative group: one read-back per round, not one per refusal; no finding', async () => {
  const target = await provider();
  try {
    const run = await openRun({ config: configOf(target.url), apiKey, contract });
    target.seen.length = 0;
    const records = await run.runGroup('negative');
    const result = await run.finish();
    expect(result.restore.kind).toBe('restored');
    expect(records).toHaveLength(5);
    expect(records.every((r) => r.findings.length === 0 && r.error === undefined)).toBe(true);
    const group = target.seen.slice(0, records.reduce((n, r) => n + r.requests, 0));
    const refusals = group.filter((s) => s.status === 400).length;
    const reads = group.filter(isRead).length;
    // One read-back after each refusal would be as many reads as refusals.
    expect(refusals).toBeGreaterThan(30);
    expect(reads).toBeLessThan(refusals / 4);
  } finally {
    await target.close();
  }
});

test('a refusal that writes: its round is replayed one at a time, and only that request is named', async () => {
  // `{"name": 42}` (a number: refused) writes a name through the provider itself before it answers 400.
  const target = await provider({
    fault: (app, self) =>
      app.addHook('preHandler', async (request) => {
        const body = Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '';
        if (body !== '{"name":42}') return;
        const id = (request.params as Record<string, string>).jobId;
        const response = await fetch(`${self()}/v2/jobs/${id}`, {
          method: 'PUT',
          headers: { authorization: BASIC, 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'written by a refusal' }),
        });
        await response.arrayBuffer();
      }),
  });
  try {
    const run = await openRun({ config: configOf(target.url), apiKey, contract });
    const records = await run.runGroup('negative');
    const result = await run.finish();
    const findings = records.flatMap((r) => r.findings).filter((f) => f.checkId === 'negative.refusal-changes-nothing');
    expect(findings.map((f) => f.request.body)).toEqual(['{"name":42}']);
    expect(findings[0]?.actual).toMatch(/written by a refusal/);
    expect(result.verdict).toMatchObject({ kind: 'not-conformant', failedChecks: ['negative.refusal-changes-nothing'] });
    expect(result.restore.kind).toBe('restored');
    // The refused request was sent twice: in its round, and alone in the replay.
    expect(target.seen.filter((s) => s.body === '{"name":42}')).toHaveLength(2);
  } finally {
    await target.close();
  }
});

test('three jobs: the property writes land on each complete job; job 243 (no due) is only read; all left as found', async () => {
  const target = await provider();
  try {
    const result = await runConformance({ config: configOf(target.url, { jobId: '241,242,243', runs: '20' }), apiKey, contract });
    expect(result.verdict).toEqual({ kind: 'conformant' });
    const writes = (id: string) => target.seen.filter((s) => s.id === id && s.status === 200 && s.body !== '{}' && s.body !== '').length;
    expect(writes('241')).toBeGreaterThan(10);
    expect(writes('242')).toBeGreaterThan(10);
    expect(writes('243')).toBe(0);
  } finally {
    await target.close();
  }
});

test("a property's failing example is the same with one lane and with two (same seed: same counterexample, same path)", async () => {
  // Names longer than 20 characters come back cut to 20: semantics.fields-round-trip fails on them.
  const fault = (app: FastifyInstance) =>
    app.addHook('onSend', async (_request, reply, payload) => {
      if (reply.statusCode !== 200 || typeof payload !== 'string') return payload;
      const job = JSON.parse(payload) as Record<string, unknown>;
      return typeof job.name === 'string' && job.name.length > 20 ? JSON.stringify({ ...job, name: job.name.slice(0, 20) }) : payload;
    });
  const replayOf = async (jobIds: string) => {
    const target = await provider({ fault });
    try {
      const run = await openRun({ config: configOf(target.url, { jobId: jobIds, runs: '30', seed: '11' }), apiKey, contract });
      const records = await run.runGroup('properties');
      await run.finish();
      const finding = records.find((r) => r.case.startsWith('property name:'))?.findings.find((f) => f.replay !== undefined);
      return finding?.replay;
    } finally {
      await target.close();
    }
  };
  const one = await replayOf('241');
  const two = await replayOf('241,242');
  expect(one).toBeDefined();
  expect({ path: two?.path, counterexample: two?.counterexample }).toEqual({ path: one?.path, counterexample: one?.counterexample });
});

test('the values drawn ahead are the ones fast-check then draws (a synchronous and an async property, same seed)', async () => {
  const all = buildArbitraries(contract);
  for (const arbitrary of [all.field('name'), all.field('due'), all.body, all.auth, all.readOnlyField]) {
    const drawn: string[] = [];
    fc.check(fc.property(arbitrary, (v) => (drawn.push(fc.stringify(v)), true)), { seed: 9, numRuns: 40 });
    const drawnAsync: string[] = [];
    await fc.check(fc.asyncProperty(arbitrary, async (v) => (drawnAsync.push(fc.stringify(v)), true)), { seed: 9, numRuns: 40 });
    expect(drawnAsync).toEqual(drawn);
  }
});

describe('the default concurrency follows the target', () => {
  test('about rate x latency, from 4 up to 64', () => {
    const quota = { kind: 'per-minute', perMinute: 4000, source: 'documented-quota' } as const;
    expect(concurrencyFor(quota, 150)).toBe(10);
    expect(concurrencyFor(quota, 1)).toBe(4);
    expect(concurrencyFor(quota, 10_000)).toBe(64);
    expect(concurrencyFor({ kind: 'unlimited' }, 1)).toBe(4);
    expect(concurrencyFor({ kind: 'unlimited' }, 150)).toBe(64);
  });

  test('measured by the first reads; --concurrency wins', async () => {
    const target = await provider({ latencyMs: 200 });
    try {
      const lines = async (raw: RawOptions) => {
        const log: string[] = [];
        await runConformance(
          { config: configOf(target.url, { checks: 'schema', rate: '6000', ...raw }), apiKey, contract },
          { onProgress: (e) => (e.kind === 'log' ? log.push(e.line) : undefined) },
        );
        return log.join('\n');
      };
      // 100 a second x about 0.2 s: 20 (more if the machine is slow to answer).
      const measured = /(\d+) requests in flight at most: the first reads took (\d+) ms/.exec(await lines({}));
      expect(Number(measured?.[2])).toBeGreaterThanOrEqual(200);
      expect(Number(measured?.[1])).toBe(Math.min(64, Math.ceil((100 * Number(measured?.[2])) / 1000)));
      expect(await lines({ concurrency: '3' })).not.toMatch(/in flight at most/);
    } finally {
      await target.close();
    }
  });
});
