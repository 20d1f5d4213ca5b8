/**
 * --report-dir: report.md (the terminal summary as Markdown), report.html (the same for a browser, self-contained:
 * html.ts), findings.json (the findings grouped: each group with its
 * count, its first examples whole and every case it occurred in) and junit.xml (one testcase per check), all written
 * by the run itself, through the run's one redaction of the key. One fault that breaks a check on every response is
 * one pattern, so the files stay small.
 *
 * The directory is made and probed (a file written and removed, within REPORT_DIR_TIMEOUT_MS) before the run's first
 * request, so that a directory that cannot be written costs nothing: one line, exit 2, nothing sent. Every file
 * operation is asynchronous and bounded: none can hold the process past a signal.
 */
import { randomBytes } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { UserError } from '../errors';
import type { Finding } from '../case/finding';
import { baselineLines, causeOf, formatPattern, patternCount, liveLines, plural, shortTitle } from './format';
import type { LoadedEntry } from '../case/baseline';
import type { FindingPattern } from './patterns';
import { htmlReport } from './html';
import { junitXml } from './junit';
import { verdictText as verdict, type RunSummary } from './summary';

export { verdictText as verdict } from './summary';

/** Examples per pattern in report.md (the terminal shows one). */
const MARKDOWN_EXAMPLES = 2;

/** Markdown inline code holding any text: a fence longer than any run of backticks in it, and no line break. */
function mdCode(text: string): string {
  const flat = text.replace(/\s*\n\s*/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${flat.startsWith('`') || flat.endsWith('`') ? ` ${flat} ` : flat}${fence}`;
}

/** Markdown text (mid-line, outside a table) with the characters that would start markup there escaped. */
export function mdText(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/([\\`*_{}[\]<>])/g, '\\$1');
}

/** A pattern's cause as a list a person reads first: check, rule, sources, expected, actual, the request, the curl line. */
function causeMarkdown(pattern: FindingPattern): string[] {
  const cause = causeOf(pattern);
  return [
    `- **check:** ${mdCode(cause.checkId)}: ${mdText(shortTitle(cause.rule))}`,
    `- **rule:** ${mdText(cause.rule)}`,
    `- **source:** ${cause.sources.map(mdText).join('; ')}`,
    `- **expected:** ${mdCode(cause.expected)}`,
    `- **actual:** ${mdCode(cause.actual)}`,
    `- **request:** ${mdCode(cause.request)}`,
    `- **reproduce:** ${mdCode(cause.curl)}`,
  ];
}

function patternsMarkdown(title: string, patterns: readonly FindingPattern[], heading: (pattern: FindingPattern) => string, intro: string): string[] {
  if (patterns.length === 0) return [];
  const lines = [title, '', intro, ''];
  for (const pattern of patterns) {
    lines.push(`### ${heading(pattern)}: ${patternCount(pattern)}`, '', ...causeMarkdown(pattern), '');
    const text = formatPattern(pattern, MARKDOWN_EXAMPLES);
    const fence = '`'.repeat(Math.max(3, ...(text.match(/`{3,}/g) ?? []).map((run) => run.length + 1)));
    lines.push('<details><summary>every example and case</summary>', '', `${fence}text`, text, fence, '', '</details>', '');
  }
  return lines;
}

/**
 * report.md (the CI job summary): the verdict in a line, then the failures, each with its cause first (check, rule,
 * source, expected, actual, request, curl), then the advisories, then the checks table (the passing ones), then the rest.
 */
export function markdownReport(summary: RunSummary): string {
  const failing = summary.findingPatterns.filter((g) => !g.acknowledged);
  const acknowledged = summary.findingPatterns.filter((g) => g.acknowledged);
  const failed = summary.checkSummaries.filter((c) => c.status === 'fail').length;
  const lines = [
    `# Conformance of ${summary.operation}: ${verdict(summary)}`,
    '',
    `${plural(failed, 'failing check')} of ${summary.checkSummaries.length}; job ${summary.jobId}: ${summary.restore}.`,
    '',
  ];
  if (summary.targetDown) lines.push(`**The target stopped answering:** ${summary.targetDown}`, '');
  if (summary.stoppedEarly) lines.push(`**The run ${summary.stoppedEarly}.**`, '');
  lines.push(
    ...patternsMarkdown(
      `## Failures: ${plural(failing.reduce((n, g) => n + g.count, 0), 'finding')} in ${plural(failing.length, 'pattern')}`,
      failing,
      (g) => `✗ \`${g.checkId}\``,
      'A pattern is one check broken the same way (the same expected, the same kind of actual). findings.json has every case.',
    ),
    ...patternsMarkdown(
      `## Advisories: ${plural(summary.advisories.length, 'finding')} in ${plural(summary.advisoryPatterns.length, 'pattern')}`,
      summary.advisoryPatterns,
      (g) => `Advisory: \`${g.checkId}\``,
      'What the contract allows but the tool advises against, each with why it is only advice. Advisories fail nothing unless `--fail-on-advisory` is given.',
    ),
    ...patternsMarkdown('## Acknowledged (baseline)', acknowledged, (g) => `Acknowledged: \`${g.checkId}\``, 'Findings the baseline acknowledges: shown, they do not fail the run.'),
    '## Checks',
    '',
    '| check | result | pass | fail | rule |',
    '| --- | --- | ---: | ---: | --- |',
    ...summary.checkSummaries.map(
      (c) =>
        `| \`${c.id}\` | ${c.status === 'fail' ? '**FAIL**' : c.status === 'acknowledged' ? '*acknowledged*' : c.status} | ${c.pass} | ${c.fail} | ${c.rule.replace(/\|/g, '\\|')} |`,
    ),
    '',
    `Target: ${summary.target}, job ${summary.jobId}. Checks: ${summary.checks.text}. Seed ${summary.seed}, ${summary.runs} runs per property.`,
    `${summary.requests.sent} requests, ${summary.requests.throttled} throttled (429), ${summary.requests.timeouts} timed out, ${(summary.durationMs / 1000).toFixed(1)} s.`,
    `Verdict: ${verdict(summary)}. Job ${summary.jobId}: ${summary.restore}.`,
    '',
  );
  const live = liveLines(summary);
  if (live.length > 0) lines.push(...live.map((line) => line.replace(/^note: /, '**Live job:** ')), '');
  if (summary.baseline) {
    const [head, ...entries] = baselineLines(summary.baseline);
    lines.push('## Baseline', '', head ?? '', '', ...entries.map((line) => `- ${line.trim()}`), '');
  }
  if (summary.aborts.length > 0) {
    lines.push('## Cases cut short', '', ...summary.aborts.map((a) => `- ${a.group} › ${a.case}: ${a.error}`), '');
  }
  if (summary.settings.length > 0) {
    lines.push('## Settings', '', ...summary.settings.map((s) => `- ${s.name}: ${s.value}`), '');
  }
  return lines.join('\n');
}

function exampleJson(f: Finding, seed: number): Record<string, unknown> {
  return {
    group: f.group,
    case: f.case,
    rules: f.rules,
    expected: f.expected,
    actual: f.actual,
    request: f.request,
    response: f.response,
    seed: f.replay?.seed ?? seed,
    ...(f.replay ? { path: f.replay.path, counterexample: f.replay.counterexample, replay: f.replay.command } : {}),
    curl: f.curl,
  };
}

/** One pattern of findings (or of advisories) in findings.json. */
function patternJson(g: FindingPattern, seed: number): Record<string, unknown> {
  return {
    checkId: g.checkId,
    group: g.checkGroup,
    rule: g.rule,
    sources: g.sources,
    ...(g.advisory ? { advice: g.advisory.statement, why: g.advisory.reason, failsTheRun: g.advisory.failsTheRun } : {}),
    count: g.count,
    expected: g.expected,
    actual: g.actualKind,
    ...(g.acknowledged ? { acknowledged: { entry: g.acknowledged.entry + 1, reason: g.acknowledged.reason, expires: g.acknowledged.expires } } : {}),
    examples: g.examples.map((f) => exampleJson(f, seed)),
    cases: g.occurrences.map((o) => ({
      group: o.group,
      case: o.case,
      count: o.count,
      // A property's counterexample: LILT_REPLAY_PATH=<property>=<path> with the run's seed replays it.
      ...(o.replay
        ? {
            property: o.replay.property,
            path: o.replay.path,
            counterexample: o.replay.counterexample,
            ...(o.replay.seed === seed ? {} : { seed: o.replay.seed }),
          }
        : {}),
    })),
  };
}

/** A baseline entry as written in its file, with its number there (from 1). */
function entryJson({ index, expired: _expired, ...entry }: LoadedEntry): Record<string, unknown> {
  return { entry: index + 1, ...entry };
}

/**
 * findings.json: `patterns`, each a check broken one way: its count, the expected and the kind of actual, the first
 * examples whole (request, response, curl, and a property's seed, path and replay command), and `cases`: every case
 * it occurred in with its count (and a property's replay); an acknowledged pattern names its baseline entry. With
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
      patterns: summary.findingPatterns.map((g) => patternJson(g, summary.seed)),
      advisories: summary.advisoryPatterns.map((g) => patternJson(g, summary.seed)),
      ...(summary.live !== undefined && summary.live.length > 0 ? { live: summary.live, withdrawn: summary.withdrawn } : {}),
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

/** How long the probe of the report directory (and each report file's write) may take: a hung mount is an error. */
export const REPORT_DIR_TIMEOUT_MS = 5_000;

async function bounded<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`${what} took longer than ${ms} ms`), { code: 'ETIMEDOUT' })), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A file-system error in words a person can act on. */
function describeFsError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'ENOENT: it cannot be made there';
    case 'ENOTDIR':
      return 'ENOTDIR: a parent is a file, not a directory';
    case 'EEXIST':
      return 'EEXIST: the path is taken by a file or a dangling symlink';
    case 'EACCES':
    case 'EPERM':
      return `${code}: not allowed to write there`;
    case 'EROFS':
      return 'EROFS: a read-only file system';
    case 'ENOSPC':
      return 'ENOSPC: no space left on the device';
    case 'ETIMEDOUT':
      return `no answer from the file system within ${REPORT_DIR_TIMEOUT_MS} ms`;
    default:
      return typeof code === 'string' ? code : String((error as { message?: unknown } | null)?.message ?? error);
  }
}

/**
 * `mkdir -p`, one level at a time and never retried. Node's own `recursive: true` loops for ever where a directory
 * cannot be made but its parent exists (`/proc/xyz`: ENOENT, then EEXIST for /proc, then ENOENT again...), in a
 * thread a timeout cannot stop and that keeps the process from exiting.
 */
async function makeDirectory(dir: string): Promise<void> {
  const missing: string[] = [];
  let at = path.resolve(dir);
  for (;;) {
    const stat = await fsp.stat(at).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (stat !== undefined) {
      if (!stat.isDirectory()) throw Object.assign(new Error(`${at} is not a directory`), { code: at === path.resolve(dir) ? 'EEXIST' : 'ENOTDIR' });
      break;
    }
    missing.unshift(at);
    const parent = path.dirname(at);
    if (parent === at) break;
    at = parent;
  }
  for (const level of missing) {
    await fsp.mkdir(level).catch(async (error: NodeJS.ErrnoException) => {
      // Made meanwhile by someone else: fine if it is a directory now.
      if (error.code === 'EEXIST' && (await fsp.stat(level).catch(() => undefined))?.isDirectory() === true) return;
      throw error;
    });
  }
}

/**
 * Makes the report directory and proves it can be written: a probe file written and removed, within a timeout.
 * Throws a UserError (exit 2) saying why not; called before the run's first request.
 */
export async function prepareReportDir(dir: string, timeoutMs = REPORT_DIR_TIMEOUT_MS): Promise<void> {
  const probe = path.join(dir, `.lilt-conformance-probe-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await bounded(
      (async () => {
        await makeDirectory(dir);
        await fsp.writeFile(probe, 'lilt-conformance: can the reports be written here?\n', { flag: 'wx' });
      })(),
      timeoutMs,
      'the probe',
    );
  } catch (error) {
    throw new UserError(
      `--report-dir ${dir} cannot be written (${describeFsError(error)}); nothing was sent. Pass a directory this user can make and write, or leave --report-dir out`,
    );
  } finally {
    await bounded(fsp.rm(probe, { force: true }), timeoutMs, 'removing the probe').catch(() => undefined);
  }
}

export type ReportsWritten =
  | { readonly kind: 'written'; readonly files: readonly string[] }
  /** `files`: those written before the failure (still scanned for the key). */
  | { readonly kind: 'failed'; readonly files: readonly string[]; readonly reason: string };

/** Writes report.md, report.html, findings.json and junit.xml, each through `redact`; says which were written, or why not all. */
export async function writeReports(dir: string, summary: RunSummary, redact: (text: string) => string = (text) => text): Promise<ReportsWritten> {
  const files: ReadonlyArray<readonly [string, () => string]> = [
    ['report.md', () => markdownReport(summary)],
    ['report.html', () => htmlReport(summary)],
    ['findings.json', () => findingsJson(summary)],
    ['junit.xml', () => junitXml(summary)],
  ];
  const written: string[] = [];
  try {
    await bounded(makeDirectory(dir), REPORT_DIR_TIMEOUT_MS, 'making the directory');
    for (const [name, text] of files) {
      const file = path.join(dir, name);
      await bounded(fsp.writeFile(file, redact(text())), REPORT_DIR_TIMEOUT_MS, `writing ${name}`);
      written.push(file);
    }
    return { kind: 'written', files: written };
  } catch (error) {
    return { kind: 'failed', files: written, reason: describeFsError(error) };
  }
}
