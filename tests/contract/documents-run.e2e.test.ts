/**
 * Any document the tool reads, end to end in-process: the reference provider serves the document it is given (its
 * base path, its fields by kind, GET beside the update when the document has one), and a whole default run judged by
 * that same document finds it conformant, reading the job through GET where the document offers it and through
 * PUT `{}` where it does not, and leaves every job as it found it. A run judged by one document against a provider of
 * another (a different base path) cannot read the job: a user error, and nothing written.
 */
import * as fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { resolveRunConfig } from '../../src/config/run-config';
import { DEFAULT_CONTRACT_FILE, loadContract } from '../../src/contract/load';
import { runConformance } from '../../src/run/run';
import { referenceDefaults } from '../../src/run/session/reference';
import { createReferenceApp, DEFAULT_FIXTURES_FILE, startReferenceProvider, type RunningProvider } from '../../src/provider';
import { tempDir } from '../helpers/temp';

jest.setTimeout(240_000);

const DOCUMENTS = path.join(__dirname, 'documents');
const CASES = [
  { name: 'the bundled OpenAPI 3.0.3 document', file: DEFAULT_CONTRACT_FILE, base: '/v2/jobs/', get: false },
  { name: 'a 2025-style OpenAPI 3.0.1 document (GET beside the PUT, dueDate an integer, a mixed enum)', file: path.join(DOCUMENTS, 'jobs-2025.openapi.yaml'), base: '/v2/jobs/', get: true },
  { name: 'a Swagger 2.0 document (base path /2, GET, defects in other operations)', file: path.join(DOCUMENTS, 'jobs.swagger.yaml'), base: '/2/jobs/', get: true },
];

const JOBS = '241,242,243';

/** The three jobs as the provider holds them (PUT `{}`, a no-op every document allows). */
async function jobsOf(provider: RunningProvider, base: string): Promise<unknown[]> {
  const { apiKey } = referenceDefaults();
  const authorization = `Basic ${Buffer.from(`${apiKey}:${apiKey}`).toString('base64')}`;
  return Promise.all(
    [241, 242, 243].map(async (id) => {
      const response = await fetch(`${provider.url}${base}${id}`, { method: 'PUT', headers: { authorization, 'content-type': 'application/json' }, body: '{}' });
      expect(response.status).toBe(200);
      return response.json();
    }),
  );
}

async function runAgainst(provider: RunningProvider, file: string) {
  const contract = await loadContract(file);
  const { apiKey } = referenceDefaults();
  const { config, secrets } = resolveRunConfig({ target: provider.url, jobId: JOBS, seed: '7' }, { LILT_API_KEY: apiKey }, contract);
  return runConformance({ config, apiKey: secrets.apiKey, contract });
}

describe.each(CASES)('$name', ({ file, base, get }) => {
  test(`served by the reference provider and judged by the same document: conformant, reads through ${get ? 'GET' : 'PUT {}'}, jobs as found`, async () => {
    const lines: string[] = [];
    const provider = await startReferenceProvider({ port: 0, contractFile: file, log: (line) => lines.push(line) });
    try {
      const before = await jobsOf(provider, base);
      const result = await runAgainst(provider, file);
      const findings = result.cases.flatMap((c) => c.findings.map((f) => `${f.checkId}: ${f.actual}`));
      expect({ verdict: result.verdict, findings: findings.slice(0, 5) }).toEqual({ verdict: { kind: 'conformant' }, findings: [] });
      expect(result.restore.kind).toBe('restored');
      expect(await jobsOf(provider, base)).toEqual(before);
      const gets = lines.filter((line) => line.startsWith('GET '));
      const puts = lines.filter((line) => line.startsWith('PUT '));
      const onJobs = puts.filter((line) => line.includes('/jobs/'));
      expect(onJobs.length).toBeGreaterThan(300);
      expect(onJobs.filter((line) => !line.startsWith(`PUT ${base}`))).toEqual([]);
      if (get) {
        expect(gets.length).toBeGreaterThan(20);
        expect(gets.every((line) => line.startsWith(`GET ${base}`) && / 200 /.test(line))).toBe(true);
      } else {
        expect(gets).toEqual([]);
      }
    } finally {
      await provider.close();
    }
  });
});

test('judged by a document served under another base path (/2 against /v2): the first read gets 404, a user error naming the path, nothing written', async () => {
  const provider = await startReferenceProvider({ port: 0 });
  try {
    const before = await jobsOf(provider, '/v2/jobs/');
    await expect(runAgainst(provider, path.join(DOCUMENTS, 'jobs.swagger.yaml'))).rejects.toThrow(
      /404 on the first read of GET http:\/\/127\.0\.0\.1:\d+\/2\/jobs\/241\).*check the base path of --target/,
    );
    expect(await jobsOf(provider, '/v2/jobs/')).toEqual(before);
  } finally {
    await provider.close();
  }
});

describe('a body field the Job does not show, that says it is a date (the 2025-style dueDate, an integer)', () => {
  const plain = path.join(DOCUMENTS, 'jobs-2025.openapi.yaml');
  /** The same document with `due` in the request too, so that whatever dueDate sets can be put back. */
  let file: string;
  beforeAll(() => {
    const dir = tempDir('lilt-documents-');
    file = path.join(dir, 'jobs-2025-with-due.openapi.yaml');
    const text = fs.readFileSync(plain, 'utf8');
    const withDue = text.replace('        dueDate:\n', '        due: { type: string, format: date-time }\n        dueDate:\n');
    expect(withDue).not.toBe(text);
    fs.writeFileSync(file, withDue);
  });

  /** The reference provider for `document`, with `rewrite` applied to each JSON body that has dueDate. */
  async function providerRewriting(
    rewrite: (body: Record<string, unknown>) => Record<string, unknown>,
    document: string = file,
  ): Promise<RunningProvider & { dueDates: number }> {
    const app = await createReferenceApp({ contractFile: document });
    let dueDates = 0;
    app.addHook('preHandler', async (request) => {
      if (!Buffer.isBuffer(request.body)) return;
      let body: unknown;
      try {
        body = JSON.parse(request.body.toString('utf8'));
      } catch {
        return;
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body) || !('dueDate' in body)) return;
      dueDates += 1;
      request.body = Buffer.from(JSON.stringify(rewrite(body as Record<string, unknown>)));
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as AddressInfo).port;
    return {
      url: `http://127.0.0.1:${port}`,
      port,
      close: () => app.close(),
      get dueDates() {
        return dueDates;
      },
    };
  }

  test('where what it may set (due) cannot be put back, it is not sent, and the run says so', async () => {
    const provider = await providerRewriting((body) => body, plain);
    const lines: string[] = [];
    try {
      const contract = await loadContract(plain);
      const { apiKey } = referenceDefaults();
      const { config, secrets } = resolveRunConfig({ target: provider.url, jobId: JOBS, seed: '7' }, { LILT_API_KEY: apiKey }, contract);
      const result = await runConformance({ config, apiKey: secrets.apiKey, contract }, { onProgress: (e) => e.kind === 'log' && lines.push(e.line) });
      expect(result.verdict).toEqual({ kind: 'conformant' });
      expect(provider.dueDates).toBe(0);
      expect(lines).toContainEqual(expect.stringMatching(/^request field dueDate contradicts itself \(type integer, .*\): it is not sent: .*may set .*due/));
    } finally {
      await provider.close();
    }
  });

  test('a server that reads it as seconds since the epoch and sets due from it: conformant (either reading is the document\'s)', async () => {
    const provider = await providerRewriting(({ dueDate, ...rest }) =>
      typeof dueDate === 'number' && dueDate < 1e11 ? { ...rest, due: new Date(dueDate * 1000).toISOString() } : rest,
    );
    try {
      const result = await runAgainst(provider, file);
      expect(provider.dueDates).toBeGreaterThanOrEqual(4);
      expect(result.verdict).toEqual({ kind: 'conformant' });
      expect(result.restore.kind).toBe('restored');
    } finally {
      await provider.close();
    }
  });

  test('a server that lets it change another field (the name): caught', async () => {
    const provider = await providerRewriting((body) => ({ ...body, name: 'set by dueDate' }));
    try {
      const result = await runAgainst(provider, file);
      const findings = result.cases.flatMap((c) => c.findings);
      expect(result.verdict.kind).toBe('not-conformant');
      expect(findings.some((f) => f.request.body?.includes('dueDate') === true && /name/.test(f.actual))).toBe(true);
      expect(result.restore.kind).toBe('restored');
    } finally {
      await provider.close();
    }
  });
});

test('a string field added to the request and the Job (and name renamed) is sent and round-tripped with no code change', async () => {
  const text = fs.readFileSync(DEFAULT_CONTRACT_FILE, 'utf8');
  const edited = text
    .replace('                name:\n                  type: string\n', '                title:\n                  type: string\n')
    .replace('        name:\n          type: string\n', '        title:\n          type: string\n        reference:\n          type: string\n')
    .replace('                due:\n', '                reference:\n                  type: string\n                due:\n');
  expect(edited.match(/reference:/g)).toHaveLength(2);
  const dir = tempDir('lilt-documents-');
  const file = path.join(dir, 'added-field.openapi.yaml');
  fs.writeFileSync(file, edited);
  const fixtures = JSON.parse(fs.readFileSync(DEFAULT_FIXTURES_FILE, 'utf8')) as { jobs: Array<Record<string, unknown>> };
  for (const job of fixtures.jobs) {
    job.title = job.name;
    delete job.name;
    job.reference = `ref-${String(job.id)}`;
  }
  const app = await createReferenceApp({ contractFile: file, fixtures: fixtures as never });
  const sent = { title: 0, reference: 0, name: 0 };
  app.addHook('preHandler', async (request) => {
    const body = Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '';
    for (const field of Object.keys(sent) as (keyof typeof sent)[]) if (body.includes(`"${field}"`)) sent[field] += 1;
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const port = (app.server.address() as AddressInfo).port;
    const result = await runAgainst({ url: `http://127.0.0.1:${port}`, port, close: () => app.close() }, file);
    expect(result.verdict).toEqual({ kind: 'conformant' });
    expect(result.restore.kind).toBe('restored');
    // Both stored strings get the coverage strings and a property each; `name` is only an unknown key now.
    expect(sent.title).toBeGreaterThan(80);
    expect(sent.reference).toBeGreaterThan(80);
  } finally {
    await app.close();
  }
});
