/**
 * Fixtures: the default file holds what other sessions rely on (key test-key, job 241 as the document's examples
 * describe it, jobs 242 and 243, no job 999999); a bad fixtures file is one line naming the file and the problem.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { OpenAPIV3 } from 'openapi-types';
import { UserError } from '../../src/errors';
import { loadContract } from '../../src/contract/load';
import { findOperation, responseFor } from '../../src/contract/operation';
import {
  createReferenceApp,
  DEFAULT_FIXTURES_FILE,
  defaultMissingJobId,
  loadFixtures,
  parseFixtures,
  startReferenceProvider,
  type Fixtures,
} from '../../src/provider';
import { expectJob, send, startProvider, tempFile } from './helpers';
import { userErrorOf } from '../helpers/user-error';
import { tempDir } from '../helpers/temp';

type Schema = OpenAPIV3.SchemaObject;

/** Every property of `schema` with a scalar example must hold that example in `value`. */
function exampleMismatches(schema: Schema, value: Record<string, unknown>, where: string): string[] {
  const problems: string[] = [];
  for (const [name, property] of Object.entries(schema.properties ?? {}) as [string, Schema][]) {
    const example = property.example as unknown;
    if (example !== undefined && (typeof example !== 'object' || example === null) && value[name] !== example) {
      problems.push(`${where}.${name}: ${JSON.stringify(value[name])} is not the example ${JSON.stringify(example)}`);
    }
  }
  return problems;
}

describe('the default fixtures', () => {
  const fixtures = loadFixtures(DEFAULT_FIXTURES_FILE);

  it('accept the key test-key and hold jobs 241, 242 and 243 but not 999999', () => {
    expect(fixtures.apiKeys).toContain('test-key');
    expect(fixtures.jobs.map((job) => job.id).sort()).toEqual([241, 242, 243]);
    expect(fixtures.jobs.some((job) => job.id === 999999)).toBe(false);
  });

  it('have a default missing job id, 999999, that answers 404; past any fixture job that takes it', async () => {
    expect(defaultMissingJobId(fixtures)).toBe(999999);
    const job = fixtures.jobs[0]!;
    expect(defaultMissingJobId({ ...fixtures, jobs: [...fixtures.jobs, { ...job, id: 999999 }, { ...job, id: 1000000 }] })).toBe(1000001);
    const provider = await startProvider();
    try {
      expect((await send(provider, `/v2/jobs/${defaultMissingJobId(fixtures)}`, { body: {} })).status).toBe(404);
    } finally {
      await provider.close();
    }
  });

  it("hold job 241 exactly as the document's examples describe it", async () => {
    const contract = await loadContract();
    const jobSchema = responseFor(findOperation(contract, 'updateJob'), 200)!.content!['application/json']!.schema as Schema;
    const job = fixtures.jobs.find((candidate) => candidate.id === 241)!;
    const statsSchema = jobSchema.properties!.stats as Schema;
    const projectSchema = (statsSchema.properties!.projects as OpenAPIV3.ArraySchemaObject).items as Schema;
    const domainSchema = (jobSchema.properties!.domains as OpenAPIV3.ArraySchemaObject).items as Schema;
    const stats = job.stats as Record<string, unknown>;
    const projects = stats.projects as Record<string, unknown>[];
    const domains = job.domains as Record<string, unknown>[];
    expect(projects).toHaveLength(1);
    expect(domains).toHaveLength(1);
    const problems = [
      ...exampleMismatches(jobSchema, job, 'job'),
      ...exampleMismatches(statsSchema, stats, 'stats'),
      ...exampleMismatches(projectSchema, projects[0]!, 'stats.projects[0]'),
      ...exampleMismatches(domainSchema, domains[0]!, 'domains[0]'),
    ];
    expect(problems).toEqual([]);
    // Every property the Job schema has is present in job 241.
    expect(Object.keys(job).sort()).toEqual(Object.keys(jobSchema.properties!).sort());
  });

  it('are served as they are: job 241 read with a bare PUT equals the fixture', async () => {
    const provider = await startProvider();
    try {
      expect(await expectJob(await send(provider, '/v2/jobs/241'), 241)).toEqual(fixtures.jobs.find((j) => j.id === 241));
    } finally {
      await provider.close();
    }
  });
});


describe('loadFixtures refuses, in one line naming the file,', () => {
  const good = JSON.parse(fs.readFileSync(DEFAULT_FIXTURES_FILE, 'utf8')) as { apiKeys: string[]; jobs: Record<string, unknown>[] };

  it.each([
    ['invalid JSON', '{"apiKeys": [', /not JSON/],
    ['an array', '[]', /expected an object/],
    ['no apiKeys', JSON.stringify({ jobs: [] }), /apiKeys/],
    ['an empty apiKeys', JSON.stringify({ apiKeys: [], jobs: [] }), /apiKeys/],
    ['a key with a colon', JSON.stringify({ apiKeys: ['sec:ret'], jobs: [] }), /apiKeys\[0\]/],
    ['jobs not an array', JSON.stringify({ apiKeys: ['k'], jobs: {} }), /"jobs"/],
    ['a job without an id', JSON.stringify({ apiKeys: ['k'], jobs: [{ name: 'x' }] }), /jobs\[0\]\.id/],
    ['a job with id 0', JSON.stringify({ apiKeys: ['k'], jobs: [{ id: 0 }] }), /jobs\[0\]\.id must be a positive integer/],
    ['a job with a string id', JSON.stringify({ apiKeys: ['k'], jobs: [{ id: '241' }] }), /jobs\[0\]\.id/],
    ['a duplicate id', JSON.stringify({ apiKeys: ['k'], jobs: [{ id: 7 }, { id: 7 }] }), /jobs\[1\]\.id 7 appears twice/],
  ])('%s', (_name, content, pattern) => {
    const file = tempFile('fixtures.json', content);
    const error = userErrorOf(() => loadFixtures(file));
    expect(error.message).toMatch(pattern);
    expect(error.message).toContain(file);
    expect(error.message).not.toMatch(/\n/);
    expect(error.message).not.toContain('sec:ret');
    expect(error.exitCode).toBe(2);
  });

  it('a missing file', () => {
    const file = path.join(os.tmpdir(), 'no-such-dir-lilt', 'fixtures.json');
    expect(userErrorOf(() => loadFixtures(file)).message).toMatch(/fixtures file not found/);
  });

  it('a directory', () => {
    const dir = tempDir('lilt-fixtures-dir-');
    expect(userErrorOf(() => loadFixtures(dir)).message).toMatch(/is a directory/);
  });

  it.each([
    ['isProcessing as a string', { isProcessing: '0' }, /jobs\[0\] \(id 241\).*\/isProcessing: type/],
    ['a due that is not RFC 3339', { due: '2021-06-03 13:43:00Z' }, /\/due: format/],
    ['a workflowStatus outside its enum', { stats: { workflowStatus: 'PAUSED' } }, /\/stats\/workflowStatus: enum/],
    ['a domain without a name', { domains: [{ id: 1 }] }, /\/domains\/0\/name: required/],
  ])('a job that is not a valid Job of the contract: %s', async (_name, change, pattern) => {
    const jobs = [{ ...good.jobs[0], ...change }];
    const file = tempFile('fixtures.json', JSON.stringify({ apiKeys: ['k'], jobs }));
    const failure = createReferenceApp({ fixtures: file });
    await expect(failure).rejects.toBeInstanceOf(UserError);
    await expect(failure).rejects.toThrow(pattern);
    await expect(failure).rejects.toThrow(file);
  });
});

describe('fixtures given as an object', () => {
  it('are validated too, and named as "fixtures object"', async () => {
    const bad = { apiKeys: ['k'], jobs: [{ id: 1, name: 5 }] } as unknown as Fixtures;
    await expect(startReferenceProvider({ fixtures: bad })).rejects.toThrow(/^fixtures object: jobs\[0\] \(id 1\).*\/name: type/);
    expect(() => parseFixtures({ apiKeys: 'k' }, 'here')).toThrow(/^here: invalid fixtures/);
  });

  it('give each provider its own state', async () => {
    const fixtures: Fixtures = { apiKeys: ['own-key'], jobs: [{ id: 5, name: 'five' }] };
    const a = await startProvider({ fixtures });
    const b = await startProvider({ fixtures });
    try {
      const auth = `Basic ${Buffer.from('own-key:own-key').toString('base64')}`;
      await expectJob(await send(a, '/v2/jobs/5', { authorization: auth, body: { name: 'changed in a' } }), 5);
      expect((await expectJob(await send(b, '/v2/jobs/5', { authorization: auth }), 5)).name).toBe('five');
      expect(fixtures.jobs[0]!.name).toBe('five');
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
