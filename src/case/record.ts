/**
 * What a run knows about its target once it has started (the active run), and what each case of the run comes to (a
 * CaseRecord: what each check said, the findings, why it was cut short). These are values passed in memory between
 * the parts of one run; nothing here is written to a file or the environment.
 */
import type { RunConfig } from '../config/run-config';
import type { ValidAuth } from '../http/request';
import type { CheckResult } from '../checks/types';
import type { Finding } from './finding';

export interface ActiveRun {
  readonly config: RunConfig;
  /** Base URL actually targeted (the reference provider's, when it was started in-process). */
  readonly targetUrl: string;
  readonly targetLabel: string;
  readonly jobId: number;
  /** The other jobs given: read before and after the run's writes, never written. */
  readonly otherJobIds: readonly number[];
  readonly missingJobId: number;
  /** The valid auth method that read the job at start-up (Basic where it works). */
  readonly preferredAuth: ValidAuth['kind'];
}

export interface CheckTally {
  pass: number;
  fail: number;
  /** Milliseconds: the time of the exchanges it judged (their requests' durations, added up). */
  ms?: number;
}

/** One case (a fixed case or a property): what each check said, and what failed. */
export interface CaseRecord {
  readonly group: string;
  readonly case: string;
  readonly tallies: Readonly<Record<string, CheckTally>>;
  readonly findings: readonly Finding[];
  /** Why the case could not finish (the target stopped answering, the run was interrupted, ...). */
  readonly error?: string;
  readonly requests: number;
}

/** Adds verdicts to a tally (a check that did not apply counts nowhere). */
export function addVerdicts(
  tallies: Record<string, CheckTally>,
  verdicts: ReadonlyArray<{ readonly checkId: string; readonly result: CheckResult }>,
  durationMs = 0,
): Record<string, CheckTally> {
  for (const { checkId, result } of verdicts) {
    if (result.status === 'not-applicable') continue;
    const tally = (tallies[checkId] ??= { pass: 0, fail: 0 });
    tally.ms = (tally.ms ?? 0) + durationMs;
    if (result.status === 'pass') tally.pass += 1;
    else tally.fail += 1;
  }
  return tallies;
}
