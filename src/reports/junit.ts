/**
 * junit.xml for CI dashboards: one testcase per selected check (classname its group, name its id and short title,
 * time the exchanges it judged), failing with a `message` that holds the first example's expected and actual (and how
 * many judged responses broke the rule; the first read and the restore count like any case), and a body of its
 * patterns of findings (patterns.ts) with the first few examples as text (request, response, expected, actual, curl);
 * no stack frames. A check nothing exercised is skipped. A run cut short (no verdict) is never a pass: one more
 * testcase, in error, says so. A check whose every failure the baseline acknowledges passes, its acknowledged patterns
 * in <system-out>; with --baseline, one more testcase is skipped when an entry is stale or expired.
 */
import { baselineLines, causeOf, formatPattern, plural, shortTitle } from './format';
import { verdictText, type RunSummary } from './summary';

const EXAMPLES_PER_CHECK = 3;

/** Text safe in XML 1.0 content and attributes: the five entities escaped, characters XML cannot hold replaced. */
export function xmlText(text: string): string {
  return xmlContent(text).replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** Text safe in XML 1.0 element content: quotes need no escaping there (JSON bodies stay readable, and a third smaller). */
export function xmlContent(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

function attrs(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([name, value]) => ` ${name}="${xmlText(String(value))}"`)
    .join('');
}

export function junitXml(summary: RunSummary): string {
  const groups = [...new Set(summary.checkSummaries.map((c) => c.group))];
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  for (const group of groups) {
    const checks = summary.checkSummaries.filter((c) => c.group === group);
    const cases = checks.map((check) => {
      const name = `${check.id}: ${shortTitle(check.rule)}`;
      const open = `    <testcase${attrs({ classname: group, name, time: (check.timeMs / 1000).toFixed(3) })}`;
      if (check.status === 'unexercised') return `${open}>\n      <skipped${attrs({ message: 'nothing this check applies to was sent' })}/>\n    </testcase>`;
      // Advisories fail nothing: a check with some passes, and says what it advises in <system-out>.
      const advised = summary.advisoryPatterns.filter((g) => g.checkId === check.id).map((g) => formatPattern(g, 1));
      const advice = advised.length > 0 ? `\n      <system-out>${xmlContent(`Advisories (fail nothing):\n${advised.join('\n\n')}`)}</system-out>` : '';
      if (check.status === 'pass') return advice === '' ? `${open}/>` : `${open}>${advice}\n    </testcase>`;
      if (check.status === 'acknowledged') {
        // It passes (the run does not fail on it), and says what the baseline acknowledged.
        const acknowledged = summary.findingPatterns.filter((g) => g.checkId === check.id).map((g) => formatPattern(g, 1));
        return `${open}>\n      <system-out>${xmlContent(acknowledged.join('\n\n'))}</system-out>\n    </testcase>`;
      }
      const groups = summary.findingPatterns.filter((g) => g.checkId === check.id && g.acknowledged === undefined);
      const ways = groups.length > 1 ? `, ${plural(groups.length, 'way')}` : '';
      const cause = groups[0] === undefined ? undefined : causeOf(groups[0]);
      const source = cause?.sources[0];
      const firstExample = cause === undefined ? '' : `Expected ${cause.expected}; actual ${cause.actual}. `;
      const message = `${firstExample}${check.rule} Broken by ${check.fail} of ${check.pass + check.fail} judged responses${ways}.${source ? ` Source: ${source}.` : ''}`;
      let left = EXAMPLES_PER_CHECK;
      const body = groups
        .map((group) => {
          const examples = Math.min(left, group.examples.length);
          left -= examples;
          return formatPattern(group, examples);
        })
        .join('\n\n');
      return `${open}>\n      <failure${attrs({ message, type: check.id })}>${xmlContent(body)}</failure>\n    </testcase>`;
    });
    tests += checks.length;
    const groupFailures = checks.filter((c) => c.status === 'fail').length;
    const groupSkipped = checks.filter((c) => c.status === 'unexercised').length;
    failures += groupFailures;
    skipped += groupSkipped;
    suites.push(
      `  <testsuite${attrs({ name: `lilt-conformance ${group}`, tests: checks.length, failures: groupFailures, skipped: groupSkipped, errors: 0, time: (checks.reduce((ms, c) => ms + c.timeMs, 0) / 1000).toFixed(3) })}>\n${cases.join('\n')}\n  </testsuite>`,
    );
  }
  if (summary.baseline) {
    // The baseline's health: skipped (never failing) when an entry is stale or has expired, so a dashboard shows it.
    const { stale, expired, file } = summary.baseline;
    const name = `every entry of ${file} still acknowledges a finding`;
    const problems = [...stale.map(() => 'stale'), ...expired.map(() => 'expired')];
    const detail = baselineLines(summary.baseline).join('\n');
    const body =
      problems.length === 0
        ? `<system-out>${xmlContent(detail)}</system-out>`
        : `<skipped${attrs({ message: `${plural(stale.length, 'stale entry', 'stale entries')}, ${plural(expired.length, 'expired entry', 'expired entries')}` })}/>\n      <system-out>${xmlContent(detail)}</system-out>`;
    const skippedHere = problems.length === 0 ? 0 : 1;
    suites.push(
      `  <testsuite${attrs({ name: 'lilt-conformance baseline', tests: 1, failures: 0, errors: 0, skipped: skippedHere })}>\n    <testcase${attrs({ classname: 'baseline', name })}>\n      ${body}\n    </testcase>\n  </testsuite>`,
    );
    tests += 1;
    skipped += skippedHere;
  }
  // A run cut short: one more testcase, in error (a complete run has exactly one testcase per check).
  const complete = summary.verdict.kind !== 'no-verdict';
  if (!complete) {
    const runCase = `    <testcase${attrs({ classname: 'run', name: 'every planned case ran to its end' })}>\n      <error${attrs({ message: verdictText(summary) })}>${xmlContent(summary.aborts.map((a) => `${a.group} › ${a.case}: ${a.error}`).join('\n'))}</error>\n    </testcase>`;
    suites.push(`  <testsuite${attrs({ name: 'lilt-conformance run', tests: 1, failures: 0, errors: 1, skipped: 0 })}>\n${runCase}\n  </testsuite>`);
    tests += 1;
  }
  const errors = complete ? 0 : 1;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites${attrs({ name: 'lilt-conformance', tests, failures, errors, skipped, time: (summary.durationMs / 1000).toFixed(3) })}>\n${suites.join('\n')}\n</testsuites>\n`;
}
