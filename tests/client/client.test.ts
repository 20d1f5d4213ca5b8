/**
 * The typed client: its types are generated from the contract (and fresh), the facts it cannot type-check (path,
 * method, key parameter) agree with the contract, and it turns each documented outcome into its typed result,
 * against the reference provider and against servers that misbehave.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { DEFAULT_CONTRACT_FILE, PROJECT_ROOT, loadContract } from '../../src/contract/load';
import { findOperation, securityFacts } from '../../src/contract/operation';
import { startReferenceProvider } from '../../src/provider';
import {
  API_KEY_QUERY_PARAMETER,
  ApiError,
  NetworkError,
  NotFoundError,
  TimeoutError,
  UPDATE_JOB_METHOD,
  UPDATE_JOB_PATH,
  UnauthorizedError,
  UnexpectedResponseError,
  basicAuth,
  noAuth,
  queryKeyAuth,
  updateJob,
  updateJobUrl,
  type JobUpdateParameters,
} from '../../src/client';
import { closedPort, listen } from '../helpers/net';
import { tempDir } from '../helpers/temp';

const GENERATED = path.join(PROJECT_ROOT, 'src', 'client', 'generated', 'openapi.ts');
const KEY = 'test-key'; // the reference provider's default fixtures

type Provider = Awaited<ReturnType<typeof startReferenceProvider>>;
let provider: Provider;
beforeAll(async () => {
  provider = await startReferenceProvider({ port: 0, host: '127.0.0.1' });
});
afterAll(() => provider.close());

describe('client types and facts come from the contract', () => {
  it('has generated types that are up to date (else: npm run client:generate)', async () => {
    const tmp = tempDir('lilt-client-gen-');
    try {
      const out = path.join(tmp, 'openapi.ts');
      const cli = path.join(PROJECT_ROOT, 'node_modules', 'openapi-typescript', 'bin', 'cli.js');
      const status = await new Promise<number | null>((resolve, reject) => {
        const child = spawn(process.execPath, [cli, DEFAULT_CONTRACT_FILE, '-o', out], { stdio: 'ignore' });
        child.on('error', reject);
        child.on('close', resolve);
      });
      expect(status).toBe(0);
      expect(fs.readFileSync(out, 'utf8')).toBe(fs.readFileSync(GENERATED, 'utf8'));
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('uses the path, method and key query parameter of the document', async () => {
    const contract = await loadContract();
    const operation = findOperation(contract, 'updateJob');
    expect(UPDATE_JOB_PATH).toBe(operation.path);
    expect(UPDATE_JOB_METHOD).toBe(operation.method);
    expect(securityFacts(contract)).toEqual({ basic: true, apiKeyQueryParameter: API_KEY_QUERY_PARAMETER });
  });

  it('builds the URL under a base path, with the key only in query auth', () => {
    expect(updateJobUrl(241, { baseUrl: 'http://h:1/api/', auth: basicAuth(KEY) }).href).toBe('http://h:1/api/v2/jobs/241');
    expect(updateJobUrl(241, { baseUrl: 'http://h:1', auth: queryKeyAuth('k y') }).href).toBe('http://h:1/v2/jobs/241?key=k+y');
  });
});

describe('updateJob against the reference provider', () => {
  it('updates with Basic auth and with the key query parameter, and reads with no body', async () => {
    const renamed = await updateJob(242, { name: 'renamed', isProcessing: '-2' }, { baseUrl: provider.url, auth: basicAuth(KEY) });
    expect(renamed).toMatchObject({ id: 242, name: 'renamed', isProcessing: -2 });
    const read = await updateJob(242, undefined, { baseUrl: provider.url, auth: queryKeyAuth(KEY) });
    expect(read).toMatchObject({ id: 242, name: 'renamed', isProcessing: -2 });
  });

  it('rejects with UnauthorizedError (text body kept on the error), NotFoundError and ApiError', async () => {
    const unauthorised = updateJob(241, {}, { baseUrl: provider.url, auth: noAuth });
    await expect(unauthorised).rejects.toBeInstanceOf(UnauthorizedError);
    await expect(unauthorised).rejects.toMatchObject({ kind: 'unauthorized', status: 401, body: expect.any(String) });

    const missing = updateJob(999999, {}, { baseUrl: provider.url, auth: basicAuth(KEY) });
    await expect(missing).rejects.toBeInstanceOf(NotFoundError);
    await expect(missing).rejects.toMatchObject({ kind: 'not-found', jobId: 999999, body: { message: expect.any(String) } });

    const invalid = { isProcessing: 'ExportError' } as unknown as JobUpdateParameters;
    const bad = updateJob(241, invalid, { baseUrl: provider.url, auth: basicAuth(KEY) });
    await expect(bad).rejects.toBeInstanceOf(ApiError);
    await expect(bad).rejects.toMatchObject({ kind: 'api-error', status: 400, body: { message: expect.any(String) } });
  });
});

describe('updateJob against misbehaving or absent servers', () => {
  it('times out with TimeoutError', async () => {
    const silent = await listen(http.createServer(() => undefined));
    try {
      const started = Date.now();
      await expect(updateJob(241, {}, { baseUrl: silent.url, auth: basicAuth(KEY), timeoutMs: 200 })).rejects.toBeInstanceOf(TimeoutError);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await silent.close();
    }
  });

  it('reports an unreachable server with NetworkError, without the key in the message', async () => {
    const port = await closedPort();
    const outcome = updateJob(241, {}, { baseUrl: `http://127.0.0.1:${port}`, auth: queryKeyAuth('secret-key-123') });
    await expect(outcome).rejects.toBeInstanceOf(NetworkError);
    await expect(outcome).rejects.toThrow(`cannot reach http://127.0.0.1:${port}/v2/jobs/241: ECONNREFUSED`);
    await expect(outcome).rejects.not.toThrow(/secret-key-123/);
  });

  it('refuses a 200 that is not a JSON object with UnexpectedResponseError', async () => {
    const html = await listen(
      http.createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html></html>');
      }),
    );
    try {
      const outcome = updateJob(241, {}, { baseUrl: html.url, auth: basicAuth(KEY) });
      await expect(outcome).rejects.toBeInstanceOf(UnexpectedResponseError);
      await expect(outcome).rejects.toThrow('200: expected a Job as application/json, got text/html');
    } finally {
      await html.close();
    }
  });
});
