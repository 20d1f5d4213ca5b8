/**
 * GitHub Actions workflow commands for the failures (printed by the CLI when GITHUB_ACTIONS=true): one `::error` a
 * failing check, titled with its id and short title, its message the first example's cause (expected, actual, the
 * rule, its source, the request and the curl line). Escaped as the runner reads them: `%`, CR and LF in the message;
 * also `:` and `,` in a property (the title). Like every line the CLI prints, it passes the run's redaction of the key.
 */
import { causeOf, shortTitle } from './format';
import type { RunSummary } from './summary';

/** A workflow command's message: `%`, CR and LF escaped (the runner's own rule). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A workflow command's property value: as a message, and `:` and `,` too. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** The `::error` lines of a run's failures (acknowledged and advisory patterns are not failures), one a failing check. */
export function workflowAnnotations(summary: RunSummary): string {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const pattern of summary.findingPatterns) {
    if (pattern.acknowledged !== undefined || seen.has(pattern.checkId)) continue;
    seen.add(pattern.checkId);
    const cause = causeOf(pattern);
    const title = `lilt-conformance ${cause.checkId}: ${shortTitle(cause.rule)}`;
    const message = [
      `expected: ${cause.expected}`,
      `actual: ${cause.actual}`,
      `rule: ${cause.rule}`,
      ...cause.sources.slice(0, 1).map((source) => `source: ${source}`),
      `request: ${cause.request}`,
      `reproduce: ${cause.curl}`,
    ].join('\n');
    lines.push(`::error title=${escapeProperty(title)}::${escapeData(message)}\n`);
  }
  return lines.join('');
}
