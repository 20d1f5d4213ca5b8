/**
 * junit.xml and report.md from recorded cases: one testcase per check (no more, unless the run gave no verdict), each
 * named by its id and short title with the time of the exchanges it judged; a failure's message holds the first
 * example's expected and actual; report.md opens with that cause, in Markdown that a value's backticks cannot break.
 */
import { XMLParser } from 'fast-xml-parser';
import type { Finding } from '../../src/case/finding';
import type { CaseRecord } from '../../src/case/record';
import { ALL_SELECTED } from '../../src/checks/selection';
import { markdownReport } from '../../src/reports/files';
import { shortTitle } from '../../src/reports/format';
import { junitXml } from '../../src/reports/junit';
import { summarize } from '../../src/reports/summary';

const finding: Finding = {
  checkId: 'semantics.fields-round-trip',
  checkGroup: 'semantics',
  rule: 'Each field sent is in the Job returned (stored exactly as sent).',
  rules: ['update.round-trip'],
  sources: ['BEHAVIOUR.md (The body): "stored exactly as sent"'],
  expected: 'name "ab"',
  actual: 'name "b``a"',
  group: 'properties',
  case: 'property name',
  request: { method: 'PUT', url: 'http://127.0.0.1:1/v2/jobs/241', auth: 'Basic auth with the API key', body: '{"name":"ab"}' },
  response: { status: 200, contentType: 'application/json', body: '{"id":241,"name":"b``a"}', durationMs: 1 },
  curl: `curl -sS -i -X PUT 'http://127.0.0.1:1/v2/jobs/241' -u "$LILT_API_KEY:$LILT_API_KEY"`,
};

const cases: CaseRecord[] = [
  { group: 'schema', case: 'a read', tallies: { 'schema.no-server-error': { pass: 3, fail: 0, ms: 1500 } }, findings: [], requests: 3 },
  { group: 'properties', case: 'property name', tallies: { 'semantics.fields-round-trip': { pass: 9, fail: 1, ms: 250 } }, findings: [finding], requests: 10 },
];

const base = {
  target: 'http://127.0.0.1:1',
  operation: 'PUT /v2/jobs/{jobId}',
  jobId: 241,
  checks: ALL_SELECTED,
  seed: 7,
  runs: 10,
  durationMs: 1234,
  requests: { sent: 13, throttled: 0, timeouts: 0 },
  targetDown: undefined,
  restore: 'restored',
  stoppedEarly: undefined,
  settings: [],
};

interface Case {
  name: string;
  time?: string;
  failure?: { message: string };
  error?: unknown;
}

function testcases(xml: string): Case[] {
  const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'testsuite' || name === 'testcase' }).parse(xml) as {
    testsuites: { testsuite: Array<{ testcase: Case[] }> };
  };
  return parsed.testsuites.testsuite.flatMap((suite) => suite.testcase);
}

test('a complete run: one testcase per check, id and short title, its time; the failure says expected and actual', () => {
  const summary = summarize(cases, base);
  const all = testcases(junitXml(summary));
  expect(all.map((c) => c.name.split(':')[0])).toEqual(summary.checkSummaries.map((c) => c.id));
  const byId = new Map(all.map((c) => [c.name.split(':')[0], c]));
  expect(byId.get('semantics.fields-round-trip')?.name).toBe('semantics.fields-round-trip: Each field sent is in the Job returned');
  expect(byId.get('schema.no-server-error')?.time).toBe('1.500');
  expect(byId.get('semantics.fields-round-trip')?.time).toBe('0.250');
  expect(byId.get('semantics.fields-round-trip')?.failure?.message).toMatch(/^Expected name "ab"; actual name "b``a"\. Each field sent/);
});

test('a run without a verdict: one more testcase, in error', () => {
  const summary = summarize([...cases, { group: 'ids', case: 'abc', tallies: {}, findings: [], error: 'no answer', requests: 1 }], {
    ...base,
    verdict: { kind: 'no-verdict', reason: '1 case cut short' },
  });
  const all = testcases(junitXml(summary));
  expect(all).toHaveLength(summary.checkSummaries.length + 1);
  expect(all.at(-1)).toMatchObject({ name: 'every planned case ran to its end', error: expect.anything() });
});

test('shortTitle: the rule up to its first clause break, at most 72 characters', () => {
  expect(shortTitle('Every request gets an answer: no connection closed.')).toBe('Every request gets an answer');
  expect(shortTitle('A 404 (not found) for an id no job has.')).toBe('A 404');
  expect(shortTitle('x'.repeat(100))).toHaveLength(72);
});

test('report.md opens with the cause; a value with backticks stays inside its code span', () => {
  const md = markdownReport(summarize(cases, base));
  const lines = md.split('\n');
  expect(lines[0]).toBe('# Conformance of PUT /v2/jobs/{jobId}: NOT conformant');
  expect(lines.find((line) => line.startsWith('## '))).toMatch(/^## Failures: 1 finding in 1 pattern/);
  expect(md).toContain('- **actual:** ```name "b``a"```');
  expect(md.indexOf('- **actual:**')).toBeLessThan(md.indexOf('## Checks'));
});
