/**
 * The provider's starting state: API keys and jobs, from a JSON file. Loading checks the file's shape (one line naming
 * the file on any problem); `checkFixturesAgainstContract` then validates every job against the contract's Job schema
 * with the compiled validators, so a fixture can never make the provider answer outside the contract.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { OPERATION_ID } from '../contract/model';
import { UserError } from '../errors';
import type { Validators } from '../validation/validators';
import { formatViolation } from '../validation/violations';

/** A job as stored and returned: a Job of the contract, whose `id` is a positive safe integer. */
export interface JobRecord {
  readonly id: number;
  readonly [property: string]: unknown;
}

export interface Fixtures {
  /** The API keys the provider accepts (Basic user and password, or the `key` query parameter). */
  readonly apiKeys: readonly string[];
  readonly jobs: readonly JobRecord[];
}

/** Beside this module: src/provider/fixtures/ under ts-jest and tsx, dist/provider/fixtures/ once built (the build copies it). */
export const DEFAULT_FIXTURES_FILE = path.join(__dirname, 'fixtures', 'default.json');

function shown(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative === '' || relative.startsWith('..') ? file : relative;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks the shape of fixtures (not yet the Job schema); `source` names them in the error. */
export function parseFixtures(value: unknown, source: string): Fixtures {
  const fail = (problem: string): never => {
    throw new UserError(`${source}: invalid fixtures: ${problem}`);
  };
  if (!isObject(value)) return fail('expected an object {"apiKeys": [...], "jobs": [...]}');
  const { apiKeys, jobs } = value;
  if (!Array.isArray(apiKeys) || apiKeys.length === 0) return fail('"apiKeys" must be a non-empty array of strings');
  apiKeys.forEach((key, i) => {
    // Never echo a key: it may be a real one.
    if (typeof key !== 'string' || key.length === 0 || key.includes(':')) {
      fail(`apiKeys[${i}] must be a non-empty string without ':' (Basic auth splits user and password at ':')`);
    }
  });
  if (!Array.isArray(jobs)) return fail('"jobs" must be an array of Job objects');
  const seen = new Set<number>();
  jobs.forEach((job, i) => {
    if (!isObject(job)) fail(`jobs[${i}] must be an object`);
    const id = (job as Record<string, unknown>).id;
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1) {
      fail(`jobs[${i}].id must be a positive integer (got ${JSON.stringify(id) ?? 'nothing'})`);
    }
    if (seen.has(id as number)) fail(`jobs[${i}].id ${String(id)} appears twice`);
    seen.add(id as number);
  });
  return { apiKeys: [...(apiKeys as string[])], jobs: structuredClone(jobs as JobRecord[]) };
}

/** Reads and shape-checks a fixtures file. Throws a UserError (one line, naming the file) when it cannot. */
export function loadFixtures(file: string): Fixtures {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = fs.readFileSync(absolute, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory' : `cannot be read (${code ?? 'unknown error'})`;
    throw new UserError(`${shown(absolute)}: fixtures ${reason}; pass a JSON file {"apiKeys": [...], "jobs": [...]}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${shown(absolute)}: fixtures are not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parseFixtures(parsed, shown(absolute));
}

/** Every job must be a valid Job of the contract (the 200 response schema). */
export function checkFixturesAgainstContract(
  fixtures: Fixtures,
  validators: Validators,
  jobMediaType: string,
  source: string,
): void {
  const jobValidator = validators.responseValidator(OPERATION_ID, 200, jobMediaType);
  fixtures.jobs.forEach((job, i) => {
    const result = jobValidator.validate(job);
    if (!result.valid) {
      const first = result.violations[0];
      const more = result.violations.length > 1 ? ` (and ${result.violations.length - 1} more)` : '';
      throw new UserError(
        `${source}: jobs[${i}] (id ${job.id}) is not a valid Job of the contract: ${first ? formatViolation(first) : 'invalid'}${more}`,
      );
    }
  });
}

/** Where a conformance run looks for ids no job has: high, clear of the small ids fixtures use. */
const FIRST_MISSING_JOB_ID = 999_999;

/** The id the provider answers 404 for by default: the first id from 999999 up that no fixture job has. */
export function defaultMissingJobId(fixtures: Fixtures): number {
  const ids = new Set(fixtures.jobs.map((job) => job.id));
  let id = FIRST_MISSING_JOB_ID;
  while (ids.has(id)) id += 1;
  return id;
}

/** Where fixtures came from, for messages. */
export function fixturesSource(fixtures: string | Fixtures | undefined): string {
  if (fixtures === undefined) return shown(DEFAULT_FIXTURES_FILE);
  return typeof fixtures === 'string' ? shown(path.resolve(fixtures)) : 'fixtures object';
}
