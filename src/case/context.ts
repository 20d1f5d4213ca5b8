/**
 * What a case runs on, in two parts with two owners. `RunServices`: what the run provides every case and never
 * changes while it runs (the active run, the contract's facts, the checks, the one transport, the redaction, the
 * watch of live properties, the scheduler). `Lane`: one job's view, owned by the lane that writes that job (its last
 * known state). A case gets both; nothing else is shared between cases.
 */
import type { Check, JobState, Oracle } from '../checks/types';
import type { ConformanceFacts } from '../checks/facts';
import type { Priority } from '../http/rate-limiter';
import type { ApiRequest, Exchange } from '../http/request';
import type { Route } from '../http/target-url';
import type { Transport } from '../http/transport';
import type { LiveProperties } from './live';
import type { Writers } from './writers';
import type { ActiveRun } from './record';

/** One job as a lane sees it: its id, the others, the fields it lacks, and its last known state. */
export class Lane {
  /** The job's last known state (undefined: read it before relying on it). Only this lane's cases set it. */
  known: JobState | undefined = undefined;

  constructor(
    readonly jobId: number,
    /** The other jobs of the run (read, never written by this lane). */
    readonly otherJobIds: readonly number[],
    /** Updatable fields the job does not have: no request names them (RequestWithheld). */
    readonly unwritable: readonly string[],
  ) {}

  /** The same job, seen afresh (a case that must not rely on, or change, this lane's knowledge). */
  detached(): Lane {
    return new Lane(this.jobId, this.otherJobIds, this.unwritable);
  }
}

/** Requests withheld over the whole run (every lane's). */
export interface WithheldTally {
  count: number;
}

/** A request to the job sent in a probe section, waiting for the round's read-back. */
export interface Parked {
  readonly request: ApiRequest;
  readonly exchange: Exchange;
  readonly before: JobState;
  /** A refusal is judged with the state read back after it. */
  readonly refusal: boolean;
}

/** An exchange to judge with the request's own expectation, and the states to judge it against. */
export interface Judgement {
  readonly exchange: Exchange;
  readonly before: JobState | undefined;
  readonly after: JobState | undefined;
}

/** Sends a parked request again, alone, and reads the job back: the replay's judgement and the state read. */
export type Replayer = (request: ApiRequest) => Promise<{ readonly judgement: Judgement; readonly after: JobState | undefined }>;

/** Who sends and records a section's own requests (its read-backs, the put-back before a replay): a case of its lane. */
export interface SectionOwner {
  readonly facts: ConformanceFacts;
  exchange(request: ApiRequest, priority: Priority): Promise<Exchange>;
  assess(exchange: Exchange, oracle: Oracle): unknown;
  readRequest(): ApiRequest;
}

/**
 * A probe section as a case sees it (run/schedule/probe-section.ts implements it): requests that must leave the job
 * as it is, sent side by side, with one read-back a round.
 */
export interface Section {
  /** The job's state before this round's requests (read once, shared). */
  state(): Promise<JobState>;
  /**
   * Waits for the round's read-back; what to judge the exchange with, and the chain length the round ended at.
   * `replay` sends the request again alone and reads the job back (when the round changed the job).
   */
  park(parked: Parked, replay: Replayer): Promise<{ readonly judgements: readonly Judgement[]; readonly endedAt: number }>;
  /** Runs every item as a member of the section; settles when all have ended (the first error is thrown then). */
  fanOut<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void>;
  /** A request to another id answered 200: the job is read again before the next member relies on its state. */
  touchedElsewhere(): void;
}

/**
 * How a property's examples share the run's lanes (run/schedule/ implements it): the probes side by side in a probe
 * section of the first lane, the others one at a time on whichever lane has its job free, in order, while `more(i)`.
 */
export interface Scheduler {
  examples(count: number, plan: ExamplePlan): Promise<void>;
  /** Runs `work` with `lane`'s job to itself (one example, one section at a time on a job). */
  alone<R>(lane: Lane, work: () => Promise<R>): Promise<R>;
}

export interface ExamplePlan {
  /** Records the probe section's read-backs (the property's own case). */
  readonly owner: SectionOwner;
  readonly probe: (index: number) => boolean;
  /** Whether example `index` is still wanted (none after the first failure). */
  readonly more: (index: number) => boolean;
  readonly run: (index: number, lane: Lane, section?: Section) => Promise<void>;
}

/** What the run provides every case; none of it changes while the run goes on. */
export interface RunServices {
  readonly run: ActiveRun;
  readonly facts: ConformanceFacts;
  readonly route: Route;
  readonly checks: readonly Check[];
  readonly transport: Transport;
  /** Removes the key from what a target echoed back, before anything is stored or shown. */
  readonly redact: (text: string) => string;
  /** The run's one watch of what moves on its own on each job (live.ts): every request of a case goes past it. */
  readonly live: LiveProperties;
  readonly withheld: WithheldTally;
  /** Who writes the job: the values the run sent, and another writer once one is seen (writers.ts). */
  readonly writers: Writers;
  /** Every lane the run writes, the run's own job first. */
  readonly lanes: readonly Lane[];
  readonly scheduler: Scheduler;
}
