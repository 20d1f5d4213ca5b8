/**
 * `pact verify` writes a job, so it has the run's guards, from the run's own code: it refuses the production server
 * and a --target without --job-id exactly as the run does (the same line, the same exit code), and it guards its job
 * as the run does: a job holding another run's marker is refused before any write, and a field the job lacks (the
 * reference provider's job 243 has no `due`) is never written, so the job is left as found.
 */
import { startReferenceProvider } from '../../src/provider';
import { basicAuth, updateJob } from '../../src/client';
import { PACT_DIR, pactFileName, pactNames } from '../../src/pact/config';
import { verifyPacts, withholdingFilter } from '../../src/pact/verify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { EXAMPLE_MISSING_JOB_ID } from '../../src/pact/states';
import { runCli as runTheCli } from '../helpers/cli';
import { closedPort } from '../helpers/net';
import { runCli } from './cli';
import * as path from 'node:path';

process.env['PACT_DO_NOT_TRACK'] = 'true';
const API_KEY = 'test-key'; // the reference provider's default fixtures

type Provider = Awaited<ReturnType<typeof startReferenceProvider>>;
let provider: Provider;
beforeAll(async () => {
  provider = await startReferenceProvider({ port: 0, host: '127.0.0.1' });
});
afterAll(() => provider.close());

const client = () => ({ baseUrl: provider.url, auth: basicAuth(API_KEY) });

describe("pact verify refuses what the run refuses, with the run's line and exit code", () => {
  const cases: [string, () => Promise<{ args: string[]; env: Record<string, string> }>][] = [
    ['the production server', async () => ({ args: ['--target', 'https://api.lilt.com', '--job-id', '241'], env: { LILT_API_KEY: 'k' } })],
    ['the production server, spelled otherwise', async () => ({ args: ['--target', 'https://API.Lilt.com.:443/'], env: { LILT_API_KEY: 'k', LILT_JOB_ID: '241' } })],
    ['a --target without --job-id', async () => ({ args: ['--target', `http://127.0.0.1:${await closedPort()}`], env: { LILT_API_KEY: 'k' } })],
    ['LILT_TARGET_URL without LILT_JOB_ID', async () => ({ args: [], env: { LILT_TARGET_URL: `http://127.0.0.1:${await closedPort()}`, LILT_API_KEY: 'k' } })],
  ];

  test.each(cases)('%s', async (_label, inputs) => {
    const { args, env } = await inputs();
    const [run, verify] = await Promise.all([runTheCli(args, { env, killAfterMs: 30_000 }), runCli('pact-verify', args, env)]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: (.* is the document's production server; .*--allow-production if you mean it|a --target needs the job to update: pass --job-id N or set LILT_JOB_ID)\n$/);
    expect(verify.status).toBe(run.code);
    expect(verify.stderr).toBe(run.stderr);
    expect(verify.stdout).toBe('');
  });
});

describe("pact verify guards its job as the run does", () => {
  const pactFile = path.join(PACT_DIR, pactFileName(pactNames({})));

  test("job 243, which has no due, is left without one: the states leave it out, the requests that name it are withheld", async () => {
    const before = await updateJob(243, undefined, client());
    expect(before).not.toHaveProperty('due');
    const run = await runCli('pact-verify', ['--target', provider.url, '--job-id', '243'], { LILT_API_KEY: API_KEY });
    const after = await updateJob(243, undefined, client());
    expect(after).not.toHaveProperty('due');
    expect(after).toEqual(before);
    expect(run.stderr).toContain('job 243 has no due, and the API cannot unset a field: no request of this verification names due');
    expect(run.stderr).toMatch(/job 243: restored \(.*\) and read back\n/);
    // The interactions that set due cannot pass on this job: exit 1, never 0.
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/pact verification failed: \d+ of \d+ interactions failed:\n/);
    // The withheld requests were answered 409 by the verifier's own proxy, never sent to the target.
    expect(run.stdout).toContain('expected 200 but was 409');
  }, 60_000);

  test('a job holding the marker of another run is refused before any write, with the run\'s line', async () => {
    const marked = 'lilt-conformance run 0123abcd is testing this job (since 2026-01-01T00:00:00Z); it puts the job back when it ends';
    const original = await updateJob(242, undefined, client());
    await updateJob(242, { name: marked }, client());
    try {
      const verifying = verifyPacts({
        target: provider.url,
        apiKey: API_KEY,
        authScheme: 'basic',
        provider: pactNames({}).provider,
        jobId: 242,
        missingJobId: EXAMPLE_MISSING_JOB_ID,
        source: { kind: 'files', files: [pactFile] },
        logLevel: 'error',
        timeoutMs: 5_000,
      });
      await expect(verifying).rejects.toThrow(/^job 242 holds name="lilt-conformance run 0123abcd .*another run is working on it.*--allow-shared-job/);
      expect((await updateJob(242, undefined, client())).name).toBe(marked);
    } finally {
      await updateJob(242, { name: String(original.name) }, client());
    }
  });
});

describe("the verifier's filter for a field the job lacks", () => {
  function through(body: unknown, url = '/v2/jobs/243'): { passed: boolean; status: number; text: string } {
    let passed = false;
    const res = { statusCode: 200, text: '', setHeader: () => undefined, end(text: string) { this.text = text; } };
    withholdingFilter(['due'])({ url, body } as unknown as IncomingMessage & { body?: unknown }, res as unknown as ServerResponse, () => (passed = true));
    return { passed, status: res.statusCode, text: res.text };
  }

  test.each([
    ['a parsed body naming it', { due: '2099-01-01T00:00:00Z' }],
    ['a raw body naming it in JSON escapes', Buffer.from('{"\\u0064\\u0075\\u0065":"2099-01-01T00:00:00Z"}')],
    ['a raw body naming it nested', Buffer.from('{"name":"x","meta":{"DUE":1}}')],
  ])('%s is withheld: answered 409, never passed on', (_label, body) => {
    const outcome = through(body);
    expect(outcome).toMatchObject({ passed: false, status: 409 });
    expect(outcome.text).toMatch(/^lilt-conformance withheld this request: not sent: the body names due/);
  });

  test('a body without it, and the verifier\'s own state set-up, are passed on', () => {
    expect(through({ name: 'renamed' }).passed).toBe(true);
    expect(through(undefined).passed).toBe(true);
    expect(through({ state: 'a job exists with a due date', params: { due: 'x' } }, '/_pactSetup').passed).toBe(true);
  });
});
