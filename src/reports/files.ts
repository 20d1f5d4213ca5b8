/**
 * --report-dir: report.md (the terminal summary as Markdown), findings.json (one entry per failure: check id,
 * request, response, seed, curl) and junit.xml (one testcase per check), all written by the run itself.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatFinding } from './format';
import { junitXml } from './junit';
import { verdictText as verdict, type RunSummary } from './summary';

export { verdictText as verdict } from './summary';

export function markdownReport(summary: RunSummary): string {
  const lines = [
    `# Conformance of PUT /v2/jobs/{jobId}`,
    '',
    `Target: ${summary.target}, job ${summary.jobId}. Checks: ${summary.checks.text}. Seed ${summary.seed}, ${summary.runs} runs per property.`,
    `${summary.requests.sent} requests, ${summary.requests.throttled} throttled (429), ${summary.requests.timeouts} timed out, ${(summary.durationMs / 1000).toFixed(1)} s.`,
    `Verdict: ${verdict(summary)}. Job ${summary.jobId}: ${summary.restore}.`,
    '',
    '| check | result | pass | fail | rule |',
    '| --- | --- | ---: | ---: | --- |',
    ...summary.checkSummaries.map(
      (c) => `| \`${c.id}\` | ${c.status === 'fail' ? '**FAIL**' : c.status} | ${c.pass} | ${c.fail} | ${c.rule.replace(/\|/g, '\\|')} |`,
    ),
    '',
  ];
  if (summary.targetDown) lines.push(`**The target stopped answering:** ${summary.targetDown}`, '');
  if (summary.findings.length > 0) {
    lines.push(`## Failures (${summary.findings.length})`, '');
    for (const finding of summary.findings) lines.push('```text', formatFinding(finding), '```', '');
  }
  return lines.join('\n');
}

export function findingsJson(summary: RunSummary): string {
  return `${JSON.stringify(
    {
      target: summary.target,
      jobId: summary.jobId,
      seed: summary.seed,
      runs: summary.runs,
      verdict: verdict(summary),
      findings: summary.findings.map((f) => ({
        checkId: f.checkId,
        rule: f.rule,
        expected: f.expected,
        actual: f.actual,
        suite: f.suite,
        scenario: f.scenario,
        request: f.request,
        response: f.response,
        seed: f.replay?.seed ?? summary.seed,
        ...(f.replay ? { path: f.replay.path, counterexample: f.replay.counterexample, replay: f.replay.command } : {}),
        curl: f.curl,
      })),
    },
    null,
    2,
  )}\n`;
}

/** Writes report.md, findings.json and junit.xml; returns the paths written. */
export function writeReports(dir: string, summary: RunSummary): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const files: ReadonlyArray<readonly [string, string]> = [
    ['report.md', markdownReport(summary)],
    ['findings.json', findingsJson(summary)],
    ['junit.xml', junitXml(summary)],
  ];
  return files.map(([name, text]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  });
}
