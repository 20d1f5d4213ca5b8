/**
 * The network settings parsed at the edge: -H / LILT_HEADERS (secret ones never printed, serialised or inspected),
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY (lower case wins; credentials never shown), and what curl shows of them.
 */
import { inspect } from 'node:util';
import { parseArgs } from '../../src/config/flags';
import { resolveRunConfig } from '../../src/config/run-config';
import { loadContract, type Contract } from '../../src/contract/load';
import { curlFor } from '../../src/http/curl';
import { isSecretHeaderName } from '../../src/http/headers';
import { describeProxy } from '../../src/http/proxy';
import { redactor } from '../../src/http/key-scan';
import { settingsOf } from '../../src/reports/settings';
import { userErrorOf } from '../helpers/user-error';

let contract: Contract;
beforeAll(async () => {
  contract = await loadContract();
});
const quiet = { out: () => undefined, err: () => undefined };
function resolve(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const parsed = parseArgs(argv, quiet);
  if (parsed.kind !== 'options') throw new Error('printed');
  return resolveRunConfig(parsed.raw, env, contract, () => 1).config;
}

test('-H is repeatable; LILT_HEADERS has one a line; flags win; secret-looking names hold a Secret', () => {
  const config = resolve(['-H', 'X-Tenant: acme', '--header', 'X-Api-Key: k-123456', '-H', 'Cookie: sid=abcdef']);
  expect(config.headers.map((h) => [h.name, h.secret])).toEqual([['X-Tenant', false], ['X-Api-Key', true], ['Cookie', true]]);
  const printed = `${JSON.stringify(config)} ${inspect(config, { depth: 5 })} ${String(config.headers[1]?.value)}`;
  expect(printed).not.toContain('k-123456');
  expect(printed).not.toContain('sid=abcdef');
  expect(settingsOf(config, 't').find((s) => s.name === 'headers')?.value).toBe('X-Tenant: acme; X-Api-Key: [redacted]; Cookie: [redacted]');

  const fromEnv = resolve([], { LILT_HEADERS: 'X-Tenant: acme\r\n\nX-Request-Source: ci\n' });
  expect(fromEnv.headers.map((h) => `${h.name}=${h.secret ? '?' : h.value}`)).toEqual(['X-Tenant=acme', 'X-Request-Source=ci']);
  expect(resolve(['-H', 'X-Other: 1'], { LILT_HEADERS: 'X-Tenant: acme' }).headers.map((h) => h.name)).toEqual(['X-Other']);
  for (const name of ['X-Auth-Token', 'x-api-key', 'X-Gateway-Secret', 'Proxy-Authorization', 'X-Session-Id', 'X-Signature']) expect(isSecretHeaderName(name)).toBe(true);
  for (const name of ['X-Tenant', 'Accept-Language', 'X-Request-Id']) expect(isSecretHeaderName(name)).toBe(false);
});

test.each<[string, string[], NodeJS.ProcessEnv, RegExp]>([
  ['a header given twice', ['-H', 'X-A: 1', '-H', 'x-a: 2'], {}, /^-H: x-a is given twice/],
  ['Content-Type', ['-H', 'Content-Type: text/plain'], {}, /^-H #1: Content-Type: the run sets Content-Type itself/],
  ['an empty value', ['-H', 'X-A:'], {}, /^-H #1: X-A has an empty value/],
  ['a bad line in LILT_HEADERS', [], { LILT_HEADERS: 'X-A: 1\nX-Token s3cret-value' }, /^LILT_HEADERS #2: 'X-Token …' has no ':'/],
  ['an HTTP_PROXY without a scheme', [], { HTTP_PROXY: 'proxy.example.com:3128' }, /^HTTP_PROXY 'proxy\.example\.com:3128' is not a proxy URL/],
])('%s: one line, exit 2, no value echoed', (_label, argv, env, message) => {
  const error = userErrorOf(() => resolve(argv, env));
  expect(error.exitCode).toBe(2);
  expect(error.message).toMatch(message);
  expect(error.message).not.toContain('s3cret-value');
});

test('proxies: lower-case variables win; credentials are kept as a Secret and never shown', () => {
  const config = resolve([], { HTTPS_PROXY: 'http://upper:3128', https_proxy: 'http://u:p4ss-w0rd@lower.example.com:3128/', NO_PROXY: '.internal' });
  expect(config.proxy?.https?.shown).toBe('http://lower.example.com:3128');
  expect(config.proxy?.https?.url.reveal()).toBe('http://u:p4ss-w0rd@lower.example.com:3128/');
  expect(config.proxy?.http).toBeUndefined();
  expect(describeProxy(config.proxy)).toBe('https via http://lower.example.com:3128, NO_PROXY .internal; loopback targets direct');
  expect(JSON.stringify(config)).not.toContain('p4ss-w0rd');
  expect(resolve([], { NO_PROXY: 'x' }).proxy).toBeUndefined();
});

test('curl shows a plain header as given and a secret one as $LILT_HEADER_<NAME>; an echo of it is redacted', () => {
  const config = resolve(['-H', "X-Tenant: it's", '-H', 'X-Api-Key: k-123456']);
  const curl = curlFor(
    { baseUrl: 'http://h', pathTemplate: '/v2/jobs/{jobId}', keyParameter: 'key', headers: config.headers },
    { method: 'PUT', idSegment: '1', body: '{}', contentType: 'application/json', auth: { kind: 'basic' } },
  );
  expect(curl).toContain(`-H 'X-Tenant: it'\\''s' -H "X-Api-Key: $LILT_HEADER_X_API_KEY"`);
  expect(curl).not.toContain('k-123456');
  const redact = redactor('the-api-key', [{ value: 'k-123456', label: 'header X-Api-Key' }]);
  expect(redact('echo k-123456 and the-api-key')).toBe('echo [redacted: header X-Api-Key] and [redacted: LILT_API_KEY]');
});
