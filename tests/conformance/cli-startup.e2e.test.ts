/**
 * Start-up outcomes of the CLI against targets that cannot be judged (exit 2 or 3, one line) and targets that break
 * the contract on the very first read (a finding, exit 1, and no write sent); a target that stops answering mid-run.
 */
import type { FastifyInstance } from 'fastify';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { referenceDefaults } from '../../src/run/session/reference';
import { startFaulty, type Fault } from './faulty-provider';
import { runCli } from '../helpers/cli';
import { runConformance } from './run-cli';

const { apiKey, jobId, missingJobId } = referenceDefaults();
jest.setTimeout(60_000);

async function against(fault: Fault | undefined, args: readonly string[], key = apiKey) {
  const provider = await startFaulty(fault);
  try {
    return await runConformance(['--target', provider.url, ...args], { env: { LILT_API_KEY: key } });
  } finally {
    await provider.close();
  }
}

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}

test('a job the target does not have (404 on the first read): exit 2, one line', async () => {
  const result = await against(undefined, ['--job-id', String(missingJobId)]);
  expect(result.code).toBe(2);
  expect(lines(result.stderr).filter((l) => l.startsWith('error:'))).toEqual([
    expect.stringMatching(new RegExp(`job ${missingJobId} does not exist .*--job-id`)),
  ]);
});

test('a key refused by both auth methods: exit 2, one line, the key not echoed', async () => {
  const result = await against(undefined, ['--job-id', String(jobId)], 'not-the-key');
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(/refuses the API key by Basic auth and by the key query parameter/);
  expect(result.stderr + result.stdout).not.toContain('not-the-key');
});

test('nothing listening: exit 3, one line', async () => {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const result = await runConformance(['--target', `http://127.0.0.1:${port}`, '--job-id', '1'], { env: { LILT_API_KEY: 'k' } });
  expect(result.code).toBe(3);
  expect(result.stderr).toMatch(/error: cannot reach .*ECONNREFUSED/);
});

test('a web page as target (every answer 200 text/html): one request, a finding, and one line saying it looks like a web page, not the API', async () => {
  let served = 0;
  const server = http.createServer((_request, response) => {
    served += 1;
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><html><body>Welcome</body></html>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const result = await runConformance(['--target', url, '--job-id', '241'], { env: { LILT_API_KEY: 'k' } });
    expect(result.code).toBe(1);
    expect(served).toBe(1);
    const hints = lines(result.stderr).filter((line) => /web page/.test(line));
    expect(hints).toEqual([
      expect.stringMatching(new RegExp(`^hint: ${url} looks like a web page, not the API: the first read \\(PUT ${url}/v2/jobs/241\\) answered 200 text/html.*check the base URL and base path of --target`)),
    ]);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

test('a JSON API that answers the first read with a finding gives no web page hint', async () => {
  const result = await against(
    (app) => app.addHook('onSend', async (_request, reply, payload) => {
      if (reply.statusCode === 200) reply.code(201);
      return payload;
    }),
    ['--job-id', String(jobId), '--checks', 'schema'],
  );
  expect(result.code).toBe(1);
  expect(result.stderr).not.toMatch(/web page/);
});

test('a --missing-job-id that names an existing job: the flag is blamed, not the target (exit 2, one line naming it)', async () => {
  const other = referenceDefaults().jobIds.find((id) => id !== jobId)!;
  const result = await against(undefined, ['--job-id', String(jobId), '--missing-job-id', String(other), '--checks', 'ids', '--runs', '5', '--seed', '1']);
  expect(result.code).toBe(2);
  const errors = lines(result.stderr).filter((line) => line.startsWith('error:'));
  expect(errors).toEqual([expect.stringMatching(new RegExp(`^error: --missing-job-id ${other} names a job that exists on .* pick an id no job has`))]);
  // The same run with an id no job has passes: the target was never at fault.
  const clean = await against(undefined, ['--job-id', String(jobId), '--missing-job-id', String(missingJobId), '--checks', 'ids', '--runs', '5', '--seed', '1']);
  expect(clean.code).toBe(0);
  expect(clean.stderr).not.toMatch(/--missing-job-id/);
});

const firstReadOnly = (rewrite: (app: FastifyInstance) => void): Fault => rewrite;

test('an empty body on the first read: a finding (exit 1), and no write is sent', async () => {
  let writes = 0;
  const result = await against(
    firstReadOnly((app) => {
      app.addHook('preHandler', async (request) => {
        if (Buffer.isBuffer(request.body) && request.body.toString() !== '{}') writes += 1;
      });
      app.addHook('onSend', async (_request, reply, payload) => (reply.statusCode === 200 ? '' : payload));
    }),
    ['--job-id', String(jobId)],
  );
  expect(result.code).toBe(1);
  expect(result.failedChecks).toContain('schema.body-matches-schema');
  expect(result.stderr).toMatch(/no write is sent/);
  expect(writes).toBe(0);
});

test('a 201 on the first read: a finding (exit 1)', async () => {
  const result = await against(
    (app) => app.addHook('onSend', async (_request, reply, payload) => {
      if (reply.statusCode === 200) reply.code(201);
      return payload;
    }),
    ['--job-id', String(jobId)],
  );
  expect(result.code).toBe(1);
  expect(result.failedChecks).toContain('schema.status-documented');
});

test('a key accepted by Basic auth only: a finding (exit 1), not a start-up error', async () => {
  const result = await against(
    (app) =>
      app.addHook('onRequest', async (request, reply) => {
        if (request.headers.authorization === undefined && (request.query as Record<string, unknown>).key !== undefined) {
          await reply.code(401).type('text/plain').send('Unauthorized');
        }
      }),
    ['--job-id', String(jobId), '--runs', '5', '--seed', '1'],
  );
  expect(result.code).toBe(1);
  expect(result.failedChecks).toContain('auth.valid-key-accepted');
  expect(result.failedChecks).toContain('auth.methods-agree');
});

test('a target that stops answering mid-run: exit 3 in bounded time; the failed restore is loud and lists the original values', async () => {
  let served = 0;
  const result = await against(
    (app) =>
      app.addHook('onRequest', async () => {
        served += 1;
        if (served > 40 && served < 1000) await new Promise((resolve) => setTimeout(resolve, 1_500).unref());
      }),
    ['--job-id', String(jobId), '--runs', '5', '--seed', '1', '--timeout-ms', '300', '--restore-timeout', '3'],
  );
  expect(result.code).toBe(3);
  expect(result.stderr).toMatch(/the target stopped answering \(3 requests in a row got no answer within 300 ms\)/);
  expect(result.wallMs).toBeLessThan(30_000);
  // The restore was retried within --restore-timeout before it was declared failed.
  expect(result.stderr).toMatch(/restore: the restoring PUT got no answer .*; trying again in/);
  expect(result.stderr).toMatch(/RESTORE FAILED: job 241[^]*failed \d+ time\(s\) within the restore's 3 s[^]*Put these original values back by hand: name="My New Job"/);
});

test('SIGINT mid-run: the job is restored and read back, exit 130', async () => {
  const provider = await startFaulty((app) =>
    app.addHook('onRequest', async () => {
      await new Promise((resolve) => setTimeout(resolve, 20).unref());
    }),
  );
  try {
    const { code, stdout, stderr, interrupted } = await runCli(['--target', provider.url, '--job-id', String(jobId), '--runs', '50'], {
      env: { LILT_API_KEY: apiKey },
      // Interrupt once the suites are writing (after the semantics suite has changed the name).
      interrupt: { when: (running) => /semantics: /.test(running.stderr), signal: 'SIGINT' },
    });
    expect(interrupted).toBe(true);
    expect(code).toBe(130);
    expect(stderr).toMatch(/the run was interrupted \(SIGINT\): stopping; nothing more is sent/);
    expect(stdout).toMatch(/job 241: restored \(name="My New Job".*\) and read back/);
    expect(stdout).toMatch(/verdict: interrupted \(SIGINT\) \(exit 130\)/);
    const res = await fetch(`${provider.url}/v2/jobs/${jobId}`, {
      method: 'PUT',
      headers: { authorization: `Basic ${Buffer.from(`${apiKey}:${apiKey}`).toString('base64')}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(((await res.json()) as { name: string }).name).toBe('My New Job');
  } finally {
    await provider.close();
  }
});

test('--dry-run prints the plan (checks, request count, target, rate) and sends nothing', async () => {
  let received = 0;
  const result = await against(
    (app) =>
      app.addHook('onRequest', async () => {
        received += 1;
      }),
    ['--job-id', String(jobId), '--dry-run', '--rate', '600'],
  );
  expect(result.code).toBe(0);
  expect(received).toBe(0);
  expect(result.stdout).toMatch(/Plan \(dry run: nothing is sent\)/);
  expect(result.stdout).toMatch(/target: +http:\/\/127\.0\.0\.1:\d+/);
  expect(result.stdout).toMatch(/rate: +600 requests a minute/);
  expect(result.stdout).toMatch(/group 7: properties \(fast-check\)/);
  // The total is the sum of the groups' case counts, as listed.
  const groups = [...result.stdout.matchAll(/^ {2}group \d+: .* \((\d+) cases\)$/gm)].map((m) => Number(m[1]));
  expect(groups.length).toBeGreaterThanOrEqual(6);
  expect(result.stdout).toContain(`requests in ${groups.reduce((a, b) => a + b, 0)} cases`);
});
