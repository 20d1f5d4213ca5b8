/**
 * `--write-baseline FILE`: a baseline (src/case/baseline.ts) from a run's findings, for a team to review: each
 * group of findings the run's baseline did not acknowledge becomes an entry with its check, its kind of actual as the
 * pattern (values as `*`) and a reason to fill in, one entry for every group with the same check and pattern; the
 * entries that did acknowledge something are kept as they were.
 * Stale and expired entries are left out. Nothing in it is a secret: actuals are stored redacted.
 */
import { WRITTEN_REASON, type Baseline, type BaselineEntry } from '../case/baseline';
import type { FindingPattern } from './patterns';

/** The kind of an actual (groups.ts) as a pattern: each value a `*`; a kind cut at its length limit ends in one. */
export function patternOfKind(kind: string): string {
  const pattern = kind.replace(/<string>|<number>/g, '*').replace(/\*+/g, '*');
  return kind.length >= 400 && !pattern.endsWith('*') ? `${pattern}*` : pattern;
}

export function baselineFileText(groups: readonly FindingPattern[], baseline: Baseline | undefined): string {
  const entries: BaselineEntry[] = [];
  const kept = new Set<number>();
  for (const group of groups) {
    if (group.acknowledged !== undefined) {
      const entry = baseline?.entries[group.acknowledged.entry];
      if (entry === undefined || kept.has(entry.index)) continue;
      kept.add(entry.index);
      const { index: _index, expired: _expired, ...asWritten } = entry;
      entries.push(asWritten);
      continue;
    }
    // Patterns of one check that differ only in what the entry does not name (their cases) are one entry.
    const entry = { check: group.checkId, actual: patternOfKind(group.actualKind), reason: WRITTEN_REASON };
    if (entries.some((e) => e.check === entry.check && e.actual === entry.actual && e.case === undefined && e.reason === WRITTEN_REASON)) continue;
    entries.push(entry);
  }
  const about =
    'Acknowledged deviations of this target from the contract (lilt-conformance --baseline). Written by --write-baseline: ' +
    'review each entry, give it a real reason (and an "expires" date, YYYY-MM-DD, if it should not last), narrow it with a ' +
    '"case" pattern if it should; `*` in a pattern stands for any text.';
  return `${JSON.stringify({ about, acknowledged: entries }, null, 2)}\n`;
}
