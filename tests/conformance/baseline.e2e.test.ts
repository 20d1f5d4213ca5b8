/**
 * Acknowledged deviations end to end, through the CLI: against a provider with one deviation, --write-baseline writes
 * a baseline of it (exit 1: writing acknowledges nothing); that baseline, plus an entry that matches nothing, turns
 * the run's exit 1 into exit 0, the acknowledgement shown in every report and the stale entry reported.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { referenceDefaults } from '../../src/run/session/reference';
import { FAULTS, startFaulty, type RunningFaulty } from './faulty-provider';
import { runConformance } from './run-cli';
import { tempDir } from '../helpers/temp';

const { apiKey, jobId } = referenceDefaults();
jest.setTimeout(120_000);

let provider: RunningFaulty;
let dir: string;
beforeAll(async () => {
  provider = await startFaulty(FAULTS.lostNameUpdate);
  dir = tempDir('lilt-baseline-e2e-');
});
afterAll(() => provider.close());

/**
 * This deviation keeps a name it cannot parse out of a body (the envelope group's deeply nested one), and then drops the
 * restore's: the first run leaves the job with that test value (its loud block says so). The later runs on the same
 * provider take it as the job's own with --allow-shared-job, as a team would once it has looked.
 */
const run = (args: readonly string[]) =>
  runConformance(['--target', provider.url, '--job-id', String(jobId), '--runs', '10', '--seed', '11', '--allow-shared-job', ...args], {
    env: { LILT_API_KEY: apiKey },
  });

test('a baseline acknowledging the only deviation turns exit 1 into exit 0; shown in every report; a stale entry reported', async () => {
  const file = path.join(dir, 'baseline.json');
  const first = await run(['--write-baseline', file]);
  expect(first.code).toBe(1);
  // The one deviation (a name sent is dropped) breaks the round-trip, and lets an invalid name through.
  expect(first.failedChecks).toContain('semantics.fields-round-trip');
  expect(first.stderr).toMatch(/baseline: the findings written to .*baseline\.json; review/);
  const written = JSON.parse(fs.readFileSync(file, 'utf8')) as { acknowledged: Array<Record<string, string>> };
  expect(written.acknowledged.length).toBeGreaterThan(0);
  expect([...new Set(written.acknowledged.map((e) => e.check))].sort()).toEqual(first.failedChecks);
  expect(written.acknowledged.every((e) => /^TODO/.test(e.reason ?? ''))).toBe(true);
  expect(JSON.stringify(written)).not.toContain(apiKey);

  // The team reviews it: a real reason, and one more entry that no longer matches anything.
  const reviewed = {
    acknowledged: [
      ...written.acknowledged.map((e) => ({ ...e, reason: 'STAGE-42: the name is dropped until the migration lands' })),
      { check: 'auth.refused-401', reason: 'fixed last sprint' },
    ],
  };
  fs.writeFileSync(file, JSON.stringify(reviewed));
  const second = await run(['--baseline', file]);
  expect(second.stderr).not.toMatch(/internal error/);
  expect(second.code).toBe(0);
  expect(second.stdout).toMatch(/verdict: conformant \(\d+ findings? acknowledged by the baseline\) \(exit 0\)/);

  // terminal
  expect(second.stdout).toMatch(/semantics\.fields-round-trip\s+~ acknowledged/);
  expect(second.stdout).toMatch(/ACKNOWLEDGED \(does not fail the run\): baseline entry #\d+: STAGE-42/);
  expect(second.stdout).toMatch(/stale: #\d+ auth\.refused-401 \(fixed last sprint\) acknowledged nothing in this run/);
  // report.md
  const markdown = second.reports['report.md'] ?? '';
  expect(markdown).toContain('| `semantics.fields-round-trip` | *acknowledged* |');
  expect(markdown).toMatch(/### Acknowledged: `semantics\.fields-round-trip`/);
  expect(markdown).toMatch(/stale: #\d+ auth\.refused-401/);
  // findings.json
  const json = JSON.parse(second.reports['findings.json'] ?? '{}') as {
    patterns: Array<{ checkId: string; acknowledged?: { reason: string } }>;
    baseline: { acknowledged: number; stale: Array<{ check: string }> };
  };
  expect(json.patterns.length).toBeGreaterThan(0);
  expect(json.patterns.every((g) => g.acknowledged?.reason.startsWith('STAGE-42'))).toBe(true);
  expect(json.baseline.acknowledged).toBeGreaterThan(0);
  expect(json.baseline.stale.map((e) => e.check)).toEqual(['auth.refused-401']);
  // junit.xml: the check passes with what was acknowledged; the stale entry is a skipped testcase
  const junit = second.reports['junit.xml'] ?? '';
  expect(junit).not.toContain('<failure');
  expect(junit).toMatch(/name="semantics\.fields-round-trip: [^"]*"[^>]*>\s*<system-out>~ semantics\.fields-round-trip[^<]*ACKNOWLEDGED/);
  expect(junit).toMatch(/<testcase classname="baseline" name="every entry of [^"]+ still acknowledges a finding">\s*<skipped message="1 stale entry, 0 expired entries"\/>/);
});

test('an expired entry no longer acknowledges: exit 1, reported as expired', async () => {
  const file = path.join(dir, 'expired.json');
  fs.writeFileSync(file, JSON.stringify({ acknowledged: [{ check: 'semantics.fields-round-trip', reason: 'until the fix', expires: '2020-01-01' }] }));
  const result = await run(['--baseline', file, '--checks', 'semantics']);
  expect(result.code).toBe(1);
  expect(result.stdout).toMatch(/expired: #1 semantics\.fields-round-trip \(until the fix; expires 2020-01-01\) has expired/);
});
