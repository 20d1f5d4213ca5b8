/**
 * The run's record of its cases, in order: the first read first, each case as it ends, the side records (the marker's
 * writes, the probe sections' read-backs, the watch of live properties) and the restore last. It acknowledges what
 * the baseline names, counts what ran and what failed, and tells when --max-failures is reached.
 */
import { acknowledgeRecord, failsTheRun, type Baseline } from '../case/baseline';
import type { CaseRecord } from '../case/record';

export class RunLedger {
  readonly records: CaseRecord[] = [];
  /** Cases of the plan that ran (to their end or cut short). */
  done = 0;
  /** Of those, the ones with a finding that fails the run. */
  failing = 0;
  /** The checks failed so far (for --max-failures). */
  private readonly failedChecks = new Set<string>();

  constructor(private readonly baseline: Baseline | undefined) {}

  /** Adds a record of the run (not a case of the plan: the first read, a side record, the restore). */
  add(record: CaseRecord): CaseRecord {
    const acknowledged = acknowledgeRecord(record, this.baseline);
    this.records.push(acknowledged);
    this.count(acknowledged);
    return acknowledged;
  }

  /** Adds a case of the plan. */
  addCase(record: CaseRecord): CaseRecord {
    const added = this.add(record);
    this.done += 1;
    if (added.findings.some(failsTheRun)) this.failing += 1;
    return added;
  }

  private count(record: CaseRecord): void {
    for (const finding of record.findings) if (failsTheRun(finding)) this.failedChecks.add(finding.checkId);
  }

  /** The checks failed so far, sorted. */
  failed(): string[] {
    return [...this.failedChecks].sort();
  }

  /** Puts the records added since `from` in the order of `order` (cases end in any order side by side). */
  reorderSince(from: number, order: (record: CaseRecord) => number): CaseRecord[] {
    const group = this.records.splice(from).sort((a, b) => order(a) - order(b));
    this.records.push(...group);
    return group;
  }

  /** Replaces every record (after findings were withdrawn). */
  replace(records: readonly CaseRecord[]): void {
    this.records.splice(0, this.records.length, ...records);
  }
}
