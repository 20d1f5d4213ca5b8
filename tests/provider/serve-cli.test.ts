/**
 * `lilt-conformance serve` (`npm run serve`) as a user runs it, from the TypeScript sources through tsx: start-up errors are one line and exit code 2; a running server prints
 * its fixtures' key and job ids and a command line with them, logs one line per request with the key redacted, and stops cleanly on SIGTERM and SIGINT.
 */
import * as fs from 'node:fs';
import { DEFAULT_FIXTURES_FILE, loadFixtures, startReferenceProvider } from '../../src/provider';
import { runCli } from '../helpers/cli';
import { tempFile } from './helpers';

interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

async function serve(args: string[], whileRunning?: (stdout: () => string) => Promise<void>, stopWith: NodeJS.Signals = 'SIGTERM'): Promise<Run> {
  let started = false;
  let failure: unknown;
  const run = await runCli(['serve', ...args], {
    killAfterMs: 20_000,
    onStdout: (running) => {
      if (started || !whileRunning || !running.stdout.includes('listening on')) return;
      started = true;
      whileRunning(() => running.stdout).then(
        () => running.child.kill(stopWith),
        (error: unknown) => {
          failure = error;
          running.child.kill('SIGKILL');
        },
      );
    },
  });
  if (failure !== undefined) throw failure instanceof Error ? failure : new Error(String(failure));
  return run;
}

function expectOneLineError(run: Run, pattern: RegExp): void {
  expect(run.stderr.trim()).toMatch(pattern);
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
  expect(run.code).toBe(2);
}

describe('npm run serve: start-up errors are one line and exit 2', () => {
  it.each([
    ['a port that is not a number', ['--port', 'abc'], /^error: option '--port <port>' argument 'abc' is invalid\. port must be an integer from 0 to 65535\.$/],
    ['a port out of range', ['--port', '70000'], /port must be an integer from 0 to 65535/],
    ['a quota of 0', ['--quota', '0'], /quota must be an integer from 1/],
    ['a negative latency', ['--latency-ms', '-5'], /^error: option '--latency-ms <n>' argument '-5' is invalid\. latency must be an integer from 0 to 60000\.$/],
    ['an unknown flag', ['--bogus'], /^error: unknown option '--bogus'$/],
    ['a missing fixtures file', ['--fixtures', '/nonexistent/fixtures.json'], /^error: \/nonexistent\/fixtures\.json: fixtures file not found/],
  ])('%s', async (_name, args, pattern) => {
    expectOneLineError(await serve(args), pattern);
  });

  it('fixtures that are not JSON', async () => {
    const file = tempFile('fixtures.json', '{ not json');
    expectOneLineError(await serve(['--port', '0', '--fixtures', file]), /fixtures are not JSON/);
  });

  it('fixtures whose job is not a valid Job', async () => {
    const file = tempFile('fixtures.json', JSON.stringify({ apiKeys: ['k'], jobs: [{ id: 1, isProcessing: 'busy' }] }));
    expectOneLineError(await serve(['--port', '0', '--fixtures', file]), /jobs\[0\] \(id 1\) is not a valid Job of the contract: \/isProcessing: type/);
  });

  it('a port in use', async () => {
    const busy = await startReferenceProvider({ port: 0 });
    try {
      expectOneLineError(await serve(['--port', String(busy.port)]), new RegExp(`port ${busy.port} on 127\\.0\\.0\\.1 is already in use`));
    } finally {
      await busy.close();
    }
  });
});

describe('npm run serve: running', () => {
  it("prints the fixtures' key, job ids and an id no job has, and a command line that passes against it", async () => {
    const file = tempFile('fixtures.json', fs.readFileSync(DEFAULT_FIXTURES_FILE, 'utf8').replace('"test-key"', '"team-test-key"'));
    let url = '';
    const run = await serve(['--port', '0', '--fixtures', file], async (stdout) => {
      url = /listening on (http:\/\/\S+)/.exec(stdout())![1]!;
      for (let i = 0; i < 50 && !/--job-id \d+\n/.test(stdout()); i += 1) await new Promise((r) => setTimeout(r, 20));
      const line = /^run against it:\n {2}export LILT_API_KEY=(\S+)\n {2}npx lilt-conformance --target (\S+) --job-id (\d+)$/m.exec(stdout());
      expect(line?.slice(1)).toEqual(['team-test-key', url, '241']);
      // The key and job it names are the provider's: a read with them answers 200.
      const read = await fetch(`${url}/v2/jobs/${line![3]!}?key=${line![1]!}`, { method: 'PUT' });
      expect(read.status).toBe(200);
    });
    const jobs = loadFixtures(file).jobs.map((job) => job.id);
    expect(run.stdout).toContain(`fixtures: API key team-test-key (test value, not secret); jobs ${jobs.join(', ')}; no job has 999999\n`);
    expect(run.code).toBe(0);
  });

  it('--help describes every flag and exits 0', async () => {
    const run = await serve(['--help']);
    for (const flag of ['--port', '--host', '--fixtures', '--quota', '--latency-ms']) expect(run.stdout).toContain(flag);
    expect(run.code).toBe(0);
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('logs one line per request with the key redacted and stops on %s', async (signal) => {
    const run = await serve(
      ['--port', '0', '--quota', '100'],
      async (stdout) => {
        const url = /listening on (http:\/\/\S+)/.exec(stdout())![1]!;
        const ok = await fetch(`${url}/v2/jobs/241?key=test-key`, { method: 'PUT' });
        expect(ok.status).toBe(200);
        const missing = await fetch(`${url}/v2/jobs/999999?x=1&key=test-key`, { method: 'PUT' });
        expect(missing.status).toBe(404);
        // The log is written after the response: wait for both lines.
        for (let i = 0; i < 50 && stdout().split('\n').filter((l) => l.includes('/v2/jobs/')).length < 2; i += 1) {
          await new Promise((r) => setTimeout(r, 20));
        }
      },
      signal,
    );
    const lines = run.stdout.split('\n').filter((line) => line.includes('/v2/jobs/'));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/ PUT \/v2\/jobs\/241\?key=\*\*\* 200 \d+\.\dms$/);
    expect(lines[1]).toMatch(/ PUT \/v2\/jobs\/999999\?x=1&key=\*\*\* 404 \d+\.\dms$/);
    // The fixture's test key is shown where the fixtures are described, never in the request log.
    expect(run.stdout.split('\n').filter((line) => line.includes('test-key') && !/^(fixtures: |  export LILT_API_KEY=)/.test(line))).toEqual([]);
    expect(run.stdout).toContain(`${signal}: closing`);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });
});
