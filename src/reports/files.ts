/**
 * --report-dir: report.md (the terminal summary as Markdown), report.html (the same for a browser, self-contained:
 * html.ts), findings.json (the findings grouped: each group with its
 * count, its first examples whole and every case it occurred in) and junit.xml (one testcase per check), all written
 * by the run itself. One fault that breaks a check on every response is one group, so the files stay small.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Finding } from '../conformance/finding';
import { baselineLines, formatGroup, groupCount, plural } from './format';
import type { LoadedEntry } from '../conformance/baseline';
import { htmlReport } from './html';
import { junitXml } from './junit';
import { verdictText as verdict, type RunSummary } from './summary';

export { verdictText as verdict } from './summary';

/** Examples per group in report.md (the terminal shows one). */
const MARKDOWN_EXAMPLES = 2;

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
      (c) =>
        `| \`${c.id}\` | ${c.status === 'fail' ? '**FAIL**' : c.status === 'acknowledged' ? '*acknowledged*' : c.status} | ${c.pass} | ${c.fail} | ${c.rule.replace(/\|/g, '\\|')} |`,
    ),
    '',
  ];
  if (summary.targetDown) lines.push(`**The target stopped answering:** ${summary.targetDown}`, '');
  if (summary.stoppedEarly) lines.push(`**The run ${summary.stoppedEarly}.**`, '');
  if (summary.findingGroups.length > 0) {
    lines.push(
      `## Failures: ${plural(summary.findings.length, 'finding')} in ${plural(summary.findingGroups.length, 'group')}`,
      '',
      'A group is one check broken the same way (the same expected, the same kind of actual). findings.json has every case.',
      '',
    );
    for (const group of summary.findingGroups) {
      const heading = group.acknowledged ? `### Acknowledged: \`${group.checkId}\`` : `### \`${group.checkId}\``;
      lines.push(`${heading}: ${groupCount(group)}`, '', '```text', formatGroup(group, MARKDOWN_EXAMPLES), '```', '');
    }
  }
  if (summary.baseline) {
    const [head, ...entries] = baselineLines(summary.baseline);
    lines.push('## Baseline', '', head ?? '', '', ...entries.map((line) => `- ${line.trim()}`), '');
  }
  if (summary.aborts.length > 0) {
    lines.push('## Cases cut short', '', ...summary.aborts.map((a) => `- ${a.suite} › ${a.scenario}: ${a.error}`), '');
  }
  if (summary.settings.length > 0) {
    lines.push('## Settings', '', ...summary.settings.map((s) => `- ${s.name}: ${s.value}`), '');
  }
  return lines.join('\n');
}

function exampleJson(f: Finding, seed: number): Record<string, unknown> {
  return {
    suite: f.suite,
    scenario: f.scenario,
    expected: f.expected,
    actual: f.actual,
    request: f.request,
    response: f.response,
    seed: f.replay?.seed ?? seed,
    ...(f.replay ? { path: f.replay.path, counterexample: f.replay.counterexample, replay: f.replay.command } : {}),
    curl: f.curl,
  };
}

/** A baseline entry as written in its file, with its number there (from 1). */
function entryJson({ index, expired: _expired, ...entry }: LoadedEntry): Record<string, unknown> {
  return { entry: index + 1, ...entry };
}

/**
 * findings.json: `groups`, each a check broken one way: its count, the expected and the kind of actual, the first
 * examples whole (request, response, curl, and a property's seed, path and replay command), and `cases`: every case
 * it occurred in with its count (and a property's replay); an acknowledged group names its baseline entry. With
 * --baseline, `baseline` counts what it acknowledged and lists its stale and expired entries.
 */
export function findingsJson(summary: RunSummary): string {
  return `${compactJson(
    {
      target: summary.target,
      jobId: summary.jobId,
      checks: summary.checks.text,
      seed: summary.seed,
      runs: summary.runs,
      verdict: verdict(summary),
      findings: summary.findings.length,
      groups: summary.findingGroups.map((g) => ({
        checkId: g.checkId,
        group: g.group,
        rule: g.rule,
        count: g.count,
        expected: g.expected,
        actual: g.actualKind,
        ...(g.acknowledged ? { acknowledged: { entry: g.acknowledged.entry + 1, reason: g.acknowledged.reason, expires: g.acknowledged.expires } } : {}),
        examples: g.examples.map((f) => exampleJson(f, summary.seed)),
        cases: g.occurrences.map((o) => ({
          suite: o.suite,
          scenario: o.scenario,
          count: o.count,
          // A property's counterexample: LILT_REPLAY_PATH=<property>=<path> with the run's seed replays it.
          ...(o.replay
            ? {
                property: o.replay.property,
                path: o.replay.path,
                counterexample: o.replay.counterexample,
                ...(o.replay.seed === summary.seed ? {} : { seed: o.replay.seed }),
              }
            : {}),
        })),
      })),
      ...(summary.baseline
        ? {
            baseline: {
              file: summary.baseline.file,
              acknowledged: summary.baseline.acknowledged,
              stale: summary.baseline.stale.map(entryJson),
              expired: summary.baseline.expired.map(entryJson),
            },
          }
        : {}),
      ...(summary.aborts.length > 0 ? { cutShort: summary.aborts } : {}),
      ...(summary.stoppedEarly ? { stoppedEarly: summary.stoppedEarly } : {}),
    },
  )}\n`;
}

/** A flat object (strings, numbers, booleans, null only) as JSON.stringify indents it. */
const FLAT_OBJECT = /\{\n(?:[ ]+"(?:[^"\\]|\\.)*": (?:"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null),?\n)+[ ]*\}/g;

/** Indented JSON with each flat object (a case, a request, a response) on one line: readable, and a third smaller. */
export function compactJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(FLAT_OBJECT, (object) => {
    const flat = JSON.parse(object) as Record<string, unknown>;
    return `{ ${Object.entries(flat)
      .map(([key, v]) => `${JSON.stringify(key)}: ${JSON.stringify(v)}`)
      .join(', ')} }`;
  });
}

/** Writes report.md, report.html, findings.json and junit.xml; returns the paths written. */
export function writeReports(dir: string, summary: RunSummary): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const files: ReadonlyArray<readonly [string, string]> = [
    ['report.md', markdownReport(summary)],
    ['report.html', htmlReport(summary)],
    ['findings.json', findingsJson(summary)],
    ['junit.xml', junitXml(summary)],
  ];
  return files.map(([name, text]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  });
}
