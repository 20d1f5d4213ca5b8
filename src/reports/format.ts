/** A finding as text for a person: the rule, expected and actual, the exchange trimmed, replay and curl. */
import type { Finding } from '../conformance/finding';

export function formatFinding(finding: Finding, indent = ''): string {
  const { request, response } = finding;
  const lines = [
    `✗ ${finding.checkId}: ${finding.rule}`,
    `  in: ${finding.suite} › ${finding.scenario}`,
    `  expected: ${finding.expected}`,
    `  actual:   ${finding.actual}`,
    `  request:  ${request.method} ${request.url} (${request.auth})${request.contentType ? ` Content-Type: ${request.contentType}` : ''}`,
  ];
  if (request.body !== undefined) lines.push(`            body: ${oneLine(request.body)}`);
  lines.push(
    response.noAnswer !== undefined
      ? `  response: none after ${response.durationMs} ms (${response.noAnswer})`
      : `  response: ${response.status}${response.contentType ? ` ${response.contentType}` : ''} (${response.durationMs} ms) ${oneLine(response.body)}`,
  );
  if (finding.replay) {
    lines.push(
      `  property: ${finding.replay.property}, counterexample ${oneLine(finding.replay.counterexample)}`,
      `  replay:   seed ${finding.replay.seed}, path ${finding.replay.path}: ${finding.replay.command}`,
    );
  }
  lines.push(`  reproduce: ${finding.curl}`);
  return lines.map((line) => `${indent}${line}`).join('\n');
}

function oneLine(text: string): string {
  const flat = text.replace(/\s*\n\s*/g, ' ');
  return flat.length > 300 ? `${flat.slice(0, 300)}... (${flat.length} chars)` : flat;
}
