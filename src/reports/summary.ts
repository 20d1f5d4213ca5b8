/**
 * What a run came to, from the cases it returned: per check, passes and failures; the findings, and the same grouped
 * (groups.ts); the counts; the settings. Every report is made from this.
 */
import type { CheckSelection } from '../config/run-config';
import { checksFor } from '../checks/registry';
import type { CheckGroup } from '../checks/types';
import type { Finding } from '../case/finding';
import type { CaseRecord } from '../case/record';
import { verdictOf, type RunResult, type Verdict } from '../run/run';
import { describeAbsent, describeOriginal } from '../run/job-guard';
import { START_UP_GROUP } from '../run/session/session';
import type { TransportCounters } from '../http/transport';
import { baselineOutcome, failsTheRun, type Baseline, type BaselineOutcome } from '../case/baseline';
import { patternsOf, type FindingPattern } from './patterns';
import { settingsOf, type Setting } from './settings';

export interface CheckSummary {
  readonly id: string;
  readonly group: CheckGroup;
  readonly rule: string;
  readonly pass: number;
  readonly fail: number;
  /** Milliseconds: the time of the exchanges it judged, added up (junit.xml's time of its testcase). */
  readonly timeMs: number;
  /** Of the failures, those the baseline acknowledges. */
  readonly acknowledged: number;
  /**
   * pass: judged and never failed; fail: failed at least once unacknowledged; acknowledged: failed, every failure
   * acknowledged by the baseline (it does not fail the run); unexercised: nothing it applies to was sent.
   */
  readonly status: 'pass' | 'fail' | 'acknowledged' | 'unexercised';
}

export interface RunSummary {
  readonly target: string;
  /** The tested operation, base path included: `PUT /v2/jobs/{jobId}`. */
  readonly operation: string;
  readonly jobId: number;
  readonly checks: CheckSelection;
  readonly seed: number;
  readonly runs: number;
  readonly durationMs: number;
  readonly requests: TransportCounters;
  /** The plan's cases that ran (the first read and the restore are not cases of the plan), as --dry-run counts them. */
  readonly cases: { readonly total: number; readonly failed: number; readonly aborted: number };
  readonly checkSummaries: readonly CheckSummary[];
  /** Every finding that fails the run or that the baseline acknowledges, in the order found (the per-case detail). */
  readonly findings: readonly Finding[];
  /** The findings grouped: what the reports show. */
  readonly findingPatterns: readonly FindingPattern[];
  /** Advisories: what the contract allows but the tool advises against; they fail nothing (not --fail-on-advisory). */
  readonly advisories: readonly Finding[];
  readonly advisoryPatterns: readonly FindingPattern[];
  /** Findings withdrawn before the verdict: each was only about properties that move on their own (a live job). */
  readonly withdrawn: number;
  readonly aborts: ReadonlyArray<{ readonly group: string; readonly case: string; readonly error: string }>;
  readonly targetDown: string | undefined;
  readonly restore: string;
  /** What the baseline acknowledged, and its stale and expired entries; undefined without --baseline. */
  readonly baseline: BaselineOutcome | undefined;
  /** Why the run stopped before its plan was done (--max-failures), as a line; undefined if it did not. */
  readonly stoppedEarly: string | undefined;
  /** The settings in words (no secret among them). */
  readonly settings: readonly Setting[];
  readonly verdict: Verdict;
  /** Job properties seen to move on their own, not judged, job by job. */
  readonly live?: ReadonlyArray<{ readonly jobId: number; readonly properties: readonly string[] }>;
}

export function summarize(
  cases: readonly CaseRecord[],
  base: Omit<RunSummary, 'cases' | 'checkSummaries' | 'findings' | 'findingPatterns' | 'advisories' | 'advisoryPatterns' | 'withdrawn' | 'aborts' | 'verdict' | 'baseline'> & {
    readonly verdict?: Verdict;
    readonly baseline?: Baseline | undefined;
    readonly withdrawn?: number;
  },
): RunSummary {
  const all = cases.flatMap((c) => c.findings);
  // An advisory that fails nothing is reported apart; with --fail-on-advisory it is a finding like any other.
  const isAdvice = (f: Finding) => f.advisory !== undefined && !f.advisory.failsTheRun;
  const findings = all.filter((f) => !isAdvice(f));
  const advisories = all.filter(isAdvice);
  const totals = new Map<string, { pass: number; fail: number; timeMs: number }>();
  for (const record of cases) {
    for (const [id, tally] of Object.entries(record.tallies)) {
      const t = totals.get(id) ?? { pass: 0, fail: 0, timeMs: 0 };
      t.pass += tally.pass;
      t.fail += tally.fail;
      t.timeMs += tally.ms ?? 0;
      totals.set(id, t);
    }
  }
  const checkSummaries = checksFor(base.checks).map(
    (check): CheckSummary => {
      const t = totals.get(check.id) ?? { pass: 0, fail: 0, timeMs: 0 };
      const own = findings.filter((f) => f.checkId === check.id);
      const acknowledged = own.filter((f) => !failsTheRun(f)).length;
      // An advisory under --fail-on-advisory fails its check without a failing verdict of its own.
      const failing = own.some(failsTheRun) || (t.fail > 0 && (acknowledged === 0 || t.fail > own.length));
      return {
        id: check.id,
        group: check.group,
        rule: check.rule,
        ...t,
        acknowledged,
        status: failing ? 'fail' : t.fail > 0 ? 'acknowledged' : t.pass > 0 ? 'pass' : 'unexercised',
      };
    },
  );
  const planned = cases.filter((c) => c.group !== START_UP_GROUP);
  return {
    ...base,
    baseline: base.baseline === undefined ? undefined : baselineOutcome(base.baseline, findings, checkSummaries.map((c) => c.id)),
    verdict: base.verdict ?? verdictOf(cases, planned.length, base.targetDown, undefined),
    cases: {
      total: planned.length,
      failed: planned.filter((c) => c.findings.some((f) => !isAdvice(f))).length,
      aborted: planned.filter((c) => c.error !== undefined).length,
    },
    checkSummaries,
    findings,
    findingPatterns: patternsOf(findings, checkSummaries.map((c) => c.id)),
    advisories,
    advisoryPatterns: patternsOf(advisories, checkSummaries.map((c) => c.id)),
    withdrawn: base.withdrawn ?? 0,
    aborts: cases.flatMap((c) => (c.error === undefined ? [] : [{ group: c.group, case: c.case, error: c.error }])),
  };
}

/**
 * The line the reports give the job: what was put back, or why not. It never says "restored" of a field that was not:
 * a field the job lacked was never written, and is named as such.
 */
export function restoreLine(result: RunResult): string {
  const restore = result.restore;
  if (restore.kind === 'nothing-written') return 'nothing written, nothing to restore';
  const notes = [describeAbsent(restore.original), restore.otherWriter ?? ''].filter((note) => note !== '');
  const tail = notes.map((note) => `; ${note}`).join('');
  if (restore.kind === 'failed') return `RESTORE FAILED (${restore.reason})${tail}`;
  const tries = restore.retries > 0 ? ` (after ${restore.retries} retr${restore.retries === 1 ? 'y' : 'ies'} within --restore-timeout)` : '';
  return `restored (${describeOriginal(restore.original)}) and read back${tries}${tail}`;
}

export function summaryOf(result: RunResult): RunSummary {
  return summarize(result.cases, {
    target: result.target,
    operation: result.operation,
    jobId: result.jobId,
    checks: result.config.checks,
    seed: result.config.seed,
    runs: result.config.runs,
    durationMs: result.durationMs,
    requests: result.counters,
    targetDown: result.targetDown,
    restore: restoreLine(result),
    baseline: result.config.baseline,
    stoppedEarly:
      result.stoppedEarly === undefined
        ? undefined
        : `stopped after ${result.stoppedEarly.failedChecks.length} failing checks (--max-failures ${result.stoppedEarly.limit}); the cases not started did not run`,
    settings: settingsOf(result.config, result.target),
    verdict: result.verdict,
    live: result.live,
    withdrawn: result.withdrawn.length,
  });
}

export function verdictText(summary: Pick<RunSummary, 'verdict'> & { readonly baseline?: BaselineOutcome | undefined }): string {
  const acknowledged = summary.baseline?.acknowledged ?? 0;
  const withBaseline = acknowledged > 0 ? ` (${acknowledged === 1 ? '1 finding' : `${acknowledged} findings`} acknowledged by the baseline)` : '';
  switch (summary.verdict.kind) {
    case 'conformant':
      return `conformant${withBaseline}`;
    case 'not-conformant':
      return `NOT conformant${withBaseline}`;
    case 'no-verdict':
      return `no verdict: ${summary.verdict.reason}`;
  }
}
