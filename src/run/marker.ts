/**
 * One run per job: the marker a run leaves on its job while it works, and the values that make a run refuse to start
 * on a job another run is working on (or a killed one left). Staging is shared and the API has no lock:
 *
 * - While it runs, the job rests on a marker name, `lilt-conformance run <id> is testing this job (since <time>) ...`:
 *   written right after the snapshot, before the first case, and again after each group (one request each, counted
 *   with the start-up and the restore). The restore replaces it with the job's own name.
 * - Before its first write, a run reads the job and refuses to start (exit 2, one line, --allow-shared-job to
 *   override) when a field holds a value this tool writes: the marker or any name starting `lilt-conformance`, the
 *   fixed names of groups 2 and 3, or their date-times (2016, 2031, 2032). That is another run at work, or one that
 *   was killed before it could put the job back.
 * - Before its restore, a run whose last write was its marker checks the name still shows it; if not, another writer
 *   was on the job, and the closing line says so (its snapshot may not be the job's own values).
 *
 * Between two markers the job holds the group's test values, which are recognised too (the fixed ones above, the
 * envelope's `lilt-conformance envelope: ...`), except during the properties group, whose examples write random names. A
 * second run that starts during the first one's properties group takes such a value for the original; the first run
 * then sees the second's marker in an answer (src/case/writers.ts), stops writing, and ends with the loud block.
 */
import { randomBytes } from 'node:crypto';
import { oneLineJson } from '../http/one-line-json';
import type { JobState } from '../checks/types';
import { sameFieldValue } from '../checks/values';
import type { ConformanceFacts } from '../checks/facts';
import { recognisableRunValues } from '../cases/inputs';
import { UserError } from '../errors';

/** Every name this tool writes as a probe or marker starts so. */
export const RUN_MARK = 'lilt-conformance';

/** The field the marker is written to. */
export const MARKER_FIELD = 'name';

export interface RunMarker {
  readonly id: string;
  readonly value: string;
}

export function newRunMarker(startedAt: Date = new Date()): RunMarker {
  const id = randomBytes(4).toString('hex');
  return {
    id,
    value: `${RUN_MARK} run ${id} is testing this job (since ${startedAt.toISOString().replace(/\.\d+Z$/, 'Z')}); it puts the job back when it ends`,
  };
}

export interface ForeignValue {
  readonly field: string;
  readonly value: unknown;
}

/** The job's fields holding a value this tool writes while testing (empty: no sign of another run). */
export function runValuesIn(facts: ConformanceFacts, job: JobState): ForeignValue[] {
  const { strings, dateTimes } = recognisableRunValues();
  const found: ForeignValue[] = [];
  for (const field of facts.updatableFields) {
    const value = job[field];
    if (typeof value !== 'string') continue;
    const isDateTime = facts.dateTimeFields.includes(field);
    const ours = isDateTime
      ? dateTimes.some((written) => written === value || sameFieldValue(facts, field, written, value))
      : value.startsWith(RUN_MARK) || strings.includes(value);
    if (ours) found.push({ field, value });
  }
  return found;
}

/** A value as a refusal line shows it: JSON, cut to 80 characters. */
export function shownValue(value: unknown): string {
  const text = oneLineJson(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * One run per job, for whatever writes it (the run, pact verify): values this tool writes, found before the first
 * write, mean another run (or a killed one). Refused with one line (exit 2) unless `allowSharedJob`.
 */
export function refuseSharedJob(facts: ConformanceFacts, jobId: number, job: JobState, allowSharedJob: boolean, log: (line: string) => void): void {
  const foreign = runValuesIn(facts, job);
  if (foreign.length === 0) return;
  if (allowSharedJob) {
    log(`--allow-shared-job: job ${jobId} holds values this tool writes; they are taken as the job's own`);
    return;
  }
  const shown = foreign.map((f) => `${f.field}=${shownValue(f.value)}`).join(', ');
  throw new UserError(
    `job ${jobId} holds ${shown}, which lilt-conformance writes while testing: another run is working on it, or one was killed ` +
      'before it put the job back; nothing was written. Wait for that run, or put the job\'s own values back by hand (the killed ' +
      "run's output lists them), or pass --allow-shared-job if these are the job's own values",
  );
}
