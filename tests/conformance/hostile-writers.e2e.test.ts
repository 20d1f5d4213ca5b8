/**
 * Issue 22's rows about what a run may leave on its job: a field the job lacks (by what a JSON reader sees), the end
 * check of the whole job, another writer at any stage, a signal during the restore, and a target that keeps
 * throttling. Each an end-to-end run of the CLI against a small hostile server on loopback
 * (tests/conformance/hostile-target.ts): the exit code, a time bound, the job afterwards (read past the hostile
 * server), and the key in no output.
 */
import type { ChildProcess } from 'node:child_process';
import { jsonKeys } from '../../src/case/errors';
import { HOSTILE_KEY, keyFormsIn, startHostile, type Decision, type Hostile, type HostileOptions, type Seen } from './hostile-target';
import { runConformance, type CliResult, type RunOptions } from './run-cli';

jest.setTimeout(240_000);

const ORIGINAL_241 = { name: 'My New Job', due: '2021-06-03T13:43:00Z', isProcessing: 0 };
const ENV = { LILT_API_KEY: HOSTILE_KEY };

let hostile: Hostile | undefined;
afterEach(async () => {
  await hostile?.close();
  hostile = undefined;
});

async function against(options: HostileOptions, args: readonly string[], run: RunOptions = {}): Promise<{ result: CliResult; target: Hostile }> {
  hostile = await startHostile(options);
  const result = await runConformance(['--target', hostile.url, ...args], { ...run, env: { ...ENV, ...run.env } });
  return { result, target: hostile };
}

function expectNoKey(result: CliResult): void {
  const everything = `${result.stdout}\n${result.stderr}\n${Object.values(result.reports).join('\n')}`;
  expect(keyFormsIn(everything)).toEqual([]);
  expect(result.stderr).not.toMatch(/API key was found/);
}

/** Every key a JSON reader finds in a body: JSON.parse's, nested ones included, and each key literal's (duplicates). */
function keysOf(body: string): string[] {
  const keys = jsonKeys(body);
  const walk = (value: unknown): void => {
    if (value === null || typeof value !== 'object') return;
    for (const [key, inner] of Object.entries(value)) {
      keys.push(key);
      walk(inner);
    }
  };
  try {
    walk(JSON.parse(body));
  } catch {
    // not JSON as a whole: the literals above are what a lenient reader would see
  }
  return keys;
}

const isWrite = (seen: Seen) => seen.body !== '' && seen.body.trim() !== '{}';
const isRestoreOf241 = (seen: Seen) => seen.body.includes('"My New Job"') && seen.body.includes('"due"');
const LOUD = /RESTORE FAILED: job 241/;

describe('a job without due (fixture 243)', () => {
  test.each([1, 4, 9, 17])('seed %i: no body any JSON reader reads as naming due is sent; the job is left without due; exit 0', async (seed) => {
    const { result, target } = await against({}, ['--job-id', '243', '--runs', '5', '--seed', String(seed)]);
    expect(result.code).toBe(0);
    expect(result.wallMs).toBeLessThan(90_000);
    expect(target.seen.filter(isWrite).length).toBeGreaterThan(20);
    expect(target.seen.filter((s) => keysOf(s.body).some((key) => key.toLowerCase().includes('due')))).toEqual([]);
    const job = await target.job(243);
    expect(job).not.toHaveProperty('due');
    expect(job).toMatchObject({ name: 'Export that failed', isProcessing: -2 });
    expect(result.stdout).toMatch(/due was never written/);
    expectNoKey(result);
  });
});

test('the end check: a write that adds a property the job keeps (archivedBy) is named in the loud block; exit not 0', async () => {
  let written = false;
  const decide = (seen: Seen): Decision => {
    if (seen.url.includes('/241') && isWrite(seen)) written = true;
    if (!written || !seen.url.includes('/241')) return { kind: 'forward' };
    // From the first write on, job 241 carries a property it did not have, and keeps it.
    return { kind: 'forward', rewrite: (status, body) => (status === 200 ? body.replace(/^\{/, '{"archivedBy":"hostile",') : body) };
  };
  const { result, target } = await against({ decide }, ['--job-id', '241', '--runs', '3', '--seed', '5']);
  expect(result.code).not.toBe(0);
  expect(result.code).not.toBeNull();
  expect(result.wallMs).toBeLessThan(90_000);
  expect(result.stderr).toMatch(LOUD);
  expect(result.stderr).toMatch(/job 241 is not as the run found it, and the API cannot put this back: archivedBy appeared \("hostile"\)/);
  // What it could put back, it did.
  await expect(target.job(241)).resolves.toMatchObject(ORIGINAL_241);
  expectNoKey(result);
});

/**
 * A second run started at a stage of the first: the first run's requests are slowed (10 ms each) so that the two
 * overlap. Each returns the two results and the job afterwards.
 */
async function twoRuns(startSecond: (seen: Seen) => boolean): Promise<{ first: CliResult; second: CliResult | undefined; job: Record<string, unknown> }> {
  let second: Promise<CliResult> | undefined;
  hostile = await startHostile({
    decide: (seen): Decision => {
      if (second === undefined && startSecond(seen)) {
        second = runConformance(['--target', hostile?.url ?? '', '--job-id', '241', '--runs', '3', '--seed', '7'], { env: ENV });
      }
      return { kind: 'forward', delayMs: 10 };
    },
  });
  const first = await runConformance(['--target', hostile.url, '--job-id', '241', '--runs', '3', '--seed', '3'], { env: ENV });
  const secondResult = await second;
  return { first, second: secondResult, job: await hostile.job(241) };
}

/** The job as found, or one of the two exited non-zero with the loud block. */
function expectFoundOrLoud(runs: { first: CliResult; second: CliResult | undefined; job: Record<string, unknown> }): void {
  const { first, second, job } = runs;
  const all = [first, ...(second ? [second] : [])];
  for (const run of all) {
    expect(run.code).not.toBeNull(); // never killed: each ended on its own
    expect(run.wallMs).toBeLessThan(120_000);
    expectNoKey(run);
  }
  const asFound = ORIGINAL_241.name === job['name'] && ORIGINAL_241.isProcessing === job['isProcessing'] && Date.parse(String(job['due'])) === Date.parse(ORIGINAL_241.due);
  const loud = all.some((run) => run.code !== 0 && LOUD.test(run.stderr));
  if (!asFound) expect({ job, loud, codes: all.map((r) => r.code) }).toMatchObject({ loud: true });
  expect(asFound || loud).toBe(true);
}

describe('another writer: a second run started at each stage of the first', () => {
  test('at start-up (both read the job before either writes): the job as found, or the loud block and a non-zero exit', async () => {
    const runs = await twoRuns((seen) => seen.n === 1);
    expect(runs.second).toBeDefined();
    expectFoundOrLoud(runs);
    // Both took the original values: neither may end conformant while the other wrote under it unseen.
    expect([runs.first.code, runs.second?.code].some((code) => code !== 0)).toBe(true);
  });

  test.each([2, 4, 6])('during a group (after the first run\'s marker write %i)', async (marks) => {
    let seenMarks = 0;
    const runs = await twoRuns((seen) => (seen.body.includes('lilt-conformance run ') ? (seenMarks += 1) : seenMarks) === marks && !seen.body.includes('lilt-conformance run '));
    expect(runs.second).toBeDefined();
    expectFoundOrLoud(runs);
  });

  test('during the restore (when its restoring PUT arrives)', async () => {
    const runs = await twoRuns(isRestoreOf241);
    expect(runs.second).toBeDefined();
    expectFoundOrLoud(runs);
  });
});

test('a signal that arrives only during the restore: the job put back, exit 130 as documented', async () => {
  let child: ChildProcess | undefined;
  let signalled = false;
  const decide = (seen: Seen): Decision => {
    if (!signalled && isRestoreOf241(seen)) {
      signalled = true;
      child?.kill('SIGINT');
      return { kind: 'forward', delayMs: 1_500 }; // the signal lands while the restoring PUT is on the wire
    }
    return { kind: 'forward' };
  };
  const { result, target } = await against({ decide }, ['--job-id', '241', '--runs', '2', '--seed', '3'], { onChild: (c) => (child = c) });
  expect(signalled).toBe(true);
  expect(result.code).toBe(130);
  expect(result.wallMs).toBeLessThan(90_000);
  expect(result.stdout).toMatch(/job 241: restored \(name="My New Job".*\) and read back/);
  expect(result.stdout).toMatch(/verdict: interrupted \(SIGINT\) \(exit 130\)/);
  await expect(target.job(241)).resolves.toMatchObject(ORIGINAL_241);
  expectNoKey(result);
});

test('a target that keeps throttling (429 on every other request, Retry-After: 3): the run stops early on its own estimate, says why, restores; exit 3', async () => {
  const decide = (seen: Seen): Decision =>
    seen.n % 2 === 0
      ? { kind: 'respond', status: 429, headers: { 'retry-after': '3', 'content-type': 'application/json' }, body: '{"message":"quota"}' }
      : { kind: 'forward' };
  const { result, target } = await against({ decide }, ['--job-id', '241', '--max-duration', '600', '--restore-timeout', '60', '--runs', '2', '--seed', '3']);
  expect(result.code).toBe(3);
  // 5 % of --max-duration before the pace is trusted (30 s), then the requests on the wire and the restore: far from 600 s.
  expect(result.wallMs).toBeLessThan(90_000);
  expect(result.stderr).toMatch(/the run would pass --max-duration \(600 s\): \d+ requests answered in \d+ s \(\d+ answered 429 and waited for\), and at that pace the \d+ or more left need about \d+ s more/);
  expect(result.stderr).toMatch(/^error: the run would pass --max-duration \(600 s\).*no verdict is possible/m);
  expect(result.stdout).toMatch(/job 241: restored \(name="My New Job".*\) and read back/);
  await expect(target.job(241)).resolves.toMatchObject(ORIGINAL_241);
  expectNoKey(result);
});
