/**
 * Who writes the job: the run, or someone else. The run keeps every value it sent to an updatable field (by what a JSON
 * reader sees in its bodies) and the values it found; another writer is seen when a Job shows another run's marker, or
 * when an updatable field changes, between two of the run's reads with nothing of the run's in between, to a value the
 * run never sent (a late write of the run's own lands only values it sent). The first sighting is kept and announced
 * once: the run then stops writing, and its restore puts back only the fields that hold its own values.
 */
import { createHash } from 'node:crypto';
import type { JobState } from '../checks/types';
import { expectedJobValue, type ConformanceFacts } from '../checks/facts';
import { show } from '../checks/values';

/** Whether a Job shows another run's marker: the field, its value and what it shows in words, if so. */
export type ForeignMark = (job: JobState) => { readonly field: string; readonly value: unknown; readonly what: string } | undefined;

export class Writers {
  /** Each value the run holds as its own, as a digest of the field and the value (bounded memory, whatever was sent). */
  private readonly owned = new Set<string>();
  private first: string | undefined;
  private readonly listeners: Array<(what: string) => void> = [];

  constructor(
    private readonly facts: ConformanceFacts,
    private readonly foreignMark: ForeignMark = () => undefined,
  ) {}

  /** A value the run holds as its own: one it found on a job at its first read, or wrote since. */
  own(field: string, value: unknown): void {
    this.owned.add(this.digest(field, value));
  }

  /** A field's value as one digest: a date-time as its instant (any RFC 3339 form of it), anything else as its JSON. */
  private digest(field: string, value: unknown): string {
    const instant = this.facts.dateTimeFields.includes(field) && typeof value === 'string' ? Date.parse(value) : Number.NaN;
    const text = Number.isFinite(instant) ? `instant ${instant}` : (JSON.stringify(value) ?? String(value));
    return createHash('sha256').update(`${field}\n${text}`).digest('base64');
  }

  /** A body the run is about to send: its updatable fields' values, as a JSON reader yields them. */
  sent(body: string | undefined): void {
    if (body === undefined) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return; // not JSON as a whole: a target that takes a value from it anyway shows a value the run cannot claim
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return;
    for (const field of this.facts.updatableFields) {
      const value = (parsed as Record<string, unknown>)[field];
      if (value !== undefined) this.own(field, expectedJobValue(this.facts, field, value));
    }
  }

  /** Whether `value` of `field` is one the run found or wrote. */
  isOwn(field: string, value: unknown): boolean {
    return this.owned.has(this.digest(field, value));
  }

  /** A Job the target answered with (to a request to `idSegment`): another run's marker on it is another writer. */
  seen(idSegment: string, job: JobState | undefined): void {
    if (job === undefined) return;
    const mark = this.foreignMark(job);
    // A marker the job already held when the run found it (a killed run's, let through with --allow-shared-job) is the job's own.
    if (mark === undefined || this.isOwn(mark.field, mark.value)) return;
    this.report(`job ${typeof job['id'] === 'number' ? job['id'] : idSegment} showed ${mark.what}`);
  }

  /** An updatable field changed between two quiet reads of the run: another writer, unless the value is the run's. */
  changed(jobId: number, field: string, before: unknown, after: unknown): void {
    if (this.isOwn(field, after)) return;
    this.report(`${field} of job ${jobId} changed from ${show(before)} to ${show(after)} between two reads, with nothing of this run's in between`);
  }

  /** Another writer, in words: the first one seen (undefined: none). */
  get other(): string | undefined {
    return this.first;
  }

  onOther(listener: (what: string) => void): void {
    this.listeners.push(listener);
  }

  report(what: string): void {
    if (this.first !== undefined) return;
    this.first = what;
    for (const listener of this.listeners) listener(what);
  }
}
