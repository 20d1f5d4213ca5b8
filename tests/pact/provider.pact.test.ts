/**
 * Provider verification of the committed pact (pacts/, reviewed like code; consumer.pact.test.ts fails when it is
 * stale) against the in-process reference provider: it passes, and it fails against a provider that breaks one
 * expectation. The CLI is run for real once, to show the key never reaches its output.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { startReferenceProvider } from '../../src/provider';
import { PACT_DIR, pactFileName, pactNames } from '../../src/pact/config';
import { EXAMPLE_JOB_ID, EXAMPLE_MISSING_JOB_ID } from '../../src/pact/states';
import { basicAuth, updateJob } from '../../src/client';
import { verifyPacts, type VerifyOptions } from '../../src/pact/verify';
import { runCli } from './cli';
import { listen, closedPort } from '../helpers/net';

process.env['PACT_DO_NOT_TRACK'] = 'true';
const API_KEY = 'test-key'; // the reference provider's default fixtures
const pactFile = path.join(PACT_DIR, pactFileName(pactNames({})));

type Provider = Awaited<ReturnType<typeof startReferenceProvider>>;
let provider: Provider;
beforeAll(async () => {
  provider = await startReferenceProvider({ port: 0, host: '127.0.0.1' });
});
afterAll(() => provider.close());

function options(target: string, overrides: Partial<VerifyOptions> = {}): VerifyOptions {
  return {
    target,
    apiKey: API_KEY,
    authScheme: 'basic',
    provider: pactNames({}).provider,
    jobId: EXAMPLE_JOB_ID,
    missingJobId: EXAMPLE_MISSING_JOB_ID,
    source: { kind: 'files', files: [pactFile] },
    logLevel: 'error',
    timeoutMs: 5_000,
    ...overrides,
  };
}

const PASSED_AND_RESTORED = { passed: true, restore: { kind: 'restored' } };

describe('provider verification of the committed pact', () => {
  it('passes against the reference provider, with Basic credentials and with the key query parameter', async () => {
    expect(await verifyPacts(options(provider.url))).toMatchObject(PASSED_AND_RESTORED);
    expect(await verifyPacts(options(provider.url, { authScheme: 'query' }))).toMatchObject(PASSED_AND_RESTORED);
  });

  it('passes for another job (the id is injected from the provider state), and leaves that job as it found it', async () => {
    const client = { baseUrl: provider.url, auth: basicAuth(API_KEY) };
    const before = await updateJob(242, undefined, client);
    expect(before.id).toBe(242);
    expect(await verifyPacts(options(provider.url, { jobId: 242 }))).toMatchObject(PASSED_AND_RESTORED);
    expect(await updateJob(242, undefined, client)).toEqual(before);
  });

  it('fails against a provider that answers isProcessing as a string', async () => {
    // The verifier prints this run's failures (FAILED, "Expected '0' (String) to be an integer") to stdout: expected.
    const broken = await rewritingProxy((job) => ({ ...job, isProcessing: String(job['isProcessing']) }));
    try {
      const outcome = await verifyPacts(options(broken.url));
      expect(outcome.passed).toBe(false);
      // A few readable lines, not the verifier's result as one line of JSON with terminal escapes.
      const reason = outcome.passed ? '' : outcome.reason;
      const interactions = (JSON.parse(fs.readFileSync(pactFile, 'utf8')) as { interactions: unknown[] }).interactions.length;
      expect(reason).toMatch(new RegExp(`^\\d+ of ${interactions} interactions failed:\n`));
      expect(reason.split('\n')).toContain("  - a request to set isProcessing (given a job exists): $.isProcessing: Expected '1' (String) to be an integer");
      expect(reason).not.toMatch(/\u001b|\{"errors"/);
      expect(reason.length).toBeLessThan(2000);
    } finally {
      await broken.close();
    }
  });

  it('passes against a provider that writes due with a +00:00 offset (the same instant, allowed)', async () => {
    const offset = await rewritingProxy((job) => ({
      ...job,
      due: typeof job['due'] === 'string' ? job['due'].replace(/Z$/, '+00:00') : job['due'],
    }));
    try {
      expect(await verifyPacts(options(offset.url))).toMatchObject(PASSED_AND_RESTORED);
    } finally {
      await offset.close();
    }
  });

  it('passes against a provider that spells its media types in upper case with a charset (allowed)', async () => {
    const shouting = await rewritingProxy(
      (job) => job,
      (contentType) => `${contentType.split(';')[0]!.toUpperCase()}; charset=UTF-8`,
    );
    try {
      expect(await verifyPacts(options(shouting.url))).toMatchObject(PASSED_AND_RESTORED);
    } finally {
      await shouting.close();
    }
  });

  it('says so when the job cannot be put back (the job guard, as for a conformance run)', async () => {
    // The restore is the only PUT that sends the job's original name back.
    const client = { baseUrl: provider.url, auth: basicAuth(API_KEY) };
    const original = String((await updateJob(EXAMPLE_JOB_ID, undefined, client)).name);
    const refusing = await listen(
      http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
          const body = Buffer.concat(chunks);
          if (body.toString('utf8').includes(JSON.stringify(original))) {
            res.writeHead(503, { 'content-type': 'application/json' });
            res.end('{"message":"maintenance"}');
            return;
          }
          const upstream = http.request(new URL(req.url ?? '/', provider.url), { method: req.method, headers: req.headers }, (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          });
          upstream.end(body);
        });
      }),
    );
    try {
      const outcome = await verifyPacts(options(refusing.url, { restoreTimeoutMs: 1_500 }));
      expect(outcome.passed).toBe(true);
      // Retried with backoff (a 503 may be a blip) until the budget could not hold another try.
      expect(outcome.restore).toMatchObject({
        kind: 'failed',
        reason: expect.stringMatching(/^the restoring PUT failed [2-9] time\(s\) within the restore's 1\.5 s \(last: status 503/),
      });
      expect(outcome.original.fields['name']).toBe(original);
    } finally {
      await refusing.close();
      await updateJob(EXAMPLE_JOB_ID, { name: original }, client);
    }
  });

  it('refuses a target that is down with one clear line and exit 3, and never prints the key', async () => {
    const port = await closedPort();
    const run = await runCli('pact-verify', ['--target', `http://127.0.0.1:${port}`, '--job-id', '241'], { LILT_API_KEY: API_KEY });
    expect(run.status).toBe(3);
    expect(run.stderr).toMatch(/^verifying pacts from .*\nerror: cannot reach http:\/\/127\.0\.0\.1:\d+\/v2\/jobs\/241: ECONNREFUSED; is the target running\?\n$/);
  });

  it("runs from the command line with the conformance run's variables, without the key in any output", async () => {
    // Target, key and job from the environment, as a CI job gives them to the conformance run.
    const run = await runCli('pact-verify', [], { LILT_TARGET_URL: provider.url, LILT_API_KEY: API_KEY, LILT_JOB_ID: '242' });
    expect(run.stderr).toContain(`against ${provider.url} (job 242)`);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('an update without credentials');
    expect(run.stderr).toContain('pact verification passed');
    for (const secret of [API_KEY, Buffer.from(`${API_KEY}:${API_KEY}`).toString('base64')]) {
      expect(run.stdout + run.stderr).not.toContain(secret);
    }
  });

  it("refuses to run without a key, with the run's line", async () => {
    const run = await runCli('pact-verify', ['--target', provider.url, '--job-id', '241'], {});
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('error: a --target needs an API key: pass --api-key KEY or set LILT_API_KEY\n');
  });
});

/** A proxy in front of the reference provider that rewrites every 200 Job it returns, and optionally Content-Types. */
function rewritingProxy(
  rewrite: (job: Record<string, unknown>) => Record<string, unknown>,
  rewriteContentType: (contentType: string) => string = (contentType) => contentType,
) {
  return listen(
    http.createServer((req, res) => {
      const upstream = http.request(new URL(req.url ?? '/', provider.url), { method: req.method, headers: req.headers }, (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          let body = Buffer.concat(chunks).toString('utf8');
          if (answer.statusCode === 200) body = JSON.stringify(rewrite(JSON.parse(body) as Record<string, unknown>));
          res.writeHead(answer.statusCode ?? 502, { 'content-type': rewriteContentType(answer.headers['content-type'] ?? '') });
          res.end(body);
        });
      });
      req.pipe(upstream);
    }),
  );
}
