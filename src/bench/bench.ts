/**
 * `npm run bench`: how fast the conformance run is, and how well it uses a quota, measured from the outside against
 * the reference provider on loopback (a fastify onResponse hook counts what the provider answered). It reports; it
 * never fails on a slow machine (exit 0 whatever the figures, 70 only if a measurement could not be made).
 *
 * 1. Overhead: checked requests per second of the property loop, against a plain keep-alive loop of the same PUTs
 *    (undici, the suite's own HTTP client, same concurrency) on the same server. The property loop's rate is the
 *    marginal one between two runs that differ only in --runs: (requests_b - requests_a) / (wall_b - wall_a), so
 *    start-up and the fixed scenarios cancel out.
 * 2. The wall time of a default `npm run conformance` (it starts its own reference provider), split into start-up
 *    and checking by the same run pointed at a reference provider here, whose clock marks the first and last request.
 * 3. Quota: the provider with --quota Q, the run with --rate Q, for at least 20 s; the share of the quota used over
 *    the run's sending time, and the 429s.
 * 4. A distant staging: a default run (default --runs, the documented quota as its --rate, the default concurrency)
 *    against the reference provider with --latency-ms 150, with one job and with three, each beside its floors: the
 *    quota floor (requests / rate) and the latency floor (the run's longest chain of dependent requests x latency),
 *    as ratios. The run is the engine in this process (it returns its chain); the provider runs here too.
 *
 * Goals (printed, never gates): one job at most 60 s, three jobs at most 30 s at 150 ms; plain / property at most 2;
 * quota use at least 95 % with no 429.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { parseArgs } from '../config/flags';
import { resolveRunConfig } from '../config/run-config';
import { loadContract } from '../contract/load';
import { runConformance, type RunResult } from '../run/run';
import { createReferenceApp, DEFAULT_FIXTURES_FILE, loadFixtures, type Fixtures } from '../provider';

const PROJECT_DIR = path.join(__dirname, '..', '..');
const API_KEY = 'test-key';
const JOB_ID = 241;

interface Counted {
  readonly url: string;
  /** Responses by status. */
  readonly statuses: Map<number, number>;
  /** Time (ms since epoch) of each response, in order. */
  readonly times: number[];
  reset(): void;
  close(): Promise<void>;
}

async function countingProvider(quota?: number, more: { latencyMs?: number; fixtures?: Fixtures } = {}): Promise<Counted> {
  const app = await createReferenceApp({ ...(quota === undefined ? {} : { quota }), ...more });
  const statuses = new Map<number, number>();
  const times: number[] = [];
  app.addHook('onResponse', async (_request, reply) => {
    statuses.set(reply.statusCode, (statuses.get(reply.statusCode) ?? 0) + 1);
    times.push(Date.now());
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    statuses,
    times,
    reset() {
      statuses.clear();
      times.length = 0;
    },
    close: () => app.close(),
  };
}

const total = (statuses: Map<number, number>) => [...statuses.values()].reduce((a, b) => a + b, 0);

/** The CLI from the TypeScript sources through tsx (a dev dependency), never a possibly stale build in dist/. */
function cliCommand(): { command: string; args: string[] } {
  return { command: path.join(PROJECT_DIR, 'node_modules', '.bin', 'tsx'), args: [path.join(PROJECT_DIR, 'src', 'cli', 'main.ts')] };
}

interface CliRun {
  readonly exitCode: number | null;
  readonly wallMs: number;
  readonly stdout: string;
  readonly stderr: string;
}

function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { NO_COLOR: '1', FORCE_COLOR: '0' };
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('LILT_')) env[name] = value;
  return env;
}

function runCli(args: readonly string[], useNpm = false): Promise<CliRun> {
  const { command, args: base } = useNpm ? { command: 'npm', args: ['run', '--silent', 'conformance', '--'] } : cliCommand();
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...base, ...args], { cwd: PROJECT_DIR, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (exitCode) =>
      resolve({ exitCode, wallMs: Number(process.hrtime.bigint() - started) / 1e6, stdout, stderr }),
    );
  });
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'lilt-bench-'));
}

function targetArgs(url: string, jobIds = String(JOB_ID)): string[] {
  return ['--target', url, '--api-key', API_KEY, '--job-id', jobIds, '--missing-job-id', '999999'];
}

function mustSucceed(run: CliRun, what: string): void {
  if (run.exitCode !== 0) {
    throw new Error(`${what} exited ${String(run.exitCode)}, not 0:\n${run.stderr.slice(-2000)}\n${run.stdout.slice(-2000)}`);
  }
}

/** A plain keep-alive loop: `concurrency` workers sending the same kind of PUT for `durationMs`. */
async function plainLoop(url: string, concurrency: number, durationMs: number): Promise<{ requests: number; seconds: number }> {
  const agent = new Agent({ keepAliveTimeout: 30_000, connections: concurrency });
  const authorization = `Basic ${Buffer.from(`${API_KEY}:${API_KEY}`).toString('base64')}`;
  const started = performance.now();
  const deadline = started + durationMs;
  let requests = 0;
  let i = 0;
  const worker = async () => {
    while (performance.now() < deadline) {
      const body = JSON.stringify({ name: `bench ${i++}` });
      const response = await request(`${url}/v2/jobs/${JOB_ID}`, {
        method: 'PUT',
        dispatcher: agent,
        headers: { authorization, 'content-type': 'application/json' },
        body,
      });
      await response.body.text();
      if (response.statusCode !== 200) throw new Error(`plain loop: status ${response.statusCode}`);
      requests += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  await agent.close();
  return { requests, seconds };
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function machine(): string {
  const cpu = /model name\s*:\s*(.+)/.exec(fs.existsSync('/proc/cpuinfo') ? fs.readFileSync('/proc/cpuinfo', 'utf8') : '')?.[1];
  return `${os.availableParallelism()} cores (nproc), ${cpu ?? os.cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

async function overhead(print: (line: string) => void): Promise<void> {
  const provider = await countingProvider();
  try {
    const concurrency = 4; // the run's default --concurrency on loopback (rate x latency, 4 at least)
    const small = Number(process.env.BENCH_RUNS_SMALL ?? 20);
    const large = Number(process.env.BENCH_RUNS_LARGE ?? 1000);
    const runWith = async (runs: number, jobIds = String(JOB_ID)) => {
      provider.reset();
      const dir = tempDir();
      try {
        const args = [...targetArgs(provider.url, jobIds), '--runs', String(runs), '--seed', '1', '--report-dir', dir];
        const run = await runCli(args);
        mustSucceed(run, `the run with --runs ${runs}`);
        return { wallMs: run.wallMs, requests: total(provider.statuses) };
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    };
    const a = await runWith(small);
    const b = await runWith(large);
    const propertyRate = (b.requests - a.requests) / ((b.wallMs - a.wallMs) / 1000);
    // The same with the reference fixture's two jobs that have every field: two lanes share the examples that write.
    const a2 = await runWith(small, '241,242');
    const b2 = await runWith(large, '241,242');
    const laneRate = (b2.requests - a2.requests) / ((b2.wallMs - a2.wallMs) / 1000);
    provider.reset();
    const plain = await plainLoop(provider.url, concurrency, 8_000);
    const plainRate = plain.requests / plain.seconds;
    const serial = await plainLoop(provider.url, 1, 8_000);
    const serialRate = serial.requests / serial.seconds;
    print('1. Overhead of the suite (generation, validation, bookkeeping)');
    print(`   property loop: ${fmt(propertyRate)} checked requests/s  (--runs ${small}: ${a.requests} requests in ${fmt(a.wallMs / 1000, 1)} s; --runs ${large}: ${b.requests} requests in ${fmt(b.wallMs / 1000, 1)} s; marginal rate, counted at the provider)`);
    print(`   plain keep-alive loop: ${fmt(plainRate)} requests/s with ${concurrency} in flight (the run's default concurrency on loopback); ${fmt(serialRate)} requests/s with 1 in flight  (undici, PUT {"name": ...})`);
    print(`   ratio plain / property: ${fmt(plainRate / propertyRate, 1)}x (${concurrency} in flight), ${fmt(serialRate / propertyRate, 1)}x (1 in flight)  [goal: at most 2; 6.3 before issue 13]`);
    print(`   with two jobs (--job-id 241,242: two lanes): ${fmt(laneRate)} checked requests/s (--runs ${large}: ${b2.requests} requests in ${fmt(b2.wallMs / 1000, 1)} s); ratio ${fmt(plainRate / laneRate, 1)}x (${concurrency} in flight), ${fmt(serialRate / laneRate, 1)}x (1 in flight)`);
  } finally {
    await provider.close();
  }
}

async function defaultRun(print: (line: string) => void): Promise<void> {
  const full = await runCli([], true);
  mustSucceed(full, 'npm run conformance');
  // The same run against a counting reference provider: the provider's clock gives the split.
  const provider = await countingProvider();
  const dir = tempDir();
  try {
    const spawned = Date.now();
    const run = await runCli([...targetArgs(provider.url), '--report-dir', dir], true);
    mustSucceed(run, 'npm run conformance -- --target <reference>');
    const first = (provider.times[0] ?? spawned) - spawned;
    const last = (provider.times[provider.times.length - 1] ?? spawned) - spawned;
    print('2. Wall time of a default `npm run conformance` (reference provider in-process, default --runs)');
    print(`   total: ${fmt(full.wallMs / 1000, 1)} s`);
    print(`   split, from the same run against a reference provider that timestamps each request (${total(provider.statuses)} requests, ${fmt(run.wallMs / 1000, 1)} s in all):`);
    print(`   start-up ${fmt(first / 1000, 1)} s (npm, tsx, contract, validators, first read) + checking ${fmt((last - first) / 1000, 1)} s (first to last request) + reports and exit ${fmt((run.wallMs - last) / 1000, 1)} s`);
    print(`   ${gapsOf(provider.times, 250)}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await provider.close();
  }
}

/** Idle stretches between consecutive requests (where the run computes, or starts a suite, and sends nothing). */
function gapsOf(times: readonly number[], thresholdMs: number): string {
  const gaps: number[] = [];
  for (let i = 1; i < times.length; i++) {
    const gap = (times[i] ?? 0) - (times[i - 1] ?? 0);
    if (gap > thresholdMs) gaps.push(gap);
  }
  const sum = gaps.reduce((a, b) => a + b, 0);
  return `idle gaps over ${thresholdMs} ms between requests: ${gaps.length}, ${fmt(sum / 1000, 1)} s in all${gaps.length > 0 ? ` (longest ${fmt(Math.max(...gaps) / 1000, 1)} s)` : ''}`;
}

async function quotaUse(print: (line: string) => void): Promise<void> {
  const quota = Number(process.env.BENCH_QUOTA ?? 1200);
  const provider = await countingProvider(quota);
  const dir = tempDir();
  try {
    const runs = process.env.BENCH_QUOTA_RUNS ?? '60';
    const run = await runCli([...targetArgs(provider.url), '--rate', String(quota), '--runs', runs, '--seed', '2', '--report-dir', dir]);
    const times = provider.times;
    const first = times[0] ?? 0;
    const last = times[times.length - 1] ?? 0;
    const seconds = (last - first) / 1000;
    const answered = total(provider.statuses);
    const throttled = provider.statuses.get(429) ?? 0;
    const allowed = answered - throttled;
    const share = seconds > 0 ? allowed / ((quota / 60) * seconds) : 0;
    print(`3. Quota use: provider --quota ${quota}/min, run --rate ${quota} (exit ${String(run.exitCode)})`);
    print(`   ${allowed} requests answered within quota over ${fmt(seconds, 1)} s (first to last request): ${fmt(100 * share, 1)} % of the quota; 429s: ${throttled}${seconds < 20 ? '  (shorter than 20 s: raise BENCH_QUOTA_RUNS)' : ''}  [goal: at least 95 %, no 429]`);
    print(`   ${gapsOf(times, 250)}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await provider.close();
  }
}

/** The requests each group of the run sent, in run order (the start-up's first reads, marker, read-backs and restore apart). */
function perGroup(result: RunResult): string {
  const counts = new Map<string, number>();
  for (const c of result.cases) counts.set(c.group, (counts.get(c.group) ?? 0) + c.requests);
  return [...counts].map(([group, n]) => `${group} ${n}`).join(', ');
}

/** The default fixtures, every job with every updatable field (job 243 has no due: a run only reads such a job). */
function threeCompleteJobs(): Fixtures {
  const fixtures = loadFixtures(DEFAULT_FIXTURES_FILE);
  return { ...fixtures, jobs: fixtures.jobs.map((job) => ({ due: '2024-01-31T12:00:00Z', ...job })) };
}

async function distantStaging(print: (line: string) => void): Promise<void> {
  const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 150);
  const rate = Number(process.env.BENCH_RATE ?? 4000);
  const contract = await loadContract();
  print(`4. A distant staging: the reference provider with --latency-ms ${latencyMs}; a default run at the documented quota (--rate ${rate}), default --runs and concurrency`);
  const goals: Record<string, number> = { '241': 60, '241,242,243': 30 };
  for (const jobIds of ['241', '241,242,243']) {
    const provider = await countingProvider(undefined, { latencyMs, fixtures: threeCompleteJobs() });
    try {
      const args = ['--target', provider.url, '--api-key', API_KEY, '--job-id', jobIds, '--missing-job-id', '999999', '--rate', String(rate), '--seed', '1'];
      const parsed = parseArgs(args, { out: () => undefined, err: () => undefined });
      if (parsed.kind !== 'options') throw new Error('bench: the run arguments did not parse');
      const { config, secrets } = resolveRunConfig(parsed.raw, {}, contract);
      let inFlight = '';
      const started = performance.now();
      const result = await runConformance(
        { config, apiKey: secrets.apiKey, contract },
        { onProgress: (e) => (e.kind === 'log' && /in flight at most/.test(e.line) ? (inFlight = e.line) : undefined) },
      );
      const seconds = (performance.now() - started) / 1000;
      if (result.verdict.kind !== 'conformant') throw new Error(`the run with --job-id ${jobIds} was not conformant: ${JSON.stringify(result.verdict)}`);
      const requests = total(provider.statuses);
      const quotaFloor = requests / (rate / 60);
      const latencyFloor = (result.chain * latencyMs) / 1000;
      const jobs = jobIds.split(',').length;
      print(`   ${jobs === 1 ? 'one job' : `${jobs} jobs`} (--job-id ${jobIds}): ${requests} requests in ${fmt(seconds, 1)} s  [goal: at most ${goals[jobIds] ?? '?'} s]`);
      print(`     quota floor ${fmt(quotaFloor, 1)} s (requests / ${rate} a minute): ${fmt(seconds / quotaFloor, 2)}x;  latency floor ${fmt(latencyFloor, 1)} s (a chain of ${result.chain} dependent requests x ${latencyMs} ms): ${fmt(seconds / latencyFloor, 2)}x`);
      print(`     ${inFlight}`);
      print(`     requests per group: ${perGroup(result)}`);
    } finally {
      await provider.close();
    }
  }
}

async function main(): Promise<void> {
  const lines: string[] = [];
  const print = (line: string) => {
    lines.push(line);
    process.stdout.write(`${line}\n`);
  };
  print(`lilt-conformance bench, ${new Date().toISOString()}`);
  print(`machine: ${machine()}`);
  const only = process.argv.slice(2);
  const want = (part: string) => only.length === 0 || only.includes(part);
  if (want('overhead')) await overhead(print);
  if (want('default')) await defaultRun(print);
  if (want('quota')) await quotaUse(print);
  if (want('staging')) await distantStaging(print);
}

main().then(
  () => {
    process.exitCode = 0;
  },
  (error: unknown) => {
    process.stderr.write(`bench could not measure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 70;
  },
);
