/** The public API: start/close, the URL, option errors, the per-request log, and hooks added around the app. */
import type { AddressInfo } from 'node:net';
import { UserError } from '../../src/errors';
import { createReferenceApp, startReferenceProvider } from '../../src/provider';
import { BASIC, expectError, expectJob, send, startProvider } from './helpers';

describe('startReferenceProvider', () => {
  it('listens on 127.0.0.1 on a free port, url without a trailing slash; close() can be called twice', async () => {
    const provider = await startReferenceProvider();
    expect(provider.url).toBe(`http://127.0.0.1:${provider.port}`);
    expect(provider.port).toBeGreaterThan(0);
    await expectJob(await send(provider, '/v2/jobs/241'), 241);
    await provider.close();
    await provider.close();
    await expect(fetch(`${provider.url}/v2/jobs/241`, { method: 'PUT' })).rejects.toThrow();
  });

  it.each([
    [{ port: -1 }, /port must be an integer from 0 to 65535/],
    [{ port: 65536 }, /port must be an integer/],
    [{ port: 1.5 }, /port must be an integer/],
    [{ quota: 0 }, /quota must be a positive integer/],
    [{ quota: 2.5 }, /quota must be a positive integer/],
    [{ host: 'no-such-host.invalid' }, /cannot listen on host 'no-such-host\.invalid'/],
    [{ contractFile: '/nonexistent/contract.yaml' }, /contract file not found/],
  ])('refuses %j with a UserError', async (options, pattern) => {
    const started = startReferenceProvider(options);
    await expect(started).rejects.toBeInstanceOf(UserError);
    await expect(started).rejects.toThrow(pattern);
  });
});

describe('the log option', () => {
  it('gets one line per request, the key redacted, including requests the router refuses', async () => {
    const lines: string[] = [];
    const provider = await startProvider({ log: (line) => lines.push(line) });
    try {
      await send(provider, '/v2/jobs/241?key=test-key', { authorization: null });
      await send(provider, '/v2/jobs/241', { authorization: null });
      await send(provider, '/v2/jobs/%ZZ?key=test-key', { authorization: null });
      await send(provider, '/elsewhere');
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(lines).toHaveLength(4);
      expect(lines[0]).toMatch(/^PUT \/v2\/jobs\/241\?key=\*\*\* 200 \d+\.\dms$/);
      expect(lines[1]).toMatch(/^PUT \/v2\/jobs\/241 401 /);
      expect(lines[2]).toMatch(/^PUT \/v2\/jobs\/%ZZ\?key=\*\*\* 400 /);
      expect(lines[3]).toMatch(/^PUT \/elsewhere 404 /);
      expect(lines.join('\n')).not.toContain('test-key');
    } finally {
      await provider.close();
    }
  });
});

describe('createReferenceApp', () => {
  it('returns the app, not listening, so hooks can be added around it (fault injection)', async () => {
    const app = await createReferenceApp();
    expect(app.server.listening).toBe(false);
    // A fault: every job comes back with a string id.
    app.addHook('onSend', async (_request, reply, payload) => {
      if (reply.statusCode !== 200 || typeof payload !== 'string') return payload;
      return JSON.stringify({ ...(JSON.parse(payload) as object), id: 'broken' });
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      const response = await fetch(`${url}/v2/jobs/241`, { method: 'PUT', headers: { authorization: BASIC } });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { id: unknown }).id).toBe('broken');
      // The rest of the provider is untouched by the hook.
      const missing = await fetch(`${url}/v2/jobs/999999`, { method: 'PUT', headers: { authorization: BASIC } });
      await expectError(
        { status: missing.status, contentType: missing.headers.get('content-type') ?? '', text: await missing.text(), headers: missing.headers },
        404,
      );
    } finally {
      await app.close();
    }
  });
});
