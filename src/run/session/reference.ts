/**
 * The default target: the reference provider, in-process on a free loopback port, with its default fixtures' key and
 * jobs (the first is the one the run writes), and the provider's default missing id.
 */
import {
  DEFAULT_FIXTURES_FILE,
  defaultMissingJobId,
  loadFixtures,
  startReferenceProvider,
  type RunningProvider,
} from '../../provider';
import type { Contract } from '../../contract/load';

export interface ReferenceTarget {
  readonly provider: RunningProvider;
  readonly apiKey: string;
  readonly jobId: number;
  /** Every fixture job, the run's own first. */
  readonly jobIds: readonly number[];
  readonly missingJobId: number;
}

export function referenceDefaults(): { apiKey: string; jobId: number; jobIds: readonly number[]; missingJobId: number } {
  const fixtures = loadFixtures(DEFAULT_FIXTURES_FILE);
  const first = fixtures.jobs[0];
  if (first === undefined || fixtures.apiKeys[0] === undefined) {
    throw new Error(`${DEFAULT_FIXTURES_FILE}: the reference fixtures need an API key and a job`);
  }
  return {
    apiKey: fixtures.apiKeys[0],
    jobId: first.id,
    jobIds: fixtures.jobs.map((job) => job.id),
    missingJobId: defaultMissingJobId(fixtures),
  };
}

/** The reference provider serving `contract` (the run's own document and operation). */
export async function startReferenceTarget(contract: Contract): Promise<ReferenceTarget> {
  const defaults = referenceDefaults();
  const provider = await startReferenceProvider({ port: 0, host: '127.0.0.1', contract });
  return { provider, ...defaults };
}
