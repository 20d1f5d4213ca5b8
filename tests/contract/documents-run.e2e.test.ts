/**
 * Any document the tool reads, end to end in-process: the reference provider serves the document it is given (its
 * base path, its fields by kind, GET beside the update when the document has one), and a whole default run judged by
 * that same document finds it conformant, reading the job through GET where the document offers it and through
 * PUT `{}` where it does not, and leaves every job as it found it. A run judged by one document against a provider of
 * another (a different base path) cannot read the job: a user error, and nothing written.
 */
import * as path from 'node:path';
import { resolveRunConfig } from '../../src/config/run-config';
import { DEFAULT_CONTRACT_FILE, loadContract } from '../../src/contract/load';
import { runConformance } from '../../src/run/run';
import { referenceDefaults } from '../../src/run/session/reference';
import { startReferenceProvider, type RunningProvider } from '../../src/provider';

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
