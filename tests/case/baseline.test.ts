/**
 * The baseline file of acknowledged deviations: read and checked once at the edge (a bad file is one line naming it,
 * exit 2); an entry matches a finding by check id and its optional scenario and actual patterns; an expired entry
 * acknowledges nothing; what the run came to (acknowledged, stale, expired); the verdict ignores acknowledged findings.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolveRunConfig } from '../../src/config/run-config';
import { loadContract, type Contract } from '../../src/contract/load';
import { acknowledgeRecord, baselineOutcome, entryMatches, patternMatches, type Baseline } from '../../src/case/baseline';
import type { Finding } from '../../src/case/finding';
import type { CaseRecord } from '../../src/case/record';
import { verdictOf } from '../../src/run/run';
import { baselineFileText, patternOfKind } from '../../src/reports/baseline-file';
import { summarize } from '../../src/reports/summary';
import { ALL_SELECTED } from '../../src/checks/selection';
import { userErrorOf } from '../helpers/user-error';
import { tempDir } from '../helpers/temp';

let contract: Contract;
let dir: string;
beforeAll(async () => {
  contract = await loadContract();
  dir = tempDir('lilt-baseline-');
});

const TODAY = new Date('2026-03-15T12:00:00Z');
function fileWith(content: unknown): string {
  const file = path.join(dir, `b${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}
const load = (content: unknown) => resolveRunConfig({ baseline: fileWith(content) }, {}, contract, () => 1, () => TODAY).config.baseline as Baseline;

const finding = (over: Partial<Finding> = {}): Finding => ({
  checkId: 'semantics.id-matches-path',
  checkGroup: 'semantics',
  rule: 'The Job returned has the id of the path (an integer).',
  rules: ['response.job-id'],
  sources: ['BEHAVIOUR.md (Responses): "`id` equal to the path id"'],
  expected: 'id 241',
  actual: 'id "241"',
  group: 'semantics',
  case: 'each field round-trips alone',
  request: { method: 'PUT', url: 'http://127.0.0.1:1/v2/jobs/241', auth: 'Basic auth with the API key' },
  response: { status: 200, body: '{"id":"241"}', durationMs: 1 },
  curl: 'curl -sS',
  ...over,
});

test('an entry matches by check id, and by its scenario and actual patterns (* is any text) when it has them', () => {
  expect(patternMatches('id "*"', 'id "241"')).toBe(true);
  expect(patternMatches('id "*"', 'id 241')).toBe(false);
  expect(patternMatches('/id: type: expected * got *', '/id: type: expected type integer, got "241" (string)')).toBe(true);
  expect(patternMatches('a.b', 'axb')).toBe(false); // literal, not a regular expression
  expect(entryMatches({ check: 'semantics.id-matches-path', reason: 'r' }, finding())).toBe(true);
  expect(entryMatches({ check: 'semantics.update-accepted', reason: 'r' }, finding())).toBe(false);
  expect(entryMatches({ check: 'semantics.id-matches-path', case: '*round-trips*', reason: 'r' }, finding())).toBe(true);
  expect(entryMatches({ check: 'semantics.id-matches-path', case: 'semantics › each*', reason: 'r' }, finding())).toBe(true);
  expect(entryMatches({ check: 'semantics.id-matches-path', case: 'properties › *', reason: 'r' }, finding())).toBe(false);
  expect(entryMatches({ check: 'semantics.id-matches-path', actual: 'id null', reason: 'r' }, finding())).toBe(false);
});

test('an expired entry acknowledges nothing; the verdict ignores acknowledged findings; stale and expired are reported', () => {
  const baseline = load({
    acknowledged: [
      { check: 'semantics.id-matches-path', actual: 'id "*"', reason: 'ids are strings until v3', expires: '2026-03-15' },
      { check: 'semantics.update-accepted', reason: 'nothing breaks it: stale' },
      { check: 'schema.body-matches-schema', reason: 'was fixed', expires: '2026-03-14' },
    ],
  });
  expect(baseline.entries.map((e) => e.expired)).toEqual([false, false, true]);
  const record: CaseRecord = {
    group: 'semantics',
    case: 'each field round-trips alone',
    tallies: { 'semantics.id-matches-path': { pass: 0, fail: 2 }, 'schema.body-matches-schema': { pass: 0, fail: 1 } },
    findings: [finding(), finding({ actual: 'id 242' }), finding({ checkId: 'schema.body-matches-schema', checkGroup: 'schema' })],
    requests: 2,
  };
  const marked = acknowledgeRecord(record, baseline);
  expect(marked.findings.map((f) => f.acknowledged?.entry)).toEqual([0, undefined, undefined]);
  expect(verdictOf([marked], 1, undefined, undefined)).toEqual({ kind: 'not-conformant', failedChecks: ['schema.body-matches-schema', 'semantics.id-matches-path'] });
  const onlyAcknowledged = { ...marked, findings: marked.findings.slice(0, 1), tallies: { 'semantics.id-matches-path': { pass: 0, fail: 1 } } };
  expect(verdictOf([onlyAcknowledged], 1, undefined, undefined)).toEqual({ kind: 'conformant' });

  const outcome = baselineOutcome(baseline, marked.findings, ['semantics.id-matches-path', 'semantics.update-accepted', 'schema.body-matches-schema']);
  expect(outcome.acknowledged).toBe(1);
  expect(outcome.stale.map((e) => e.index)).toEqual([1]);
  expect(outcome.expired.map((e) => e.index)).toEqual([2]);
  // a stale entry for a check the run did not select is not reported stale
  expect(baselineOutcome(baseline, marked.findings, ['semantics.id-matches-path']).stale).toEqual([]);

  const summary = summarize([onlyAcknowledged], {
    target: 't', operation: 'PUT /v2/jobs/{jobId}', jobId: 241, checks: ALL_SELECTED, seed: 1, runs: 1, durationMs: 1, requests: { sent: 1, throttled: 0, timeouts: 0 },
    targetDown: undefined, restore: 'restored', stoppedEarly: undefined, settings: [], baseline,
  });
  expect(summary.checkSummaries.find((c) => c.id === 'semantics.id-matches-path')).toMatchObject({ status: 'acknowledged', acknowledged: 1, fail: 1 });
  expect(summary.findingPatterns[0]?.acknowledged).toMatchObject({ entry: 0, reason: 'ids are strings until v3' });
});

test('--write-baseline: each unacknowledged group an entry (its kind of actual as the pattern), acknowledging entries kept', () => {
  expect(patternOfKind('/id: type: expected type integer, got <string> (string)')).toBe('/id: type: expected type integer, got * (string)');
  const baseline = load({ acknowledged: [{ check: 'semantics.update-accepted', reason: 'known', expires: '2026-12-31' }] });
  const record: CaseRecord = {
    group: 's',
    case: 'x',
    tallies: {},
    findings: [finding(), finding({ actual: 'id "7"' }), finding({ checkId: 'semantics.update-accepted', actual: 'status 500: {}' })],
    requests: 1,
  };
  const summary = summarize([acknowledgeRecord(record, baseline)], {
    target: 't', operation: 'PUT /v2/jobs/{jobId}', jobId: 241, checks: ALL_SELECTED, seed: 1, runs: 1, durationMs: 1, requests: { sent: 1, throttled: 0, timeouts: 0 },
    targetDown: undefined, restore: 'restored', stoppedEarly: undefined, settings: [], baseline,
  });
  const written = JSON.parse(baselineFileText(summary.findingPatterns, baseline)) as { acknowledged: unknown[] };
  expect(written.acknowledged).toEqual([
    { check: 'semantics.id-matches-path', actual: 'id *', reason: expect.stringMatching(/^TODO/) },
    { check: 'semantics.update-accepted', reason: 'known', expires: '2026-12-31' },
  ]);
  // and it reads back as a baseline that acknowledges the same findings
  const again = load(written);
  expect(acknowledgeRecord(record, again).findings.every((f) => f.acknowledged !== undefined)).toBe(true);
});

test.each<[string, unknown, RegExp]>([
  ['not JSON', '{"acknowledged": [', /not JSON: /],
  ['not the shape', { entries: [] }, /expected \{"acknowledged": \[/],
  ['an unknown top-level field', { acknowledged: [], extra: 1 }, /unknown field 'extra'/],
  ['an unknown check', { acknowledged: [{ check: 'job.id-matches', reason: 'r' }] }, /acknowledged\[0\] names an unknown check 'job\.id-matches'; known: schema\.status-documented, /],
  ['an unknown field in an entry', { acknowledged: [{ check: 'semantics.update-accepted', reason: 'r', scenarios: 'x' }] }, /acknowledged\[0\] has an unknown field 'scenarios'/],
  ['no reason', { acknowledged: [{ check: 'semantics.update-accepted' }] }, /acknowledged\[0\]\.reason must be a non-empty string/],
  ['a date that does not exist', { acknowledged: [{ check: 'semantics.update-accepted', reason: 'r', expires: '2026-02-30' }] }, /expires must be a date YYYY-MM-DD \(got '2026-02-30'\)/],
])('a baseline with %s: one line naming the file, exit 2', (_label, content, message) => {
  const file = fileWith(content);
  const error = userErrorOf(() => resolveRunConfig({ baseline: file }, {}, contract));
  expect(error.exitCode).toBe(2);
  expect(error.message).toContain(`--baseline ${file}: `);
  expect(error.message).toMatch(message);
  expect(error.message).not.toContain('\n');
});

test('a missing baseline file, and --write-baseline into a directory that does not exist: one line, exit 2', () => {
  expect(userErrorOf(() => resolveRunConfig({}, { LILT_BASELINE: path.join(dir, 'none.json') }, contract)).message).toMatch(
    /^LILT_BASELINE .*none\.json: no such file$/,
  );
  expect(userErrorOf(() => resolveRunConfig({ writeBaseline: path.join(dir, 'no', 'such', 'b.json') }, {}, contract)).message).toMatch(
    /--write-baseline .*: the directory .* does not exist/,
  );
});

test("a baseline entry naming a former check id, and its former 'scenario' field, still acknowledge", () => {
  const baseline = load({ acknowledged: [{ check: 'job.id-matches-path', scenario: 'semantics › *', reason: 'STAGE-1: ids are strings' }] });
  expect(baseline.entries[0]).toMatchObject({ check: 'semantics.id-matches-path', case: 'semantics › *' });
  expect(entryMatches(baseline.entries[0]!, finding())).toBe(true);
});

test('--write-baseline: groups of one check and one pattern (found in different cases, or by different expectations) are one entry', () => {
  const record = (name: string, expected: string): CaseRecord => ({
    group: 's',
    case: name,
    tallies: {},
    findings: [finding({ case: name, expected, actual: `id "${name}"` })],
    requests: 1,
  });
  const summary = summarize([record('a', 'id 241'), record('b', 'id 242 (another expectation)')], {
    target: 't', operation: 'PUT /v2/jobs/{jobId}', jobId: 241, checks: ALL_SELECTED, seed: 1, runs: 1, durationMs: 1, requests: { sent: 1, throttled: 0, timeouts: 0 },
    targetDown: undefined, restore: 'restored', stoppedEarly: undefined, settings: [], baseline: undefined,
  });
  expect(summary.findingPatterns.length).toBeGreaterThan(1);
  const written = JSON.parse(baselineFileText(summary.findingPatterns, undefined)) as { acknowledged: unknown[] };
  expect(written.acknowledged).toEqual([{ check: 'semantics.id-matches-path', actual: 'id *', reason: expect.stringMatching(/^TODO/) }]);
});
