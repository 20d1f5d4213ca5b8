/**
 * Every finding names its rule's source, in every report (the terminal, report.md, report.html, findings.json,
 * junit.xml); advisories (what the contract allows but the tool advises against) are reported apart, with why they
 * are only advice, and never fail the run unless --fail-on-advisory.
 *
 * The lenient conformant variant reads the first copy of a repeated key query parameter (an open choice), so
 * `?key=<key>&key=<wrong>` gets in: an advisory. The string-id fault breaks the Job's schema: findings.
 */
import { resolveRunConfig } from '../../src/config/run-config';
import { loadContract, type Contract } from '../../src/contract/load';
import { runConformance, type RunResult } from '../../src/run/run';
import { findingsJson, markdownReport } from '../../src/reports/files';
import { htmlReport } from '../../src/reports/html';
import { junitXml } from '../../src/reports/junit';
import { summaryOf } from '../../src/reports/summary';
import { formatTerminalReport } from '../../src/reports/terminal';
import { FAULTS, startFaulty } from '../conformance/faulty-provider';
import { startConformantVariant } from '../proof/conformant-variant';

jest.setTimeout(120_000);
let contract: Contract;
beforeAll(async () => {
  contract = await loadContract();
});

async function runOn(url: string, apiKey: string, extra: Record<string, string | boolean> = {}): Promise<RunResult> {
  const { config } = resolveRunConfig({ target: url, apiKey, jobId: '241', runs: '10', seed: '3', ...extra }, {}, contract);
  return runConformance({ config, apiKey, contract });
}

function reportsOf(result: RunResult) {
  const summary = summaryOf(result);
  return {
    summary,
    terminal: formatTerminalReport(summary),
    md: markdownReport(summary),
    html: htmlReport(summary),
    json: JSON.parse(findingsJson(summary)) as {
      patterns: Array<{ checkId: string; sources: string[] }>;
      advisories: Array<{ checkId: string; advice: string; why: string; sources: string[] }>;
    },
    junit: junitXml(summary),
  };
}

describe('an advisory: the key beside a wrong copy let in by a provider that reads the first copy', () => {
  let variant: Awaited<ReturnType<typeof startConformantVariant>>;
  beforeAll(async () => {
    variant = await startConformantVariant({ flavour: 'lenient', apiKey: 'test-key' });
  });
  afterAll(() => variant.close());

  test('is reported apart, with its advice, why it is only advice and its source, and fails nothing', async () => {
    const result = await runOn(variant.url, 'test-key');
    expect(result.verdict).toEqual({ kind: 'conformant' });
    const r = reportsOf(result);
    expect(r.summary.findings).toEqual([]);
    expect(r.summary.advisories.map((f) => f.advisory?.id)).toEqual(['advice.refuse-wrong-key-copy']);
    expect(r.terminal).toMatch(/Advisories: 1 finding in 1 pattern/);
    expect(r.terminal).toMatch(/advice: {3}A query holding the key and a wrong key/);
    expect(r.terminal).toMatch(/source: {3}BEHAVIOUR\.md \(Open choices\): "the `key` query parameter given twice/);
    expect(r.md).toMatch(/## Advisories: 1 finding in 1 pattern/);
    expect(r.html).toContain('<section id="advisories">');
    expect(r.json.advisories).toEqual([expect.objectContaining({ checkId: 'auth.refused-401', advice: expect.any(String), why: expect.any(String) })]);
    expect(r.json.advisories[0]?.sources.join(' ')).toMatch(/Open choices/);
    expect(r.junit).not.toContain('<failure');
    expect(r.junit).toContain('Advisories (fail nothing)');
  });

  test('fails the run with --fail-on-advisory', async () => {
    const result = await runOn(variant.url, 'test-key', { failOnAdvisory: true });
    expect(result.verdict).toEqual({ kind: 'not-conformant', failedChecks: ['auth.refused-401'] });
    const r = reportsOf(result);
    expect(r.summary.advisories).toEqual([]);
    expect(r.summary.findings.map((f) => f.advisory?.failsTheRun)).toEqual([true]);
    expect(r.junit).toContain('<failure');
  });

  test('LILT_FAIL_ON_ADVISORY=true does the same; a value that is not a boolean is one line', () => {
    expect(resolveRunConfig({}, { LILT_FAIL_ON_ADVISORY: 'true' }, contract).config.failOnAdvisory).toBe(true);
    expect(resolveRunConfig({}, {}, contract).config.failOnAdvisory).toBe(false);
    expect(() => resolveRunConfig({}, { LILT_FAIL_ON_ADVISORY: 'sometimes' }, contract)).toThrow(/LILT_FAIL_ON_ADVISORY must be true or false/);
  });
});

test('every finding of a faulty provider names its sources in every report', async () => {
  const provider = await startFaulty(FAULTS.stringId);
  try {
    const result = await runOn(provider.url, 'test-key');
    const r = reportsOf(result);
    expect(r.summary.findingPatterns.length).toBeGreaterThan(0);
    for (const finding of r.summary.findings) expect([finding.checkId, finding.sources.length > 0]).toEqual([finding.checkId, true]);
    const schema = '#/components/schemas/Job';
    for (const text of [r.terminal, r.md, r.html, r.junit]) expect(text).toContain(schema);
    for (const group of r.json.patterns) expect([group.checkId, group.sources.length > 0]).toEqual([group.checkId, true]);
  } finally {
    await provider.close();
  }
});
