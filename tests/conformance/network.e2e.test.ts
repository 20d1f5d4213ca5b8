/**
 * The network a team has, end to end on loopback through the CLI: headers its gateway needs (-H, secret values shown
 * nowhere), a staging under a base path (and the doubled /v2 named), a forward proxy (HTTP_PROXY, NO_PROXY; loopback
 * always direct), a private CA (NODE_EXTRA_CA_CERTS; without it one TLS line, exit 3). Bad input: one line, exit 2,
 * nothing sent.
 */
import type { FastifyInstance } from 'fastify';
import { referenceDefaults } from '../../src/run/session/reference';
import { FAULTS, startFaulty, type RunningFaulty } from './faulty-provider';
import { makePrivateCa, startForwardProxy, startGateway, startTlsFront } from './network-doubles';
import { runConformance, type CliResult } from './run-cli';

const { apiKey, jobId } = referenceDefaults();
const QUICK = ['--job-id', String(jobId), '--runs', '3', '--seed', '5'];
jest.setTimeout(120_000);

let provider: RunningFaulty;
beforeAll(async () => {
  provider = await startFaulty();
});
afterAll(async () => {
  await provider.close();
});

const port = (url: string) => Number(new URL(url).port);
const run = (args: readonly string[], env: NodeJS.ProcessEnv = {}) => runConformance(args, { env: { LILT_API_KEY: apiKey, ...env } });
const errorLines = (result: CliResult) => result.stderr.split('\n').filter((line) => line.startsWith('error:'));
const everything = (result: CliResult) => `${result.stdout}${result.stderr}${Object.values(result.reports).join('')}`;

describe('headers (-H)', () => {
  const TOKEN = 'gw-tok-3f9a1c77e2';
  test('sent on every request; a secret value is shown nowhere (curl reads $LILT_HEADER_..., an echo is redacted)', async () => {
    // The provider behind a gateway that demands both headers; it has a fault (a string id) and echoes the token.
    const faulty = await startFaulty((app: FastifyInstance) => {
      FAULTS.stringId(app);
      app.addHook('onSend', async (request, reply, payload) => {
        if (reply.statusCode !== 200 || typeof payload !== 'string') return payload;
        return JSON.stringify({ echo: request.headers['x-gateway-token'], ...(JSON.parse(payload) as object) });
      });
    });
    const gateway = await startGateway(faulty.url, { require: { 'X-Gateway-Tenant': 'acme', 'X-Gateway-Token': TOKEN } });
    try {
      const result = await run([
        '--target', `http://127.0.0.1:${gateway.port}`, ...QUICK,
        '-H', 'X-Gateway-Tenant: acme', '--header', `X-Gateway-Token:   ${TOKEN}  `,
      ]);
      expect(result.stderr).not.toMatch(/internal error/);
      expect(result.code).toBe(1);
      expect(result.failedChecks).toEqual(['schema.body-matches-schema', 'semantics.id-matches-path']);
      expect(gateway.seen.refused).toBe(0);
      expect(gateway.seen.forwarded).toBeGreaterThan(50);
      // reproductions carry the headers, the secret one as a variable
      const curl = result.findings[0]?.curl ?? '';
      expect(curl).toContain(`-H 'X-Gateway-Tenant: acme'`);
      expect(curl).toContain('-H "X-Gateway-Token: $LILT_HEADER_X_GATEWAY_TOKEN"');
      expect(result.stderr).toMatch(/headers X-Gateway-Tenant: acme, X-Gateway-Token: \[redacted\]/);
      expect(everything(result)).toContain('"echo":"[redacted: header X-Gateway-Token]"');
      expect(everything(result)).not.toContain(TOKEN);
      expect(result.stderr).not.toMatch(/was found in what this run wrote/);
    } finally {
      await gateway.close();
      await faulty.close();
    }
  });

  test.each([
    ['no colon', ['-H', 'X-Api-Key abc123secret'], /^error: -H #1: 'X-Api-Key …' has no ':'; write it as "Name: value"$/],
    ['Authorization', ['-H', 'Authorization: Bearer abc123secret'], /^error: -H #1: Authorization: the run sets Authorization itself/],
    ['a bad name', ['-H', 'X Tenant: acme'], /^error: -H #1: 'X Tenant' is not a header name/],
  ])('a header with %s: one line, exit 2, nothing sent, the value not echoed', async (_label, args, message) => {
    const gateway = await startGateway(provider.url);
    try {
      const result = await run(['--target', `http://127.0.0.1:${gateway.port}`, ...QUICK, ...args]);
      expect(result.code).toBe(2);
      expect(errorLines(result)).toEqual([expect.stringMatching(message)]);
      expect(result.stderr).not.toContain('abc123secret');
      expect(gateway.seen.forwarded + gateway.seen.refused).toBe(0);
    } finally {
      await gateway.close();
    }
  });
});

describe('a base path', () => {
  test('a target URL with a path is a base path: /lilt/v2/jobs/{id}; with /v2 already in it, the 404 names the URL and the doubling', async () => {
    const gateway = await startGateway(provider.url, { prefix: '/lilt' });
    try {
      const ok = await run(['--target', `http://127.0.0.1:${gateway.port}/lilt/`, ...QUICK]);
      expect(ok.stderr).not.toMatch(/internal error/);
      expect(ok.code).toBe(0);
      expect(gateway.seen.refused).toBe(0);

      const doubled = await run(['--target', `http://127.0.0.1:${gateway.port}/lilt/v2`, ...QUICK]);
      expect(doubled.code).toBe(2);
      expect(errorLines(doubled)).toEqual([
        `error: job ${jobId} does not exist on http://127.0.0.1:${gateway.port}/lilt/v2 (404 on the first read of PUT http://127.0.0.1:${gateway.port}/lilt/v2/v2/jobs/${jobId}): ` +
          `the base path of --target already ends in /v2, which the operation's path /v2/jobs/{jobId} starts with, so /v2 is probably doubled; ` +
          `try --target http://127.0.0.1:${gateway.port}/lilt`,
      ]);
    } finally {
      await gateway.close();
    }
  });
});

describe('a proxy (HTTP_PROXY, NO_PROXY)', () => {
  const HOST = 'lilt-staging.test';
  test('a remote target is reached through the proxy, with its credentials; they are shown nowhere', async () => {
    const proxy = await startForwardProxy({ [HOST]: port(provider.url) });
    try {
      const target = `http://${HOST}:${port(provider.url)}`;
      const result = await run(['--target', target, ...QUICK, '--rate', '100000'], { HTTP_PROXY: `http://ci:pr0xy-pa55@127.0.0.1:${proxy.port}` });
      expect(result.stderr).not.toMatch(/internal error/);
      expect(result.code).toBe(0);
      expect(proxy.tunnels.length).toBeGreaterThan(0);
      expect(new Set(proxy.tunnels.map((t) => t.authority))).toEqual(new Set([`${HOST}:${port(provider.url)}`]));
      expect(proxy.tunnels[0]?.authorization).toBe(`Basic ${Buffer.from('ci:pr0xy-pa55').toString('base64')}`);
      expect(result.stderr).toContain(`proxy http via http://127.0.0.1:${proxy.port}; loopback targets direct`);
      expect(everything(result)).not.toContain('pr0xy-pa55');

      // NO_PROXY names it: sent directly, where the name does not resolve: exit 3, nothing through the proxy
      const before = proxy.tunnels.length;
      const direct = await run(['--target', target, ...QUICK, '--rate', '100000'], { HTTP_PROXY: `http://127.0.0.1:${proxy.port}`, NO_PROXY: `.test` });
      expect(direct.code).toBe(3);
      expect(errorLines(direct)).toEqual([expect.stringMatching(/^error: cannot reach http:\/\/lilt-staging\.test:\d+: .*(ENOTFOUND|EAI_AGAIN)/)]);
      expect(proxy.tunnels.length).toBe(before);
    } finally {
      await proxy.close();
    }
  });

  test('a loopback target is always reached directly, even with a proxy set and NO_PROXY unset', async () => {
    const proxy = await startForwardProxy({});
    try {
      const result = await run(['--target', provider.url, ...QUICK], { HTTPS_PROXY: `http://127.0.0.1:${proxy.port}`, HTTP_PROXY: `http://127.0.0.1:${proxy.port}` });
      expect(result.code).toBe(0);
      expect(proxy.tunnels).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  test('a proxy URL that does not parse: one line naming it (credentials masked), exit 2, nothing sent', async () => {
    const gateway = await startGateway(provider.url);
    try {
      const result = await run(['--target', `http://127.0.0.1:${gateway.port}`, ...QUICK], { https_proxy: 'ftp//bob:hunter22@proxy' });
      expect(result.code).toBe(2);
      expect(errorLines(result)).toEqual([`error: https_proxy 'ftp//***@proxy' is not a proxy URL; set it like http://proxy.example.com:3128`]);
      expect(result.stderr).not.toContain('hunter22');
      expect(gateway.seen.forwarded + gateway.seen.refused).toBe(0);
    } finally {
      await gateway.close();
    }
  });
});

describe('a private CA (NODE_EXTRA_CA_CERTS)', () => {
  test('without it: one TLS line naming the cause, exit 3; with it: the run goes through; a file it cannot read: exit 2', async () => {
    const ca = makePrivateCa();
    const front = await startTlsFront(port(provider.url), ca);
    try {
      const target = `https://127.0.0.1:${front.port}`;
      // (this machine may set NODE_EXTRA_CA_CERTS to its system bundle: unset here)
      const untrusted = await run(['--target', target, ...QUICK], { NODE_EXTRA_CA_CERTS: undefined });
      expect(untrusted.code).toBe(3);
      expect(errorLines(untrusted)).toEqual([
        `error: TLS: the certificate of ${target} is not signed by a CA this machine trusts (UNABLE_TO_VERIFY_LEAF_SIGNATURE); ` +
          "if a private CA signed it, point NODE_EXTRA_CA_CERTS at that CA's PEM file",
      ]);

      const trusted = await run(['--target', target, ...QUICK], { NODE_EXTRA_CA_CERTS: ca.caFile });
      expect(trusted.stderr).not.toMatch(/internal error/);
      expect(trusted.code).toBe(0);
      expect(trusted.reports['report.md']).toContain(`extra CA certificates: ${ca.caFile}`);

      const missing = await run(['--target', target, ...QUICK], { NODE_EXTRA_CA_CERTS: `${ca.caFile}.missing` });
      expect(missing.code).toBe(2);
      expect(errorLines(missing)).toEqual([expect.stringMatching(/^error: NODE_EXTRA_CA_CERTS .*\.missing: no such readable file/)]);
    } finally {
      await front.close();
      ca.remove();
    }
  });
});
