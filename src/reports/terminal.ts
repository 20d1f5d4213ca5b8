/**
 * The end of a run on the terminal: the table of checks, each pattern of findings (the same check broken the same way)
 * with one example, the counts, the verdict.
 */
import { baselineLines, formatPattern, liveLines, plural } from './format';
import type { RunSummary } from './summary';

export function checkTable(summary: RunSummary): string[] {
  const width = Math.max(...summary.checkSummaries.map((c) => c.id.length), 5);
  const lines = [`  ${'check'.padEnd(width)}  result          pass   fail`];
  for (const c of summary.checkSummaries) {
    const mark = { pass: '✓ pass', fail: '✗ FAIL', acknowledged: '~ acknowledged', unexercised: '- none' }[c.status];
    lines.push(`  ${c.id.padEnd(width)}  ${mark.padEnd(14)} ${String(c.pass).padStart(5)}  ${String(c.fail).padStart(5)}`);
  }
  return lines;
}

export function formatTerminalReport(summary: RunSummary): string {
  const lines: string[] = ['', `Conformance of ${summary.operation} on ${summary.target} (job ${summary.jobId})`, ''];
  lines.push(...checkTable(summary), '');
  const patterns = summary.findingPatterns;
  if (patterns.length > 0) {
    lines.push(
      `Failures: ${plural(summary.findings.length, 'finding')} in ${plural(patterns.length, 'pattern')} (a pattern: one check broken the same way; one example each, every case in --report-dir findings.json):`,
      '',
    );
    for (const pattern of patterns) lines.push(formatPattern(pattern), '');
  }
  if (summary.advisoryPatterns.length > 0) {
    lines.push(
      `Advisories: ${plural(summary.advisories.length, 'finding')} in ${plural(summary.advisoryPatterns.length, 'pattern')} (the contract allows these; they fail nothing unless --fail-on-advisory):`,
      '',
    );
    for (const pattern of summary.advisoryPatterns) lines.push(formatPattern(pattern), '');
  }
  if (summary.baseline) lines.push(...baselineLines(summary.baseline), '');
  for (const abort of summary.aborts) lines.push(`! ${abort.group} › ${abort.case}: ${abort.error}`);
  lines.push(...liveLines(summary));
  if (summary.stoppedEarly) lines.push(`! ${summary.stoppedEarly}`);
  const r = summary.requests;
  lines.push(
    `${summary.cases.total} cases (and the first read and the restore), ${summary.cases.failed} with findings, ${summary.cases.aborted} aborted; ` +
      `${r.sent} requests sent, ${r.throttled} throttled (429), ${r.timeouts} timed out; ` +
      `${(summary.durationMs / 1000).toFixed(1)} s; seed ${summary.seed}, ${summary.runs} runs per property`,
  );
  lines.push(`job ${summary.jobId}: ${summary.restore}`);
  return `${lines.join('\n')}\n`;
}
