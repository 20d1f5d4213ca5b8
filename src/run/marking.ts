/**
 * The marker's writes (src/run/marker.ts): the job rests on the run's marker from before the first case, and again
 * after each group that wrote. Each marker write is an update like any other, judged as a case would judge it; the
 * first against the first read's Job (it is the run's first write, so what it does to the rest of the Job is seen
 * there), later ones against the state the last case left, when known (no read is spent on it). One case records
 * them all, beside the start-up's.
 */
import type { JobState } from '../checks/types';
import { jobOf } from '../checks/values';
import { Case } from '../case/case';
import type { Lane, RunServices } from '../case/context';
import { CaseAborted, RequestWithheld } from '../case/errors';
import type { CaseRecord } from '../case/record';
import { jsonRequest } from '../cases/common';
import { MARKER_FIELD, type RunMarker } from './marker';
import { START_UP_GROUP } from './session/session';

const MARKER_CASE = "the run's marker on the job (one run per job)";

export class Marking {
  private readonly writer: Case;
  private marks = 0;
  /** Whether the job was seen to take the marker at its last write (only then can the end tell another writer). */
  private shown = false;
  private wroteSince = false;

  constructor(
    services: RunServices,
    private readonly lane: Lane,
    private readonly marker: RunMarker | undefined,
    /** The state before the run's first write. */
    private readonly firstJob: JobState | undefined,
  ) {
    this.writer = new Case(services, lane, START_UP_GROUP, MARKER_CASE);
  }

  /** Writes the marker (nothing without one); whether a request was sent. */
  async mark(): Promise<boolean> {
    const marker = this.marker;
    if (marker === undefined) return false;
    const first = this.marks === 0;
    this.marks += 1;
    const sentBefore = this.writer.requests;
    try {
      await this.write(marker, first);
    } catch (error) {
      if (!(error instanceof CaseAborted) && !(error instanceof RequestWithheld)) throw error;
    }
    this.shown = this.lane.known !== undefined && this.lane.known[MARKER_FIELD] === marker.value;
    this.wroteSince = false;
    return this.writer.requests > sentBefore;
  }

  private async write(marker: RunMarker, first: boolean): Promise<void> {
    const c = this.writer;
    const request = jsonRequest(c, { [MARKER_FIELD]: marker.value });
    const expect = { kind: 'update', jobId: this.lane.jobId, changes: { [MARKER_FIELD]: marker.value } } as const;
    if (first && this.firstJob !== undefined) {
      await c.send(request, { expect, before: this.firstJob });
      return;
    }
    const before = this.lane.known;
    const exchange = await c.exchange(request);
    c.assess(exchange, { facts: c.facts, expect, ...(before ? { before } : {}) });
    this.lane.known = exchange.response.status === 200 ? jobOf(exchange.response) : undefined;
  }

  /** A case of the plan may have written: the job no longer rests on the marker. */
  wrote(): void {
    this.wroteSince = true;
  }

  /** Whether the run's last write was its marker and the job was seen to take it. */
  lastWriteWasMarker(): boolean {
    return this.shown && !this.wroteSince;
  }

  /** What the marker's writes came to, as one record beside the start-up's (undefined when none was sent). */
  record(): CaseRecord | undefined {
    const c = this.writer;
    if (c.requests === 0) return undefined;
    return { group: START_UP_GROUP, case: MARKER_CASE, tallies: c.ledger.tallies, findings: c.ledger.findings, requests: c.requests };
  }
}
