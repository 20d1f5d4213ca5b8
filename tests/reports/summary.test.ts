/** From recorded cases to the summary table, report.md and findings.json. */
import type { Finding } from '../../src/case/finding';
import type { CaseRecord } from '../../src/case/record';
import { ALL_SELECTED, selectChecks } from '../../src/checks/selection';
import { findingsJson, markdownReport, verdict } from '../../src/reports/files';
import { summarize } from '../../src/reports/summary';
import { formatTerminalReport } from '../../src/reports/terminal';
import { kindOf } from '../../src/reports/patterns';

const finding: Finding = {
  checkId: 'semantics.fields-round-trip',
  checkGroup: 'semantics',
  rule: 'Each field sent is in the Job returned.',
  rules: ['update.round-trip', 'body.name-exact'],
  sources: ['OpenAPI #/paths/~1v2~1jobs~1{jobId}/put/responses/200', 'BEHAVIOUR.md (The body): "stored exactly as sent"'],
  expected: 'name "ab"',
  actual: 'name "ba"',
  group: 'properties',
  case: 'property name',
  request: { method: 'PUT', url: 'http://127.0.0.1:1/v2/jobs/241', auth: 'Basic auth with the API key', body: '{"name":"ab"}' },
  response: { status: 200, contentType: 'application/json', body: '{"id":241,"name":"ba"}', durationMs: 1 },
  curl: `curl -sS -i -X PUT 'http://127.0.0.1:1/v2/jobs/241' -u "$LILT_API_KEY:$LILT_API_KEY"`,
  replay: { property: 'name', seed: 7, path: '3:1', counterexample: '{"value":"ab"}', command: 'LILT_REPLAY_PATH=name=3:1 npx lilt-conformance --seed 7' },
};

const cases: CaseRecord[] = [
  // The first read is judged like any case, but it is not a case of the plan: it is not counted as one.
  { group: 'start-up', case: 'the first read', tallies: { 'schema.no-server-error': { pass: 1, fail: 0 } }, findings: [], requests: 1 },
  { group: 'schema', case: 'a read', tallies: { 'schema.no-server-error': { pass: 3, fail: 0 } }, findings: [], requests: 3 },
  {
    group: 'properties',
    case: 'property name',
    tallies: { 'semantics.fields-round-trip': { pass: 9, fail: 1 }, 'schema.no-server-error': { pass: 10, fail: 0 } },
    findings: [finding],
    requests: 10,
  },
  { group: 'ids', case: 'abc', tallies: {}, findings: [], error: 'no answer within 300 ms', requests: 1 },
];

const schemaOnly = (() => {
  const outcome = selectChecks('schema', undefined);
  if (outcome.kind !== 'selected') throw new Error('schema selects the group-1 checks');
  return outcome.selection;
})();

const base = {
  target: 'http://127.0.0.1:1',
  operation: 'PUT /v2/jobs/{jobId}',
  jobId: 241,
  checks: ALL_SELECTED,
  seed: 7,
  runs: 10,
  durationMs: 1234,
  requests: { sent: 14, throttled: 2, timeouts: 1 },
  targetDown: undefined,
  restore: 'restored',
  stoppedEarly: undefined,
  settings: [],
};

test('tallies add up per check; checks nothing exercised are marked so; failures, aborts and counts are kept', () => {
  const summary = summarize(cases, base);
  const byId = Object.fromEntries(summary.checkSummaries.map((c) => [c.id, c]));
  expect(byId['schema.no-server-error']).toMatchObject({ pass: 14, fail: 0, status: 'pass' });
  expect(byId['semantics.fields-round-trip']).toMatchObject({ pass: 9, fail: 1, status: 'fail' });
  expect(byId['auth.methods-agree']).toMatchObject({ status: 'unexercised' });
  expect(summary.cases).toEqual({ total: 3, failed: 1, aborted: 1 });
  expect(verdict(summary)).toBe('NOT conformant');
  expect(verdict(summarize(cases, { ...base, targetDown: 'gone' }))).toMatch(/no verdict/);
  expect(summarize(cases, { ...base, checks: schemaOnly }).checkSummaries.every((c) => c.group === 'schema')).toBe(true);
});

test('terminal and Markdown reports show the table, the failure with its replay and curl, and the counts', () => {
  const summary = summarize(cases, base);
  const terminal = formatTerminalReport(summary);
  expect(terminal).toMatch(/semantics\.fields-round-trip\s+✗ FAIL\s+9\s+1/);
  expect(terminal).toContain('replay:   seed 7, path 3:1');
  expect(terminal).toContain('reproduce: curl');
  expect(terminal).toContain('14 requests sent, 2 throttled (429), 1 timed out');
  expect(terminal).toContain('! ids › abc: no answer within 300 ms');
  const markdown = markdownReport(summary);
  expect(markdown).toContain('| `semantics.fields-round-trip` | **FAIL** | 9 | 1 |');
});

test('findings.json: the findings grouped, each group with its count, examples (request, response, seed, path, curl) and cases', () => {
  const parsed = JSON.parse(findingsJson(summarize(cases, base))) as { findings: number; patterns: Array<Record<string, unknown>> };
  expect(parsed.findings).toBe(1);
  expect(parsed.patterns).toHaveLength(1);
  expect(parsed.patterns[0]).toMatchObject({
    checkId: 'semantics.fields-round-trip',
    count: 1,
    expected: 'name "ab"',
    actual: 'name <string>',
    examples: [{ seed: 7, path: '3:1', request: { method: 'PUT' }, response: { status: 200 }, curl: expect.stringMatching(/^curl /) }],
    cases: [{ group: 'properties', case: 'property name', count: 1, property: 'name', path: '3:1' }],
  });
});

test('the same check broken the same way is one group: values aside, the kind of actual decides', () => {
  const at = (scenario: string, actual: string, expected = 'id 241'): Finding => ({
    ...finding,
    checkId: 'semantics.id-matches-path',
    expected,
    actual,
    case: scenario,
    group: 'semantics',
    replay: undefined,
  });
  const many = [
    ...Array.from({ length: 40 }, (_, i) => at(`case ${i % 10}`, `id "${i}"`)),
    at('case 0', 'id 242'),
    at('case 1', 'id -3', 'id 7'),
    at('case 2', 'id null'),
  ];
  const summary = summarize([{ group: 'semantics', case: 'x', tallies: { 'semantics.id-matches-path': { pass: 0, fail: 43 } }, findings: many, requests: 43 }], base);
  const groups = summary.findingPatterns.map((g) => [g.actualKind, g.count, g.occurrences.length, g.examples.length]);
  expect(groups).toEqual([
    ['id <string>', 40, 10, 3],
    ['id <number>', 2, 2, 2],
    ['id null', 1, 1, 1],
  ]);
  // examples come from different cases first
  expect(summary.findingPatterns[0]?.examples.map((e) => e.case)).toEqual(['case 0', 'case 1', 'case 2']);
  const terminal = formatTerminalReport(summary);
  expect(terminal).toContain('43 findings in 3 patterns');
  expect(terminal.match(/✗ semantics\.id-matches-path/g)).toHaveLength(3);
  expect(terminal).toContain('40 findings in 10 cases; what came back, values aside: id <string>');
});

test('kindOf: strings, trimmed strings and numbers become their kind; status codes and names stay', () => {
  expect(kindOf('status 500: {"message":"boom 42"}')).toBe('status 500: {<string>:<string>}');
  expect(kindOf('/id: type: expected type integer, got "241" (string)')).toBe('/id: type: expected type integer, got <string> (string)');
  expect(kindOf('name: "aaaa... (500 chars) -> 3.5e2')).toBe('name: <string> -> <number>');
  expect(kindOf('int32 v2 /items/0')).toBe('int32 v2 /items/<number>');
});
