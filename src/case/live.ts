/**
 * A live job moves on its own: a job being translated moves its `stats`, one being delivered its `status`, at their
 * own pace (BEHAVIOUR.md: server-maintained properties may change at any moment). The run tells that from a write's
 * effect by what it saw between its own reads: a property of the Job that changes over an interval in which the run
 * sent that job nothing but reads is live, and no comparison of states judges it (Oracle.drifting). Any other request
 * that may reach the job (a write, a refusal, which a faulty target may still carry out, a request to an id that may
 * spell it) ends such an interval.
 *
 * An updatable property (name, due, isProcessing) is never live: if one changes between two such reads, something
 * else wrote the job; that is kept apart (`foreignChanges`), never taken for the job's own movement.
 *
 * Findings about properties that changed (Finding.about) are withdrawn before the verdict when every property they
 * name is live; `settle` (the run's end) reads each job that has such findings until the properties move or its
 * budget is spent, so that a property that moves every few requests or on a timer is recognised however its
 * movement fell against the run's requests, and one that holds still is still judged.
 */
import type { ApiRequest } from '../http/request';
import type { JobState } from '../checks/types';
import { sameFieldValue } from '../checks/values';
import type { ConformanceFacts } from '../checks/facts';
import type { Finding } from './finding';
import { isRead } from './reads';

interface Track {
  /** Moves on each request that may reach the job being sent or ending: a read is quiet only if it did not move. */
  epoch: number;
  /** Requests that may reach the job, in flight. */
  inFlight: number;
  /** The last read that was quiet, and the epoch it saw. */
  last: { readonly epoch: number; readonly job: JobState } | undefined;
  readonly live: Set<string>;
  readonly foreign: Set<string>;
}

/** What `sent` returns, for `answered`. */
export type Ticket =
  | { readonly kind: 'read'; readonly jobId: number; readonly epoch: number; readonly quiet: boolean }
  | { readonly kind: 'other'; readonly jobIds: readonly number[] };

export class LiveProperties {
  private readonly tracks = new Map<number, Track>();

  constructor(
    private readonly facts: ConformanceFacts,
    jobIds: readonly number[],
    /** An updatable field changed between two quiet reads: something else wrote the job (writers.ts judges whom). */
    private readonly onForeign: (jobId: number, field: string, before: unknown, after: unknown) => void = () => undefined,
  ) {
    for (const id of jobIds) this.tracks.set(id, { epoch: 0, inFlight: 0, last: undefined, live: new Set(), foreign: new Set() });
  }

  /** The job a request only reads (a read to its plain id), if it is one. */
  private readOf(request: ApiRequest): number | undefined {
    if (!isRead(this.facts, request)) return undefined;
    const id = plainId(request.idSegment);
    return id !== undefined && this.tracks.has(id) ? id : undefined;
  }

  /** A request is about to be sent. */
  sent(request: ApiRequest): Ticket {
    const read = this.readOf(request);
    if (read !== undefined) {
      const track = this.tracks.get(read)!;
      return { kind: 'read', jobId: read, epoch: track.epoch, quiet: track.inFlight === 0 };
    }
    // A request to another job's plain id reaches that job; any other id may spell any of them ("0241", "%32%34%31").
    const id = plainId(request.idSegment);
    const jobIds = id !== undefined && this.tracks.has(id) ? [id] : [...this.tracks.keys()];
    for (const jobId of jobIds) {
      const track = this.tracks.get(jobId)!;
      track.epoch += 1;
      track.inFlight += 1;
    }
    return { kind: 'other', jobIds };
  }

  /** The request ended: answered (`job`: the Job a read returned), or not. */
  answered(ticket: Ticket, job: JobState | undefined): void {
    if (ticket.kind === 'other') {
      for (const jobId of ticket.jobIds) {
        const track = this.tracks.get(jobId)!;
        track.inFlight -= 1;
        track.epoch += 1;
      }
      return;
    }
    const track = this.tracks.get(ticket.jobId)!;
    const quiet = ticket.quiet && track.epoch === ticket.epoch && track.inFlight === 0;
    if (!quiet || job === undefined) {
      if (!quiet) track.last = undefined;
      return;
    }
    this.compare(ticket.jobId, track, job);
    track.last = { epoch: track.epoch, job };
  }

  /** A quiet read against the last quiet one: what differs moved on its own (or, for an updatable field, was written). */
  private compare(jobId: number, track: Track, job: JobState): void {
    const last = track.last;
    if (last === undefined || last.epoch !== track.epoch) return;
    for (const field of Object.keys(this.facts.jobProperties)) {
      if (sameFieldValue(this.facts, field, last.job[field], job[field])) continue;
      if (this.facts.updatableFields.includes(field)) {
        track.foreign.add(field);
        this.onForeign(jobId, field, last.job[field], job[field]);
      } else track.live.add(field);
    }
  }

  /** The properties of `jobId` seen to move on their own. */
  movingOn(jobId: number): ReadonlySet<string> {
    return this.tracks.get(jobId)?.live ?? EMPTY;
  }

  /** Every job's live properties, for the run's output. */
  all(): Array<{ readonly jobId: number; readonly properties: readonly string[] }> {
    return [...this.tracks].filter(([, t]) => t.live.size > 0).map(([jobId, t]) => ({ jobId, properties: [...t.live].sort() }));
  }

  /** Updatable properties seen to change between two quiet reads: something else wrote the job. */
  foreignChanges(jobId: number): readonly string[] {
    return [...(this.tracks.get(jobId)?.foreign ?? [])].sort();
  }

  /** Whether the properties (of a finding) all move on their own on `jobId`. */
  allLive(jobId: number, properties: readonly string[]): boolean {
    const live = this.movingOn(jobId);
    return properties.length > 0 && properties.every((p) => live.has(p));
  }

  /** Whether a property could be live: any but an updatable one. */
  couldBeLive(property: string): boolean {
    return !this.facts.updatableFields.includes(property);
  }

  /** Whether a finding may be a live job's own movement: it is only about properties that could move on their own. */
  maybeLive(finding: Pick<Finding, 'about'>): boolean {
    return finding.about !== undefined && finding.about.properties.every((p) => this.couldBeLive(p));
  }
}

const EMPTY: ReadonlySet<string> = new Set();

function plainId(segment: string): number | undefined {
  return /^[1-9]\d{0,15}$/.test(segment) ? Number(segment) : undefined;
}

/** How long, and how many reads, the end of a run watches a job whose findings are about properties that may be live. */
export interface SettleBudget {
  readonly maxReads: number;
  readonly maxMs: number;
  /** The least time between two reads (the run's pace). */
  readonly minGapMs: number;
}

/**
 * The watch's schedule: the first reads back to back (a property that moves every few requests moves within them),
 * then further apart, doubling (one that moves on a timer moves within them), until the budget is spent. Returns the
 * wait before each read after the first.
 */
export function settleGaps(budget: SettleBudget): number[] {
  const gaps: number[] = [];
  const quick = Math.max(0, Math.min(budget.maxReads - 1, Math.ceil((budget.maxReads * 3) / 4)));
  let spent = 0;
  for (let i = 0; i < quick; i += 1) {
    gaps.push(budget.minGapMs);
    spent += budget.minGapMs;
  }
  let gap = Math.max(budget.minGapMs, 50);
  while (gaps.length < budget.maxReads - 1 && spent + gap <= budget.maxMs) {
    gaps.push(gap);
    spent += gap;
    gap *= 2;
  }
  const rest = budget.maxMs - spent;
  if (gaps.length < budget.maxReads - 1 && rest >= budget.minGapMs && rest > 0) gaps.push(rest);
  return gaps;
}
