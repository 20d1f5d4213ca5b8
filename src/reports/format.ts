/** A finding, or a pattern of them, as text for a person: the rule, expected and actual, the exchange trimmed, replay and curl. */
import { describeEntry, type BaselineOutcome } from '../case/baseline';
import type { Advisory, Finding, Replay } from '../case/finding';
import { replaysOf, type FindingPattern } from './patterns';

/** The lines of a finding after its heading: where, its sources (unless its group shows them), expected, actual, the exchange, replay, curl. */
function findingBody(finding: Finding, withSources = true): string[] {
  const { request, response } = finding;
  const lines = [
    `  in: ${finding.group} › ${finding.case}`,
    ...(withSources ? sourceLines(finding.sources) : []),
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
  if (finding.replay) lines.push(...replayLines(finding.replay));
  lines.push(`  reproduce: ${finding.curl}`);
  return lines;
}

/** Where the rule comes from, a line each: `  source:   OpenAPI #/...`. */
export function sourceLines(sources: readonly string[]): string[] {
  return sources.map((source, i) => `  ${i === 0 ? 'source:  ' : '         '} ${source}`);
}

/** An advisory's advice and why it is only advice. */
export function adviceLines(advisory: Advisory): string[] {
  return [
    `  advice:   ${advisory.statement}`,
    `  why only advice: ${advisory.reason}`,
    ...(advisory.failsTheRun ? ['  --fail-on-advisory: this advisory fails the run'] : []),
  ];
}

export function replayLines(replay: Replay): string[] {
  return [
    `  property: ${replay.property}, counterexample ${oneLine(replay.counterexample)}`,
    `  replay:   seed ${replay.seed}, path ${replay.path}: ${replay.command}`,
  ];
}

/** A check's short title: its rule up to the first clause break (a colon, a parenthesis, a semicolon, a sentence's end), at most 72 characters. */
export function shortTitle(rule: string): string {
  const cut = rule.search(/: | \(|; |\. |\.$| - /);
  const head = (cut === -1 ? rule : rule.slice(0, cut)).trim();
  return head.length > 72 ? `${head.slice(0, 71)}…` : head;
}

/** The cause of a pattern, from its first example: what a person reads first (check, rule, sources, expected, actual, request, curl). */
export interface Cause {
  readonly checkId: string;
  readonly rule: string;
  readonly sources: readonly string[];
  readonly expected: string;
  readonly actual: string;
  /** The request in one line: method, URL, auth, Content-Type and the body (cut). */
  readonly request: string;
  readonly curl: string;
}

export function causeOf(pattern: FindingPattern): Cause {
  const first = pattern.examples[0];
  const request = first === undefined ? '' : requestLine(first);
  return {
    checkId: pattern.checkId,
    rule: pattern.rule,
    sources: pattern.sources,
    expected: first?.expected ?? pattern.expected,
    actual: first === undefined ? pattern.actualKind : oneLine(first.actual),
    request,
    curl: first?.curl ?? '',
  };
}

function requestLine(finding: Finding): string {
  const { request } = finding;
  const body = request.body === undefined ? '' : ` body: ${oneLine(request.body)}`;
  return `${request.method} ${request.url} (${request.auth})${request.contentType ? ` Content-Type: ${request.contentType}` : ''}${body}`;
}

export function formatFinding(finding: Finding, indent = ''): string {
  return [`✗ ${finding.checkId}: ${finding.rule}`, ...findingBody(finding)].map((line) => `${indent}${line}`).join('\n');
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** How often and where: "129 findings in 53 cases". */
export function patternCount(group: FindingPattern): string {
  return `${plural(group.count, 'finding')} in ${plural(group.occurrences.length, 'case')}`;
}

/** A pattern: its heading, count and kind, then `examples` of its findings whole, the other replays, and where else. */
export function formatPattern(group: FindingPattern, examples = 1, casesShown = 6, replaysShown = 2): string {
  const shown = group.examples.slice(0, examples);
  const mark = group.advisory !== undefined && !group.advisory.failsTheRun ? '?' : group.acknowledged ? '~' : '✗';
  const lines = [
    `${mark} ${group.checkId}: ${group.rule}`,
    ...(group.advisory ? adviceLines(group.advisory) : []),
    ...(group.acknowledged ? [`  ACKNOWLEDGED (does not fail the run): ${acknowledgementText(group.acknowledged)}`] : []),
    `  ${patternCount(group)}; what came back, values aside: ${group.actualKind}`,
    ...sourceLines(group.sources),
  ];
  shown.forEach((finding, i) => {
    if (shown.length > 1) lines.push(`  example ${i + 1}:`);
    lines.push(...findingBody(finding, false));
  });
  const shownReplays = new Set(shown.flatMap((f) => (f.replay ? [`${f.replay.property}\u0000${f.replay.path}`] : [])));
  const replays = replaysOf(group).filter((replay) => !shownReplays.has(`${replay.property}\u0000${replay.path}`));
  for (const replay of replays.slice(0, replaysShown)) lines.push(...replayLines(replay));
  if (replays.length > replaysShown) lines.push(`  and ${replays.length - replaysShown} more property counterexamples (findings.json)`);
  const others = group.occurrences.filter((o) => !shown.some((f) => f.group === o.group && f.case === o.case));
  if (others.length > 0) {
    const listed = others.slice(0, casesShown).map((o) => `${o.group} › ${o.case}${o.count > 1 ? ` (${o.count})` : ''}`);
    const more = others.length > casesShown ? `; and ${others.length - casesShown} more cases (findings.json)` : '';
    lines.push(`  also in: ${listed.join('; ')}${more}`);
  }
  return lines.join('\n');
}

export function acknowledgementText(ack: NonNullable<FindingPattern['acknowledged']>): string {
  return `baseline entry #${ack.entry + 1}: ${ack.reason}${ack.expires === undefined ? '' : ` (until ${ack.expires})`}`;
}

/** The baseline's outcome: how much it acknowledged, then each stale and each expired entry, one line each. */
export function baselineLines(outcome: BaselineOutcome): string[] {
  return [
    `baseline ${outcome.file}: ${plural(outcome.acknowledged, 'finding')} acknowledged (shown, not failing the run)`,
    ...outcome.stale.map((entry) => `  stale: ${describeEntry(entry)} acknowledged nothing in this run; remove it`),
    ...outcome.expired.map((entry) => `  expired: ${describeEntry(entry)} has expired; its findings fail again`),
  ];
}

/** The properties seen to move on their own (a live job), and the findings withdrawn for them. */
export function liveLines(summary: { readonly live?: ReadonlyArray<{ readonly jobId: number; readonly properties: readonly string[] }>; readonly withdrawn: number }): string[] {
  const live = summary.live ?? [];
  if (live.length === 0) return [];
  const named = live.map((j) => `${j.properties.join(', ')} on job ${j.jobId}`).join('; ');
  const withdrawn = summary.withdrawn > 0 ? `; ${plural(summary.withdrawn, 'finding')} about them withdrawn` : '';
  return [`note: ${named} moved while the run sent the job nothing but reads (a live job): not judged${withdrawn}`];
}

function oneLine(text: string): string {
  const flat = text.replace(/\s*\n\s*/g, ' ');
  return flat.length > 300 ? `${flat.slice(0, 300)}... (${flat.length} chars)` : flat;
}
