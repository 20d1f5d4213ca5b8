/**
 * The default target: the reference provider, in-process on a free loopback port, with its default fixtures' key and
 * first job. The missing id is the first id from 999999 up that no fixture job has.
 */
import { DEFAULT_FIXTURES_FILE, loadFixtures, startReferenceProvider, type RunningProvider } from '../provider';

export interface ReferenceTarget {
  readonly provider: RunningProvider;
  readonly apiKey: string;
  readonly jobId: number;
  readonly missingJobId: number;
}

export function referenceDefaults(): { apiKey: string; jobId: number; missingJobId: number } {
  const fixtures = loadFixtures(DEFAULT_FIXTURES_FILE);
  const ids = new Set(fixtures.jobs.map((job) => job.id));
  const first = fixtures.jobs[0];
  if (first === undefined || fixtures.apiKeys[0] === undefined) {
    throw new Error(`${DEFAULT_FIXTURES_FILE}: the reference fixtures need an API key and a job`);
  }
  let missingJobId = 999_999;
  while (ids.has(missingJobId)) missingJobId += 1;
  return { apiKey: fixtures.apiKeys[0], jobId: first.id, missingJobId };
}

export async function startReferenceTarget(): Promise<ReferenceTarget> {
  const defaults = referenceDefaults();
  const provider = await startReferenceProvider({ port: 0, host: '127.0.0.1' });
  return { provider, ...defaults };
}
