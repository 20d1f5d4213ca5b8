/**
 * report.html: one self-contained file for a person looking at CI artifacts. No network at all (a Content-Security-
 * Policy of `default-src 'none'`, inline CSS, no script). Cause first: the verdict in the heading; then each failing
 * pattern open on its cause (check, rule, source, expected, actual, the request and the curl line; the first one,
 * `#first-cause`, above the fold at 1280x800), its examples folded (request, response, curl, a property's replay) and
 * the cases it occurred in; then the advisories; then the checks by group with pass/fail and counts; the baseline's
 * outcome; the run's settings and seed.
 */
import type { CheckGroup } from '../checks/types';
import type { Finding } from '../case/finding';
import { GROUPS } from '../run/plan';
import { acknowledgementText, baselineLines, causeOf, patternCount, liveLines, plural, shortTitle } from './format';
import type { FindingPattern } from './patterns';
import { verdictText, type CheckSummary, type RunSummary } from './summary';

/** Text safe in HTML content and in a double-quoted attribute. */
export function html(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function groupTitle(group: CheckGroup): string {
  return GROUPS.find((g) => g.id === group)?.title ?? group;
}

const STATUS_TEXT: Readonly<Record<CheckSummary['status'], string>> = {
  pass: '✓ pass',
  fail: '✗ FAIL',
  acknowledged: '~ acknowledged',
  unexercised: '– not exercised',
};

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 72rem; padding: 1rem 1.5rem 3rem; color: #1b1f24; }
h1 { font-size: 1.4rem; margin-bottom: .25rem; } h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #d0d7de; }
h3 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
.verdict { display: inline-block; padding: .2rem .6rem; border-radius: .3rem; font-weight: 600; }
.verdict.fail { background: #ffebe9; color: #a40e26; } .verdict.pass { background: #dafbe1; color: #116329; }
.verdict.none { background: #fff8c5; color: #7d4e00; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid #eaeef2; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; } td.status, td code { white-space: nowrap; }
tr.fail td.status { color: #a40e26; font-weight: 600; } tr.pass td.status { color: #116329; }
tr.acknowledged td.status { color: #7d4e00; } tr.unexercised { color: #6e7781; }
code, pre { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; }
pre { background: #f6f8fa; padding: .5rem .75rem; overflow-x: auto; white-space: pre-wrap; word-break: break-all; margin: .25rem 0 .75rem; }
details.pattern { border: 1px solid #d0d7de; border-radius: .4rem; margin: .6rem 0; padding: .3rem .75rem; }
details.pattern.fail { border-left: 4px solid #cf222e; } details.pattern.acknowledged { border-left: 4px solid #bf8700; }
details.pattern.advisory { border-left: 4px solid #0969da; }
details > summary { cursor: pointer; font-weight: 600; } details.example { margin: .5rem 0 .5rem 1rem; }
details.example > summary { font-weight: 500; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; } dt { color: #57606a; } dd { margin: 0; }
.muted { color: #57606a; } ul.cases { columns: 2; margin: .25rem 0; }
h1 .verdict { font-size: 1.1rem; vertical-align: middle; } p.muted { margin: .2rem 0; }
.cause { background: #fff; margin: .4rem 0; } .cause dl { margin: .2rem 0; } .cause dd.actual { color: #a40e26; }
.cause pre { margin: 0; padding: .2rem .5rem; max-height: 4.5em; overflow: hidden; }
`;

function verdictClass(summary: RunSummary): string {
  return summary.verdict.kind === 'conformant' ? 'pass' : summary.verdict.kind === 'not-conformant' ? 'fail' : 'none';
}

function checksSection(summary: RunSummary): string[] {
  const groups = [...new Set(summary.checkSummaries.map((c) => c.group))];
  const out = ['<section id="checks">', '<h2>Checks</h2>'];
  for (const group of groups) {
    out.push(
      `<h3>${html(groupTitle(group))}</h3>`,
      '<table><thead><tr><th>result</th><th>check</th><th class="n">pass</th><th class="n">fail</th><th>rule</th></tr></thead><tbody>',
    );
    for (const c of summary.checkSummaries.filter((s) => s.group === group)) {
      out.push(
        `<tr class="check ${c.status}" data-check="${html(c.id)}"><td class="status">${STATUS_TEXT[c.status]}</td>` +
          `<td><code>${html(c.id)}</code></td><td class="n">${c.pass}</td><td class="n">${c.fail}</td><td>${html(c.rule)}</td></tr>`,
      );
    }
    out.push('</tbody></table>');
  }
  out.push('</section>');
  return out;
}

function requestText(f: Finding): string {
  const { request } = f;
  return [
    `${request.method} ${request.url}`,
    `auth: ${request.auth}`,
    ...(request.contentType ? [`Content-Type: ${request.contentType}`] : []),
    ...(request.body !== undefined ? ['', request.body] : []),
  ].join('\n');
}

function responseText(f: Finding): string {
  const { response } = f;
  return [`${response.status}${response.contentType ? ` ${response.contentType}` : ''} (${response.durationMs} ms)`, '', response.body].join('\n');
}

function example(f: Finding, i: number): string {
  const replay = f.replay
    ? `<h4>Replay</h4><pre class="replay">property ${html(f.replay.property)}, counterexample ${html(f.replay.counterexample)}\nseed ${f.replay.seed}, path ${html(f.replay.path)}\n${html(f.replay.command)}</pre>`
    : '';
  return [
    `<details class="example"><summary>Example ${i + 1}: ${html(f.group)} › ${html(f.case)}</summary>`,
    `<dl><dt>expected</dt><dd>${html(f.expected)}</dd><dt>actual</dt><dd>${html(f.actual)}</dd></dl>`,
    `<h4>Request</h4><pre class="request">${html(requestText(f))}</pre>`,
    `<h4>Response</h4><pre class="response">${html(responseText(f))}</pre>`,
    replay,
    `<h4>Reproduce</h4><pre class="curl">${html(f.curl)}</pre>`,
    '</details>',
  ].join('\n');
}

/** Cases listed per pattern (findings.json has every one). */
const CASES_SHOWN = 12;

/** A pattern's cause, from its first example: check, rule, sources, expected, actual, then the request and the curl line. */
function causeBlock(g: FindingPattern, first: boolean): string {
  const cause = causeOf(g);
  return [
    `<div class="cause"${first ? ' id="first-cause"' : ''}>`,
    '<dl>',
    `<dt>check</dt><dd><code>${html(cause.checkId)}</code>: ${html(shortTitle(cause.rule))}</dd>`,
    `<dt>rule</dt><dd>${html(cause.rule)}</dd>`,
    `<dt>source</dt><dd class="sources">${cause.sources.map((s) => html(s)).join('<br>')}</dd>`,
    `<dt>expected</dt><dd class="expected">${html(cause.expected)}</dd>`,
    `<dt>actual</dt><dd class="actual"><strong>${html(cause.actual)}</strong></dd>`,
    `<dt>request</dt><dd><pre class="cause-request">${html(cause.request)}</pre></dd>`,
    `<dt>reproduce</dt><dd><pre class="cause-curl">${html(cause.curl)}</pre></dd>`,
    '</dl>',
    '</div>',
  ].join('\n');
}

function patternSection(g: FindingPattern, index = -1): string {
  const advice = g.advisory !== undefined && !g.advisory.failsTheRun;
  const state = advice ? 'advisory' : g.acknowledged ? 'acknowledged' : 'fail';
  const mark = advice ? '?' : g.acknowledged ? '~' : '✗';
  const cases = g.occurrences.map(
    (o) =>
      `<li>${html(o.group)} › ${html(o.case)}${o.count > 1 ? ` (${o.count})` : ''}${o.replay ? ` <span class="muted">seed ${o.replay.seed}, path ${html(o.replay.path)}</span>` : ''}</li>`,
  );
  return [
    `<details class="pattern ${state}" data-check="${html(g.checkId)}"${state === 'fail' ? ' open' : ''}>`,
    `<summary>${mark} <code>${html(g.checkId)}</code>: ${html(patternCount(g))}${g.acknowledged ? ' (acknowledged)' : ''}${advice ? ' (advisory)' : ''}</summary>`,
    ...(g.advisory ? [`<p><strong>Advice:</strong> ${html(g.advisory.statement)} <span class="muted">Only advice: ${html(g.advisory.reason)}</span></p>`] : []),
    ...(g.acknowledged ? [`<p><strong>Acknowledged, does not fail the run:</strong> ${html(acknowledgementText(g.acknowledged))}</p>`] : []),
    causeBlock(g, index === 0),
    `<p class="muted">What came back, values aside: <code>${html(g.actualKind)}</code></p>`,
    ...g.examples.map(example),
    `<details class="example cases"><summary>The cases (${g.occurrences.length})</summary><ul class="cases">${cases.slice(0, CASES_SHOWN).join('')}</ul>` +
      (cases.length > CASES_SHOWN ? `<p class="muted">and ${cases.length - CASES_SHOWN} more: every case is in findings.json</p>` : '') +
      '</details>',
    '</details>',
  ].join('\n');
}

export function htmlReport(summary: RunSummary): string {
  const r = summary.requests;
  const failing = summary.findingPatterns.filter((g) => !g.acknowledged);
  const acknowledged = summary.findingPatterns.filter((g) => g.acknowledged);
  const body: string[] = [
    `<h1>Conformance of ${html(summary.operation)}: <span class="verdict ${verdictClass(summary)}" id="verdict">${html(verdictText(summary))}</span></h1>`,
    `<p class="muted">${html(summary.target)}, job ${summary.jobId}: ${html(summary.restore)}. ${r.sent} requests; seed ${summary.seed}.</p>`,
    ...(summary.targetDown ? [`<p><strong>The target stopped answering:</strong> ${html(summary.targetDown)}</p>`] : []),
    ...(summary.stoppedEarly ? [`<p><strong>The run ${html(summary.stoppedEarly)}.</strong></p>`] : []),
    '<section id="failures">',
    `<h2>Failures: ${html(plural(failing.reduce((n, g) => n + g.count, 0), 'finding'))} in ${html(plural(failing.length, 'pattern'))}</h2>`,
    ...(failing.length === 0 ? ['<p>None.</p>'] : []),
    ...failing.map((g, i) => patternSection(g, i)),
    '</section>',
  ];
  if (summary.advisoryPatterns.length > 0) {
    body.push(
      '<section id="advisories">',
      `<h2>Advisories: ${html(plural(summary.advisories.length, 'finding'))} in ${html(plural(summary.advisoryPatterns.length, 'pattern'))}</h2>`,
      '<p class="muted">What the contract allows but the tool advises against. Advisories fail nothing unless --fail-on-advisory is given.</p>',
      ...summary.advisoryPatterns.map((g) => patternSection(g)),
      '</section>',
    );
  }
  body.push(
    ...checksSection(summary),
    `<p id="counts">${summary.cases.total} cases, ${summary.cases.failed} with findings, ${summary.cases.aborted} cut short; ${r.sent} requests, ${r.throttled} throttled (429), ${r.timeouts} timed out; ${(summary.durationMs / 1000).toFixed(1)} s; seed ${summary.seed}.</p>`,
  );
  const live = liveLines(summary);
  if (live.length > 0) body.push(`<p id="live">${html(live.join(' '))}</p>`);
  if (acknowledged.length > 0 || summary.baseline) {
    body.push('<section id="baseline">', '<h2>Acknowledged (baseline)</h2>');
    if (summary.baseline) body.push(`<ul>${baselineLines(summary.baseline).map((line) => `<li>${html(line.trim())}</li>`).join('')}</ul>`);
    body.push(...acknowledged.map((g) => patternSection(g)), '</section>');
  }
  if (summary.aborts.length > 0) {
    body.push('<section id="cut-short">', '<h2>Cases cut short</h2><ul>', ...summary.aborts.map((a) => `<li>${html(a.group)} › ${html(a.case)}: ${html(a.error)}</li>`), '</ul></section>');
  }
  body.push(
    '<section id="settings">',
    '<h2>Settings</h2>',
    `<dl>${summary.settings.map((s) => `<dt>${html(s.name)}</dt><dd>${html(s.value)}</dd>`).join('')}</dl>`,
    '</section>',
  );
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>lilt-conformance: ${html(verdictText(summary))}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    ...body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
