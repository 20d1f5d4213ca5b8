/**
 * The only place that reads or writes job state. The rules of state live here: an update writes only the fields it
 * is given (partial update), never the id or a read-only field (the caller only passes updatable fields), and is
 * idempotent (nothing else, no timestamp or counter, changes on a write). Callers get copies, never the stored object.
 */
import type { Fixtures, JobRecord } from './fixtures';

/** The fields an update sets, already mapped to the Job's types (isProcessing as an integer). */
export type JobChanges = Readonly<Record<string, unknown>>;

export interface JobStore {
  get(id: number): JobRecord | undefined;
  /** Applies the changes and returns the job as now stored, or undefined when there is no such job. */
  update(id: number, changes: JobChanges): JobRecord | undefined;
}

export function createJobStore(fixtures: Fixtures): JobStore {
  // Each store owns a deep copy: two providers in one process never share state.
  const jobs = new Map<number, JobRecord>(fixtures.jobs.map((job) => [job.id, structuredClone(job)]));
  return {
    get(id) {
      const job = jobs.get(id);
      return job === undefined ? undefined : structuredClone(job);
    },
    update(id, changes) {
      const job = jobs.get(id);
      if (job === undefined) return undefined;
      const updated: JobRecord = { ...job, ...structuredClone(changes), id: job.id };
      jobs.set(id, updated);
      return structuredClone(updated);
    },
  };
}
