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

test.each([
  [241, '241'],
  [242, '241,242'],
])('the end check: a write that adds a property job %i keeps (archivedBy) is named in the loud block; exit not 0 (--job-id %s)', async (id, jobIds) => {
  hostile = await startHostile({
    decide: (() => {
      let written = false;
      return (seen: Seen): Decision => {
        if (seen.url.includes(`/${id}`) && isWrite(seen)) written = true;
        if (!written || !seen.url.includes(`/${id}`)) return { kind: 'forward' };
        // From the first write on, the job carries a property it did not have, and keeps it.
        return { kind: 'forward', rewrite: (status, body) => (status === 200 ? body.replace(/^\{/, '{"archivedBy":"hostile",') : body) };
      };
    })(),
  });
  const before = await hostile.job(id);
  const result = await runConformance(['--target', hostile.url, '--job-id', jobIds, '--runs', '3', '--seed', '5'], { env: ENV });
  expect(result.code).not.toBe(0);
  expect(result.code).not.toBeNull();
  expect(result.wallMs).toBeLessThan(90_000);
  expect(result.stderr).toMatch(LOUD);
  expect(result.stderr).toContain(`job ${id} is not as the run found it, and the API cannot put this back: archivedBy appeared ("hostile")`);
  // What it could put back, it did.
  await expect(hostile.job(id)).resolves.toEqual(before);
  expectNoKey(result);
});

/** Which of the two runs sent a request (each sends its own header). */
const runOf = (seen: Seen) => seen.headers['x-run'];
const RUN_ARGS = ['--job-id', '241', '--runs', '3'];

/**
 * When the second run starts, and what the first waits for: `start` sees each request of the first run (the second
 * starts the first time it says so); `hold` may keep a request of the first run until the second has got somewhere.
 * Every request of either is slowed (10 ms) so that the two overlap.
 */
interface Stage {
  readonly start: (seen: Seen) => boolean;
  readonly hold?: (seen: Seen, second: { readonly read: Promise<void>; readonly wrote: Promise<void> }) => Promise<void> | undefined;
}

async function twoRuns(stage: Stage): Promise<{ first: CliResult; second: CliResult | undefined; job: Record<string, unknown> }> {
  let second: Promise<CliResult> | undefined;
  let readDone: () => void = () => undefined;
  let wroteDone: () => void = () => undefined;
  const progress = { read: new Promise<void>((resolve) => (readDone = resolve)), wrote: new Promise<void>((resolve) => (wroteDone = resolve)) };
  hostile = await startHostile({
    decide: async (seen): Promise<Decision> => {
      if (runOf(seen) === 'second') {
        // The second run's first read answered, its first write applied: what a held request of the first waits for.
        if (isWrite(seen)) setTimeout(wroteDone, 300);
        else setTimeout(readDone, 300);
        // As slow as the first: started later, it ends later, and its restore is the last word on the job.
        return { kind: 'forward', delayMs: 10 };
      }
      if (second === undefined && stage.start(seen)) {
        second = runConformance(['--target', hostile?.url ?? '', ...RUN_ARGS, '--seed', '7', '-H', 'X-Run: second'], { env: ENV });
        void second.then(() => {
          readDone();
          wroteDone();
        });
      }
      const held = second === undefined ? undefined : stage.hold?.(seen, progress);
      if (held !== undefined) await held;
      return { kind: 'forward', delayMs: 10 };
    },
  });
  const first = await runConformance(['--target', hostile.url, ...RUN_ARGS, '--seed', '3', '-H', 'X-Run: first'], { env: ENV });
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
  if (process.env['WRITERS_DEBUG']) {
    const cut = (l: string) => (l.length > 240 ? `${l.slice(0, 240)}...` : l);
    const lines = (r: CliResult) => [`code ${r.code}`, ...`${r.stderr}\n${r.stdout}`.split('\n').filter((l) => /another writer|RESTORE FAILED|^!! |^error:|restored/.test(l)).map(cut)].join('\n   ');
    process.stderr.write(`\n== job ${cut(JSON.stringify({ name: job['name'], due: job['due'], isProcessing: job['isProcessing'] }))}\n-- first: ${lines(first)}\n-- second: ${second ? lines(second) : 'none'}\n`);
  }
  if (!asFound) expect({ job, loud, codes: all.map((r) => r.code) }).toMatchObject({ loud: true });
  expect(asFound || loud).toBe(true);
}

describe('another writer: a second run started at each stage of the first', () => {
  test('at start-up (the first run holds its first write until the second has read the job): both took the original values', async () => {
    let firstWrite = true;
    const runs = await twoRuns({
      start: (seen) => seen.n === 1,
      hold: (seen, second) => {
        if (!isWrite(seen) || !firstWrite) return undefined;
        firstWrite = false;
        return second.read;
      },
    });
    expect(runs.second).toBeDefined();
    expectFoundOrLoud(runs);
  });

  test.each([2, 4, 6, 7])('during a group (after the first run\'s marker write %i)', async (marks) => {
    let seenMarks = 0;
    const runs = await twoRuns({ start: (seen) => (seen.body.includes('lilt-conformance run ') ? (seenMarks += 1) : seenMarks) === marks && !seen.body.includes('lilt-conformance run ') });
    expect(runs.second).toBeDefined();
    expectFoundOrLoud(runs);
  });

  test('during the restore (the first run\'s read-back held until the second has read the job and written)', async () => {
    let restorePut = false;
    let heldReadBack = false;
    const runs = await twoRuns({
      start: isRestoreOf241,
      hold: (seen, second) => {
        if (isRestoreOf241(seen)) restorePut = true;
        else if (restorePut && !heldReadBack) {
          heldReadBack = true;
          return second.wrote;
        }
        return undefined;
      },
    });
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
