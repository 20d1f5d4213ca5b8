/**
 * A baseline against a run's findings: which entry acknowledges a finding (it is still shown, as acknowledged, but no
 * longer fails the run, while anything new does), whether a finding fails the run, and what the baseline came to
 * (its stale and expired entries). The file itself is read with the configuration (src/config/baseline.ts).
 * `--write-baseline FILE` writes one from a run's findings (src/reports/baseline-file.ts).
 */
import type { Baseline, BaselineEntry, LoadedEntry } from '../config/baseline';
import type { Acknowledgement, Finding } from './finding';

export type { Acknowledgement } from './finding';
export type { Baseline, BaselineEntry, LoadedEntry } from '../config/baseline';

/**
 * A pattern where `*` is any text (possibly none) and everything else literal, matched against the whole text with
 * its runs of whitespace as one space. (Glob libraries treat `/` as a path separator; actuals are JSON pointers.)
 */
export function patternMatches(pattern: string, text: string): boolean {
  const flat = (s: string) => s.replace(/\s+/g, ' ').trim();
  const source = flat(pattern)
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 's').test(flat(text));
}

export function entryMatches(entry: BaselineEntry, finding: Pick<Finding, 'checkId' | 'group' | 'case' | 'actual'>): boolean {
  if (entry.check !== finding.checkId) return false;
  if (
    entry.case !== undefined &&
    !patternMatches(entry.case, finding.case) &&
    !patternMatches(entry.case, `${finding.group} › ${finding.case}`)
  ) {
    return false;
  }
  return entry.actual === undefined || patternMatches(entry.actual, finding.actual);
}

/** The first entry in force that matches, as the finding's acknowledgement. */
export function acknowledgementOf(baseline: Baseline | undefined, finding: Finding): Acknowledgement | undefined {
  const entry = baseline?.entries.find((e) => !e.expired && entryMatches(e, finding));
  if (entry === undefined) return undefined;
  return { entry: entry.index, reason: entry.reason, ...(entry.expires === undefined ? {} : { expires: entry.expires }) };
}

/** The record with each finding an entry acknowledges marked so (the others as they were). */
export function acknowledgeRecord<R extends { readonly findings: readonly Finding[] }>(record: R, baseline: Baseline | undefined): R {
  if (baseline === undefined || record.findings.length === 0) return record;
  return {
    ...record,
    findings: record.findings.map((finding) => {
      const acknowledged = acknowledgementOf(baseline, finding);
      return acknowledged === undefined ? finding : { ...finding, acknowledged };
    }),
  };
}

/** Whether a finding fails the run: every finding but an acknowledged one and an advisory (unless --fail-on-advisory). */
export function failsTheRun(finding: Finding): boolean {
  return finding.acknowledged === undefined && (finding.advisory === undefined || finding.advisory.failsTheRun);
}

/** What the baseline came to in a run: what it acknowledged, and its entries that are stale or expired. */
export interface BaselineOutcome {
  readonly file: string;
  readonly acknowledged: number;
  /** In force, for a selected check, and matched nothing this run. */
  readonly stale: readonly LoadedEntry[];
  readonly expired: readonly LoadedEntry[];
}

export function baselineOutcome(baseline: Baseline, findings: readonly Finding[], selectedChecks: readonly string[]): BaselineOutcome {
  const used = new Set(findings.flatMap((f) => (f.acknowledged === undefined ? [] : [f.acknowledged.entry])));
  return {
    file: baseline.file,
    acknowledged: findings.filter((f) => f.acknowledged !== undefined).length,
    stale: baseline.entries.filter((e) => !e.expired && selectedChecks.includes(e.check) && !used.has(e.index)),
    expired: baseline.entries.filter((e) => e.expired),
  };
}

/** An entry in words: "#2 semantics.id-matches-path, actual id "*" (reason)". */
export function describeEntry(entry: LoadedEntry): string {
  const parts = [`#${entry.index + 1} ${entry.check}`];
  if (entry.case !== undefined) parts.push(`case ${entry.case}`);
  if (entry.actual !== undefined) parts.push(`actual ${entry.actual}`);
  return `${parts.join(', ')} (${entry.reason}${entry.expires === undefined ? '' : `; expires ${entry.expires}`})`;
}

export const WRITTEN_REASON = 'TODO: say why this deviation is accepted, and by whom (written by --write-baseline)';
