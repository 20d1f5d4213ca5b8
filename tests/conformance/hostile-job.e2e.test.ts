/**
 * Issue 12's table, the rows about the job and time: each an end-to-end run of the CLI (a child process, through tsx)
 * against a small hostile server on loopback (tests/conformance/hostile-target.ts), asserting the exit code, a time
 * bound, the job's values afterwards (read past the hostile server), and that the key is in no output.
 */
import { execFile, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { promisify } from 'node:util';
import { HOSTILE_KEY, keyFormsIn, startHostile, type Decision, type Hostile, type HostileOptions, type Seen } from './hostile-target';
import { ROOT, runConformance, type CliResult, type RunOptions } from './run-cli';
import { tempDir } from '../helpers/temp';

jest.setTimeout(180_000);

const ORIGINAL_241 = { name: 'My New Job', due: '2021-06-03T13:43:00Z', isProcessing: 0 };
const SHORT = ['--runs', '2', '--seed', '3'];

let hostile: Hostile | undefined;
afterEach(async () => {
  await hostile?.close();
  hostile = undefined;
});

async function against(options: HostileOptions, args: readonly string[], run: RunOptions = {}): Promise<{ result: CliResult; target: Hostile }> {
  hostile = await startHostile(options);
  const result = await runConformance(['--target', hostile.url, ...args], { ...run, env: { LILT_API_KEY: HOSTILE_KEY, ...run.env } });
  return { result, target: hostile };
}

function everything(result: CliResult): string {
  return `${result.stdout}\n${result.stderr}\n${Object.values(result.reports).join('\n')}`;
}

function expectNoKey(result: CliResult): void {
  expect(keyFormsIn(everything(result))).toEqual([]);
  expect(result.stderr).not.toMatch(/API key was found/);
}

async function expectJob(target: Hostile, id: number, values: Record<string, unknown>, absent: readonly string[] = []): Promise<void> {
  const job = await target.job(id);
  expect(job).toMatchObject(values);
  for (const field of absent) expect(job).not.toHaveProperty(field);
}

const errorLines = (text: string) => text.split('\n').filter((line) => line.startsWith('error:'));
/** The restore's own PUT: the job's original values, all three. */
const isRestoreOf241 = (seen: Seen) => seen.body.includes('"My New Job"') && seen.body.includes('"due"');
const isWrite = (seen: Seen) => seen.body !== '' && seen.body.trim() !== '{}';

test('a job with no due (fixture 243): due is never sent, the run says so, the closing line never says it was restored; exit 0', async () => {
  const { result, target } = await against(
    { jobs: (jobs) => jobs },
    ['--job-id', '243', ...SHORT],
  );
  expect(result.code).toBe(0);
  expect(result.wallMs).toBeLessThan(120_000);
  // No request of the run named due, to any id, in any case.
  expect(target.seen.filter((s) => /due/i.test(s.body))).toEqual([]);
  expect(target.seen.filter(isWrite).length).toBeGreaterThan(20); // the run did write the other fields
  expect(result.stderr).toMatch(/job 243 has no due, and the API cannot unset a field: no request of this run names due/);
  expect(result.stdout).toMatch(/job 243: restored \(name="Export that failed", isProcessing=-2\) and read back; due was never written \(the job had none/);
  expect(result.stdout).not.toMatch(/restored \([^)]*due/);
  expect(result.reports['report.md']).toMatch(/due was never written/);
  await expectJob(target, 243, { name: 'Export that failed', isProcessing: -2 }, ['due']);
  expectNoKey(result);
});

test('SIGINT while a write is in flight (held 4 s): the write is waited for, then the job restored and read back; nothing lands after; exit 130', async () => {
  let child: ChildProcess | undefined;
  let held: Seen | undefined;
  const { result, target } = await against(
    {
      decide: (seen): Decision => {
        if (held === undefined && seen.body.includes('lilt-conformance schema probe')) {
          held = seen;
          child?.kill('SIGINT');
          return { kind: 'forward', delayMs: 4_000 };
        }
        return { kind: 'forward' };
      },
    },
    ['--job-id', '241', ...SHORT],
    { onChild: (c) => (child = c) },
  );
  expect(held).toBeDefined();
  expect(result.code).toBe(130);
  expect(result.wallMs).toBeLessThan(30_000);
  expect(result.stderr).toMatch(/the run was interrupted \(SIGINT\): stopping; nothing more is sent .*1 request\(s\) on the wire end first/);
  expect(result.stdout).toMatch(/job 241: restored \(name="My New Job".*\) and read back/);
  // The held write landed before the restore was sent, and nothing was applied after the read-back.
  const restoring = target.seen.find(isRestoreOf241);
  expect(restoring).toBeDefined();
  expect(held?.appliedAt).toBeLessThan(restoring?.arrivedAt ?? 0);
  const applied = target.seen.filter((s) => s.appliedAt !== undefined).sort((a, b) => (a.appliedAt ?? 0) - (b.appliedAt ?? 0));
  expect(applied.at(-1)?.body).toBe('{}'); // the read-back
  expect(applied.at(-2)).toBe(restoring);
  await expectJob(target, 241, ORIGINAL_241);
  expectNoKey(result);
});

test('SIGINT while a write waits out a 429 (Retry-After 60): it is never sent; the restore is not held by the pause; a second SIGINT says what the restore is doing; exit 130', async () => {
  let child: ChildProcess | undefined;
  let throttled: Seen | undefined;
  let secondSent = false;
  const { result, target } = await against(
    {
      decide: (seen): Decision => {
        if (throttled === undefined && seen.body.includes('lilt-conformance schema probe')) {
          throttled = seen;
          setTimeout(() => child?.kill('SIGINT'), 300);
          return { kind: 'respond', status: 429, headers: { 'retry-after': '60', 'content-type': 'application/json' }, body: '{"message":"quota"}' };
        }
        if (isRestoreOf241(seen) && !secondSent) {
          secondSent = true;
          setTimeout(() => child?.kill('SIGINT'), 300);
          return { kind: 'forward', delayMs: 1_500 };
        }
        return { kind: 'forward' };
      },
    },
    ['--job-id', '241', ...SHORT],
    { onChild: (c) => (child = c) },
  );
  expect(throttled).toBeDefined();
  expect(result.code).toBe(130);
  expect(result.wallMs).toBeLessThan(30_000);
  // The write that was waiting is never sent again.
  expect(target.seen.filter((s) => s.body.includes('lilt-conformance schema probe'))).toHaveLength(1);
  expect(secondSent).toBe(true);
  expect(result.stderr).toMatch(/SIGINT: restoring job 241: the restoring PUT, try 1, \d+ s left of --restore-timeout\. The run exits once the job is put back/);
  expect(result.stdout).toMatch(/job 241: restored \(name="My New Job".*\) and read back/);
  expect(result.stdout).toMatch(/1 throttled \(429\)/);
  await expectJob(target, 241, ORIGINAL_241);
  expectNoKey(result);
});

test.each<[string, Decision]>([
  ['one reset connection', { kind: 'reset' }],
  ['one 503 with Retry-After: 1', { kind: 'respond', status: 503, headers: { 'retry-after': '1', 'content-type': 'application/json' }, body: '{"message":"maintenance"}' }],
])('%s on the restoring PUT: retried, restored and read back; exit 0', async (_label, blip) => {
  let blipped = false;
  const { result, target } = await against(
    {
      decide: (seen) => {
        if (!blipped && isRestoreOf241(seen)) {
          blipped = true;
          return blip;
        }
        return { kind: 'forward' };
      },
    },
    ['--job-id', '241', '--checks', 'schema', ...SHORT],
  );
  expect(blipped).toBe(true);
  expect(result.code).toBe(0);
  expect(result.wallMs).toBeLessThan(30_000);
  expect(result.stderr).toMatch(/restore: the restoring PUT got (no answer|status 503).*; trying again in/);
  expect(result.stdout).toMatch(/job 241: restored \(name="My New Job".*\) and read back \(after 1 retry within --restore-timeout\)/);
  expect(result.stdout).not.toMatch(/RESTORE FAILED/);
  const restores = target.seen.filter(isRestoreOf241);
  expect(restores).toHaveLength(2);
  if (blip.kind === 'respond') expect((restores[1]?.arrivedAt ?? 0) - (restores[0]?.arrivedAt ?? 0)).toBeGreaterThanOrEqual(950);
  await expectJob(target, 241, ORIGINAL_241);
  expectNoKey(result);
});

test('a restore that keeps failing: retried within --restore-timeout, then the loud block with the original values and a command that puts them back; exit 1', async () => {
  let refusing = true;
  const { result, target } = await against(
    {
      decide: (seen): Decision =>
        refusing && isRestoreOf241(seen) ? { kind: 'respond', status: 503, headers: { 'content-type': 'application/json' }, body: '{"message":"down"}' } : { kind: 'forward' },
    },
    ['--job-id', '241', '--checks', 'schema', '--restore-timeout', '2', ...SHORT],
  );
  expect(result.code).toBe(1);
  expect(result.wallMs).toBeLessThan(30_000);
  expect(target.seen.filter(isRestoreOf241).length).toBeGreaterThanOrEqual(3);
  expect(result.stderr).toMatch(/RESTORE FAILED: job 241[^]*the restoring PUT failed \d+ time\(s\) within the restore's 2 s \(last: status 503[^]*Put these original values back by hand: name="My New Job", due="2021-06-03T13:43:00Z", isProcessing=0/);
  // The job holds what the run left (the restore was refused): the loud block is the truth.
  expect((await target.job(241)).name).not.toBe('My New Job');
  expectNoKey(result);
  // The block's command, pasted as it is into a shell with the key exported, puts the job back once the target takes it.
  const lines = result.stderr.split('\n');
  const command = lines[lines.findIndex((line) => line.startsWith('!! This puts them back')) + 1] ?? '';
  expect(command).toMatch(/^curl .*-X PUT .*-u "\$LILT_API_KEY:\$LILT_API_KEY"/);
  refusing = false;
  // Not spawnSync: the target lives in this process, and must answer while the shell waits.
  const pasted = await promisify(execFile)('sh', ['-c', command], { env: { PATH: process.env['PATH'] ?? '', LILT_API_KEY: HOSTILE_KEY }, encoding: 'utf8' });
  expect(pasted.stdout).toMatch(/^HTTP\/1\.1 200/);
  await expectJob(target, 241, ORIGINAL_241);
});

test('two runs on the same job at once: the second sees the first one\'s marker and refuses (exit 2, one line); the first restores', async () => {
  let second: Promise<CliResult> | undefined;
  let secondDone = false;
  let secondSeen = false;
  hostile = await startHostile({
    decide: (seen): Decision => {
      if (second === undefined && seen.body.includes('lilt-conformance run ')) {
        // The first run has parked the job on its marker: start the second now (its requests carry a header of their own).
        const args = ['--target', hostile?.url ?? '', '--job-id', '241', '--header', 'X-Second-Run: yes', ...SHORT];
        second = runConformance(args, { env: { LILT_API_KEY: HOSTILE_KEY } });
        void second.finally(() => (secondDone = true));
        // The marker lands at once: the second must find it when it reads.
        return { kind: 'forward', delayMs: 10 };
      }
      if (seen.headers['x-second-run'] !== undefined) {
        secondSeen = true;
        return { kind: 'forward', delayMs: 10 };
      }
      // While the second starts (a process of its own, slow on a loaded machine), the first crawls until the second's
      // first read has come, then goes slowly: a run that sends side by side could otherwise be past its early groups,
      // whose values say whose they are, before the second reads the job.
      if (second === undefined || secondDone) return { kind: 'forward', delayMs: 10 };
      return { kind: 'forward', delayMs: secondSeen ? 100 : 2_000 };
    },
  });
  const first = await runConformance(['--target', hostile.url, '--job-id', '241', ...SHORT], { env: { LILT_API_KEY: HOSTILE_KEY } });
  expect(second).toBeDefined();
  const refused = await (second as Promise<CliResult>);
  expect({ code: refused.code, stderr: refused.code === 2 ? '' : refused.stderr.slice(-3000) }).toEqual({ code: 2, stderr: '' });
  expect(refused.wallMs).toBeLessThan(30_000);
  expect(errorLines(refused.stderr)).toEqual([
    // The first run's marker, or a value one of its cases wrote since (its requests go side by side).
    expect.stringMatching(/^error: job 241 holds name=".*, which lilt-conformance writes while testing: another run is working on it.*nothing was written.*--allow-shared-job/),
  ]);
  expect(first.code).toBe(0);
  expect(first.stdout).toMatch(/job 241: restored \(name="My New Job".*\) and read back/);
  expect(first.stdout).not.toMatch(/another writer/);
  await expectJob(hostile, 241, ORIGINAL_241);
  expectNoKey(first);
  expectNoKey(refused);
});

test('a job left with this tool\'s values (a run killed before it restored): refused with one line, exit 2; --allow-shared-job takes them as the job\'s own', async () => {
  const jobs: HostileOptions['jobs'] = (all) => all.map((job) => (job.id === 241 ? { ...job, name: 'lilt-conformance probe' } : job));
  const { result, target } = await against({ jobs }, ['--job-id', '241', ...SHORT]);
  expect(result.code).toBe(2);
  expect(result.wallMs).toBeLessThan(30_000);
  expect(errorLines(result.stderr)).toEqual([expect.stringMatching(/job 241 holds name="lilt-conformance probe", which lilt-conformance writes while testing/)]);
  expect(target.seen.filter(isWrite)).toEqual([]);
  await target.close();

  const allowed = await against({ jobs }, ['--job-id', '241', '--checks', 'schema', '--allow-shared-job', ...SHORT]);
  expect(allowed.result.code).toBe(0);
  expect(allowed.result.stdout).toMatch(/job 241: restored \(name="lilt-conformance probe"/);
  await expectJob(allowed.target, 241, { name: 'lilt-conformance probe' });
});

describe('429s and the bounds', () => {
  const always = (retryAfter: string) => (): Decision => ({
    kind: 'respond',
    status: 429,
    headers: { 'retry-after': retryAfter, 'content-type': 'application/json' },
    body: '{"message":"quota"}',
  });

  test('429 on every request with Retry-After: 86400: exit 3 at once, the line says why; nothing written', async () => {
    const { result, target } = await against({ decide: always('86400') }, ['--job-id', '241', ...SHORT]);
    expect(result.code).toBe(3);
    expect(result.wallMs).toBeLessThan(20_000);
    expect(errorLines(result.stderr)).toEqual([
      expect.stringMatching(/stopped answering: it answered 429 and asked to wait 86400 s \(Retry-After: "86400"\), beyond --max-wait 300 s/),
    ]);
    expect(target.seen.filter(isWrite)).toEqual([]);
    await expectJob(target, 241, ORIGINAL_241);
    expectNoKey(result);
  });

  test('429 on every request with Retry-After: abc: the document\'s 60 s wait is shown, --max-duration ends it: exit 3', async () => {
    const { result, target } = await against({ decide: always('abc') }, ['--job-id', '241', '--max-duration', '3', ...SHORT]);
    expect(result.code).toBe(3);
    expect(result.wallMs).toBeLessThan(20_000);
    expect(result.stderr).toMatch(/429 from the target: waiting 60 s before sending again \(Retry-After: "abc" is neither seconds nor a date: the document's 60 s\)/);
    expect(errorLines(result.stderr)).toEqual([expect.stringMatching(/the run reached --max-duration \(3 s\) before the first read of .* ended; nothing was written/)]);
    expect(target.seen.filter(isWrite)).toEqual([]);
    await expectJob(target, 241, ORIGINAL_241);
    expectNoKey(result);
  });

  test('429 (Retry-After: 1) on every other request: --max-duration ends the run (its pace says it would pass it), the restore honours its own 429s, every 429 is counted; exit 3', async () => {
    let throttled = 0;
    const { result, target } = await against(
      {
        decide: (seen): Decision => {
          if (seen.n % 2 === 0) {
            throttled += 1;
            return { kind: 'respond', status: 429, headers: { 'retry-after': '1', 'content-type': 'application/json' }, body: '{"message":"quota"}' };
          }
          return { kind: 'forward' };
        },
      },
      ['--job-id', '241', '--max-duration', '4', ...SHORT],
    );
    expect(result.code).toBe(3);
    expect(result.wallMs).toBeLessThan(30_000);
    expect(result.stderr).toMatch(/429 from the target: waiting 1 s before sending again/);
    // Reached, or foreseen: at one 429 (a 1 s wait) every other request, the plan's 500-odd requests need minutes.
    expect(result.stderr).toMatch(/the run (reached|would pass) --max-duration \(4 s\)[^\n]*: stopping/);
    expect(errorLines(result.stderr)).toEqual([expect.stringMatching(/^error: the run (reached|would pass) --max-duration \(4 s\)[^\n]*; no verdict is possible\. raise --max-duration/)]);
    expect(result.stdout).toMatch(/job 241: restored \(name="My New Job".*\) and read back/);
    // Every 429 the server sent, the restore's included, is in the count.
    expect(result.stdout).toContain(`${throttled} throttled (429)`);
    expect(target.seen.filter(isRestoreOf241).length).toBeGreaterThanOrEqual(1);
    await expectJob(target, 241, ORIGINAL_241);
    expectNoKey(result);
  });
});

/** Runs the CLI through tests/conformance/peak-rss.ts, which writes the run's peak RSS (kB) to a file at exit. */
async function measured(options: HostileOptions, args: readonly string[], run: RunOptions = {}): Promise<{ result: CliResult; target: Hostile; peakMb: number }> {
  const file = path.join(tempDir('peak-rss-'), 'rss');
  try {
    const { result, target } = await against(options, args, { ...run, entry: [path.join(ROOT, 'tests', 'conformance', 'peak-rss.ts'), file] });
    return { result, target, peakMb: Number(fs.readFileSync(file, 'utf8')) / 1024 };
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

/** The peak RSS of a plain run with ENDLESS_ARGS, measured once for the tests that compare with it. */
const ENDLESS_ARGS = ['--job-id', '241', '--timeout-ms', '10000', ...SHORT];
let plainPeak: Promise<number> | undefined;
function plainPeakMb(): Promise<number> {
  plainPeak ??= (async () => {
    const baseline = await measured({}, ENDLESS_ARGS);
    expect(baseline.result.code).toBe(0);
    await baseline.target.close();
    return baseline.peakMb;
  })();
  return plainPeak;
}

test('an endless chunked body: read up to the 1 MiB cap, a finding, the connection dropped; memory stays flat; exit 1', async () => {
  const args = ENDLESS_ARGS;
  const baseline = { peakMb: await plainPeakMb() };

  const endless = await measured({ decide: (seen): Decision => (seen.url.includes('/2147483647') ? { kind: 'endless' } : { kind: 'forward' }) }, args);
  const { result, target } = endless;
  // Reported by the test for the record (the figures in docs/targets-and-safety.md).
  process.stdout.write(`peak RSS: ${baseline.peakMb.toFixed(0)} MB without, ${endless.peakMb.toFixed(0)} MB with endless bodies (${target.seen.filter((s) => s.fate === 'endless').length} of them); ${result.wallMs} ms\n`);
  expect(result.code).toBe(1);
  expect(result.wallMs).toBeLessThan(90_000);
  expect(target.seen.filter((s) => s.fate === 'endless').length).toBeGreaterThan(3);
  expect(result.findings.some((f) => f.checkId === 'schema.body-matches-schema')).toBe(true);
  expect(result.reports['findings.json']).toContain('more than 1048576 bytes: the run stopped reading there and dropped the connection');
  expect(endless.peakMb).toBeLessThan(baseline.peakMb + 64);
  expect(endless.peakMb).toBeLessThan(400);
  await expectJob(target, 241, ORIGINAL_241);
  expectNoKey(result);
});

test('a compression bomb (0.5 MB of gzip that inflates to 512 MiB): decoded up to the 1 MiB cap only, the oversize finding, fast, memory flat; exit 1', async () => {
  const member = zlib.gzipSync(Buffer.alloc(16 * 1024 * 1024, 0x20), { level: 9 });
  const bomb = Buffer.concat(Array.from({ length: 32 }, () => member));
  const baselineMb = await plainPeakMb();
  const bombed = await measured(
    {
      decide: (seen): Decision =>
        seen.url.includes('/2147483647')
          ? { kind: 'respond', status: 200, headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: bomb }
          : { kind: 'forward' },
    },
    ENDLESS_ARGS,
  );
  const { result, target } = bombed;
  const bombs = target.seen.filter((s) => s.fate === 'respond').length;
  process.stdout.write(`peak RSS: ${baselineMb.toFixed(0)} MB without, ${bombed.peakMb.toFixed(0)} MB with compression bombs (${bombs} of them, ${bomb.length} bytes each); ${result.wallMs} ms\n`);
  expect(result.code).toBe(1);
  expect(result.wallMs).toBeLessThan(60_000);
  expect(bombs).toBeGreaterThan(3);
  expect(result.failedChecks).toContain('schema.body-matches-schema');
  expect(result.reports['findings.json']).toContain(`more than 1048576 bytes once decoded (gzip; ${bomb.length} bytes on the wire): the run stopped decoding there`);
  expect(bombed.peakMb).toBeLessThan(baselineMb + 64);
  await expectJob(target, 241, ORIGINAL_241);
  expectNoKey(result);
});

describe('memory bounded by construction', () => {
  /** Heap fixed for both runs: the same limits on any machine, and an exhausted heap would end the run (exit 134). */
  const HEAP_1G = { env: { NODE_OPTIONS: '--max-old-space-size=1024' } };
  const RUNS_1000 = ['--job-id', '241', '--runs', '1000', '--seed', '3'];

  test('every write answered with an endless body at --runs 1000: peak RSS within 1.5x of a plain run, the findings, the job as found; exit 1', async () => {
    const plain = await measured({}, RUNS_1000, HEAP_1G);
    expect(plain.result.code).toBe(0);
    await plain.target.close();
    const endless = await measured({ decide: (seen): Decision => (isWrite(seen) ? { kind: 'endless' } : { kind: 'forward' }) }, RUNS_1000, HEAP_1G);
    const { result, target } = endless;
    const cut = target.seen.filter((s) => s.fate === 'endless').length;
    process.stdout.write(`peak RSS at --runs 1000: ${plain.peakMb.toFixed(0)} MB plain (${plain.result.wallMs} ms), ${endless.peakMb.toFixed(0)} MB with ${cut} endless bodies (${result.wallMs} ms)\n`);
    expect(result.code).toBe(1);
    expect(cut).toBeGreaterThan(1000);
    expect(result.failedChecks).toContain('schema.body-matches-schema');
    expect(endless.peakMb).toBeLessThan(plain.peakMb * 1.5);
    expect(result.stdout).toMatch(/job 241: restored \(name="My New Job".*\) and read back/);
    await expectJob(target, 241, ORIGINAL_241);
    expectNoKey(result);
  });

  test('a heap near its limit (1 MB bodies a probe round holds until its read-back, a 160 MB heap): the run stops, restores while memory is left; exit 3, never 134', async () => {
    const padded = (_status: number, body: string) => `${body}${' '.repeat(1_000_000)}`;
    const { result, target } = await against(
      { decide: (seen): Decision => (isWrite(seen) ? { kind: 'forward', rewrite: padded } : { kind: 'forward' }) },
      // Two requests on the wire at a time: what arrives between two looks at the heap is small beside its margin.
      ['--job-id', '241', '--checks', 'negative', '--concurrency', '2', '--runs', '300', '--seed', '3'],
      { env: { NODE_OPTIONS: '--max-old-space-size=160' } },
    );
    expect(result.code).toBe(3);
    expect(result.wallMs).toBeLessThan(60_000);
    expect(result.stderr).toMatch(/the run neared its memory limit \(\d+ MB of heap in use, past 75 % of its \d+ MB\): stopping; nothing more is sent/);
    expect(errorLines(result.stderr)).toEqual([
      expect.stringMatching(/^error: the run neared its memory limit .*; no verdict is possible\. check what the target answers .*--max-old-space-size/),
    ]);
    expect(result.stdout).toMatch(/job 241: restored \(name="My New Job".*\) and read back/);
    expect(result.stdout).toMatch(/verdict: no verdict: the run neared its memory limit/);
    await expectJob(target, 241, ORIGINAL_241);
    expectNoKey(result);
  });
});
