/**
 * What a run is called with and what it returns, as types: the options and hooks (progress out, a signal in), the
 * progress events, why a run stopped early, the verdict, the restore's outcome, and the result. The run itself is
 * run.ts; nothing here does anything.
 */
import type { RunConfig } from '../config/run-config';
import type { Contract } from '../contract/load';
import type { Finding } from '../case/finding';
import type { CaseRecord } from '../case/record';
import type { ThrottleWait, TransportCounters } from '../http/transport';
import type { OriginalState, RestoreStep } from './job-guard';
import type { PlannedGroup, GroupId } from './plan';

export interface RunOptions {  readonly config: RunConfig;
  /** The key for a --target; undefined for the reference provider (its fixture key). Never printed or stored. */
  readonly apiKey?: string | undefined;
  /** The contract to judge by; default: the package's document. */
  readonly contract?: Contract;
}

export type ProgressEvent =
  /** A line for a person (the job's original values, a 429 wait, a note about ignored options). */
  | { readonly kind: 'log'; readonly line: string }
  /** The session is open: the target answered the first read. */
  | { readonly kind: 'started'; readonly target: string; readonly jobId: number; readonly cases: number; readonly requests: number }
  /** A case ran to its end, or was cut short. */
  | {
      readonly kind: 'case';
      readonly record: CaseRecord;
      readonly done: number;
      readonly total: number;
      readonly failing: number;
      readonly counters: Readonly<TransportCounters>;
    }
  /** A 429 asked every request to wait (for the progress line, which counts it down). */
  | ({ readonly kind: 'wait' } & ThrottleWait)
  /** A request ended, answered or not (the start-up's and the restore's too): the counters so far. */
  | { readonly kind: 'counters'; readonly counters: Readonly<TransportCounters> }
  /** A signal or the deadline: nothing more is issued; the requests on the wire are waited for. */
  | { readonly kind: 'stopping'; readonly reason: string; readonly inFlight: number }
  /** No more cases: the job is being put back. */
  | { readonly kind: 'restoring'; readonly jobId: number; readonly inFlight: number }
  /** What the restore is doing now. */
  | { readonly kind: 'restore-step'; readonly step: RestoreStep };

export interface RunHooks {
  readonly onProgress?: (event: ProgressEvent) => void;
  /**
   * Aborting (its reason: the signal's name) stops issuing requests, calls off any 429 wait, waits for the requests
   * on the wire, then restores the job as always.
   */
  readonly signal?: AbortSignal;
}

/** The run's own estimate, part way, that it would pass --max-duration at its pace so far (a target that keeps throttling). */
export interface PaceEstimate {
  readonly elapsedMs: number;
  /** Requests answered so far (429s not counted). */
  readonly done: number;
  readonly throttled: number;
  /** Requests the plan still has, at least. */
  readonly left: number;
  /** The time they would take at the pace so far. */
  readonly moreMs: number;
}

/** Why a run stopped before its plan was done. */
export type StopReason =
  | { readonly kind: 'signal'; readonly signal: string }
  | { readonly kind: 'deadline'; readonly afterMs: number; readonly estimate?: PaceEstimate }
  /** Another writer changed the job while the run worked on it: the run stops writing and puts back what it changed. */
  | { readonly kind: 'other-writer'; readonly what: string }
  /** The heap passed HEAP_STOP_FRACTION of its limit: the run stops and restores while memory is left. */
  | { readonly kind: 'memory'; readonly usedMb: number; readonly limitMb: number };


export type Verdict =
  | { readonly kind: 'conformant' }
  | { readonly kind: 'not-conformant'; readonly failedChecks: readonly string[] }
  /** The run could not judge the target in full: it stopped answering, cases were cut short, or it was interrupted. */
  | { readonly kind: 'no-verdict'; readonly reason: string };

export type RestoreResult =
  | { readonly kind: 'nothing-written' }
  | { readonly kind: 'restored'; readonly original: OriginalState; readonly retries: number; readonly otherWriter: string | undefined }
  | { readonly kind: 'failed'; readonly original: OriginalState; readonly reason: string; readonly otherWriter: string | undefined };

/** Why the run stopped issuing requests before its plan was done, other than an interruption or a dead target. */
export type EarlyStop = {
  readonly kind: 'max-failures';
  /** --max-failures */
  readonly limit: number;
  /** The failing checks that reached it. */
  readonly failedChecks: readonly string[];
};

export interface RunResult {
  readonly config: RunConfig;
  /** The target as shown (URL, or the in-process reference provider). */
  readonly target: string;
  /** The tested operation as the document gives it, base path included: `PUT /v2/jobs/{jobId}`. */
  readonly operation: string;
  readonly jobId: number;
  /** Cases planned (without the start-up and the restore). */
  readonly planned: number;
  /** Every case that ran, in order: the first read first, the restore last. */
  readonly cases: readonly CaseRecord[];
  readonly counters: Readonly<TransportCounters>;
  /** Why the target was declared down, if it was. */
  readonly targetDown: string | undefined;
  /** The abort reason (a signal name), if the run was interrupted. */
  readonly interrupted: string | undefined;
  /** Job properties seen to move on their own (a live job), on any job: left out of every before/after comparison. */
  readonly drifting: readonly string[];
  /** The same, job by job. */
  readonly live: ReadonlyArray<{ readonly jobId: number; readonly properties: readonly string[] }>;
  /** Findings withdrawn before the verdict: each was only about properties that turned out to move on their own. */
  readonly withdrawn: readonly Finding[];
  /** Set when --max-failures stopped the run (the cases not started did not run; the job was restored). */
  readonly stoppedEarly: EarlyStop | undefined;
  /** Why the run stopped before its plan was done (a signal, or --max-duration), if it did. */
  readonly stopped: StopReason | undefined;
  readonly restore: RestoreResult;
  /** Requests not sent because they named a field the job does not have. */
  readonly withheld: number;
  readonly durationMs: number;
  /**
   * The longest chain of dependent requests the run had (start-up, each group's longest, the restore): at a latency
   * of L per request it could not end sooner than chain x L (its latency floor). See src/case/clock.ts.
   */
  readonly chain: number;
  readonly verdict: Verdict;
}

/** A run opened and not yet finished: the engine's plan, run group by group (the CLI runs them all; jest one a test). */
export interface ConformanceRun {
  readonly plan: readonly PlannedGroup[];
  /** The first read, judged (when it did not return a Job, the plan is empty: nothing is written). */
  readonly startUp: CaseRecord;
  readonly jobId: number;
  readonly target: string;
  /** Runs one group's cases (over the lanes, one per job; independent ones beside them) and returns their records. */
  runGroup(id: GroupId): Promise<CaseRecord[]>;
  /** Stops, restores the job, reads it back, closes; the result of the whole run. Call it once, always. */
  finish(): Promise<RunResult>;
}
