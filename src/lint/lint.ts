/**
 * The spec lint's runner: every rule over the document, each finding judged against the baseline (new, or acknowledged
 * with its reason), and the baseline entries that no longer match anything (stale).
 */
import type { Contract } from '../contract/load';
import { writtenPointer } from '../contract/pointers';
import { matches, type BaselineEntry } from './baseline';
import { lintRules } from './rules';
import type { LintFinding, LintRule } from './types';
import { buildLintContext } from './walk';

export type JudgedFinding = LintFinding &
  ({ readonly status: 'new' } | { readonly status: 'acknowledged'; readonly reason: string });

export interface LintReport {
  readonly findings: readonly JudgedFinding[];
  /** Baseline entries that no finding matches any more: the provider fixed something, or the entry is wrong. */
  readonly stale: readonly BaselineEntry[];
  readonly newCount: number;
}

export function lintContract(
  contract: Contract,
  baseline: readonly BaselineEntry[],
  rules: readonly LintRule[] = lintRules,
): LintReport {
  const context = buildLintContext(contract);
  const findings: JudgedFinding[] = rules
    .flatMap((rule) => rule.run(context))
    // Pointers into the document as the person wrote it (a Swagger 2.0 one, not its conversion).
    .map((finding) => ({ ...finding, pointer: writtenPointer(contract, finding.pointer) }))
    .map((finding) => {
      const entry = baseline.find((candidate) => matches(candidate, finding));
      return entry ? { ...finding, status: 'acknowledged', reason: entry.reason } : { ...finding, status: 'new' };
    });
  const stale = baseline.filter((entry) => !findings.some((finding) => matches(entry, finding)));
  return { findings, stale, newCount: findings.filter((finding) => finding.status === 'new').length };
}

export function formatLintReport(report: LintReport, baselineName: string): string {
  const lines: string[] = [];
  for (const f of report.findings) {
    const tag = f.status === 'new' ? 'NEW' : 'acknowledged';
    lines.push(`${f.severity.padEnd(7)} ${f.rule}  ${f.name}: ${f.message}`);
    lines.push(`        at #${f.pointer}  [${tag}${f.status === 'acknowledged' ? `: ${f.reason}` : ''}]`);
  }
  for (const entry of report.stale) {
    lines.push(`note    ${baselineName} acknowledges ${entry.rule} at #${entry.pointer}, which is no longer found: remove the entry`);
  }
  const errors = report.findings.filter((f) => f.severity === 'error').length;
  const warnings = report.findings.length - errors;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  lines.push(
    `${plural(report.findings.length, 'finding')} (${plural(errors, 'error')}, ${plural(warnings, 'warning')}): ${report.findings.length - report.newCount} acknowledged in ${baselineName}, ${report.newCount} new`,
  );
  if (report.newCount > 0) {
    lines.push('New findings fail the lint: fix the document, or acknowledge them in the baseline with a reason.');
  }
  return lines.join('\n');
}
