/**
 * The reports of one run against a provider with one schema fault (the Job's id a string), through the CLI as CI runs
 * it (GITHUB_ACTIONS=true): junit.xml has one testcase per check and exactly the failing checks failing, each with the
 * first example's expected and actual in its message, a time, and no stack frame; report.md opens with the failures'
 * causes; the workflow annotations name each failure; every report file together stays under 128 KB; report.html,
 * opened by headless Chromium at 1280x800, shows the first failure's cause without scrolling, the failing checks, and
 * an example that unfolds to request, response and curl, without one network request.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import { launchChromium } from '../helpers/chromium';
import { ALL_CHECKS } from '../../src/checks/registry';
import { referenceDefaults } from '../../src/run/session/reference';
import { FAULTS, startFaulty } from '../conformance/faulty-provider';
import { runConformance, type CliResult } from '../conformance/run-cli';
import { tempDir } from '../helpers/temp';

const { apiKey, jobId } = referenceDefaults();
jest.setTimeout(120_000);

let result: CliResult;
beforeAll(async () => {
  const provider = await startFaulty(FAULTS.stringId);
  try {
    result = await runConformance(['--target', provider.url, '--job-id', String(jobId), '--runs', '15', '--seed', '7'], {
      env: { LILT_API_KEY: apiKey, GITHUB_ACTIONS: 'true' },
    });
  } finally {
    await provider.close();
  }
});

interface TestCase {
  classname: string;
  name: string;
  time?: string;
  failure?: { message?: string; '#text'?: string };
  skipped?: unknown;
}

function testcases(xml: string): TestCase[] {
  const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'testsuite' || name === 'testcase' }).parse(xml) as {
    testsuites: { testsuite: Array<{ testcase: TestCase[] }> };
  };
  return parsed.testsuites.testsuite.flatMap((suite) => suite.testcase);
}

test('one schema fault: exit 1, and junit.xml fails exactly the failing checks, one testcase each, with a message', () => {
  expect(result.code).toBe(1);
  expect(result.failedChecks).toEqual(['schema.body-matches-schema', 'semantics.id-matches-path']);
  const cases = testcases(result.reports['junit.xml'] ?? '');
  const failing = cases.filter((c) => c.failure !== undefined);
  expect(failing.map((c) => c.name.split(':')[0]).sort()).toEqual(result.failedChecks);
  for (const c of failing) {
    expect(c.failure?.message).toMatch(/^Expected .+; actual .+\. .*Broken by \d+ of \d+ judged responses/);
    expect(c.failure?.['#text']).toMatch(/reproduce: curl /);
    expect(c.failure?.['#text']).not.toMatch(/\n\s+at \S+ \(/); // no stack frame
  }
  // every check of the selection is a testcase, named by its id, classname its group; the auth ones pass
  expect(cases.filter((c) => c.classname === 'auth').every((c) => c.failure === undefined)).toBe(true);
  // exactly one testcase per check (a complete run has no other), each with a short title and a time
  expect(cases.map((c) => c.name.split(':')[0])).toEqual(ALL_CHECKS.map((c) => c.id));
  for (const c of cases) expect(c.name.length).toBeLessThan(c.name.split(':')[0]!.length + 80);
  expect(cases.filter((c) => c.skipped === undefined).every((c) => /^\d+\.\d{3}$/.test(c.time ?? ''))).toBe(true);
  expect(cases.some((c) => Number(c.time) > 0)).toBe(true);
  // the string id's failure says what came back: the id as a string
  const idCase = failing.find((c) => c.name.startsWith('semantics.id-matches-path'));
  expect(idCase?.failure?.message).toMatch(/actual .*"241"/);
  expect(result.stdout).toMatch(/Failures: \d+ findings in 2 patterns/);
});

test('report.md opens with the failures, each cause first (check, rule, source, expected, actual, request, curl); the checks table after', () => {
  const md = result.reports['report.md'] ?? '';
  const headings = md.split('\n').filter((line) => line.startsWith('## '));
  expect(headings[0]).toMatch(/^## Failures: \d+ findings in 2 patterns/);
  expect(headings.indexOf('## Checks')).toBeGreaterThan(0);
  const firstFailure = md.slice(md.indexOf('### '));
  const causeLines = firstFailure.split('\n').slice(2, 9).map((line) => line.replace(/:\*\*.*/, ''));
  expect(causeLines).toEqual(['- **check', '- **rule', '- **source', '- **expected', '- **actual', '- **request', '- **reproduce']);
  expect(md.indexOf('- **actual:**')).toBeLessThan(md.indexOf('| check | result |'));
  expect(firstFailure).toMatch(/- \*\*reproduce:\*\* `curl -sS -i -X PUT 'http:/);
});

test('GITHUB_ACTIONS=true: one workflow annotation a failing check, escaped as the runner reads it, no key', () => {
  const annotations = result.stdout.split('\n').filter((line) => line.startsWith('::'));
  expect(annotations.map((line) => /^::error title=lilt-conformance ([^%]+)%3A /.exec(line)?.[1]).sort()).toEqual(result.failedChecks);
  for (const line of annotations) {
    const [, title, message] = /^::error title=([^:]*)::(.*)$/.exec(line) ?? [];
    expect(title).not.toMatch(/[,:\r\n]/);
    expect(message).toMatch(/^expected: .+%0Aactual: .+%0Arule: /);
    expect(message).not.toMatch(/\r|%(?!25|0A|0D)/);
    expect(line).not.toContain(apiKey);
  }
});

test('findings.json keeps every case of each group; all report files together are under 128 KB', () => {
  const schema = result.groups.find((g) => g.checkId === 'schema.body-matches-schema');
  expect(schema?.count).toBeGreaterThan(100);
  expect(schema?.examples.length).toBe(3);
  expect(schema?.cases.reduce((n, c) => n + c.count, 0)).toBe(schema?.count);
  expect(schema?.cases.map((c) => c.group)).toEqual(expect.arrayContaining(['start-up', 'schema', 'semantics', 'properties']));
  expect(Object.keys(result.reports).sort()).toEqual(['findings.json', 'junit.xml', 'report.html', 'report.md']);
  const total = Object.values(result.reports).reduce((sum, text) => sum + Buffer.byteLength(text), 0);
  expect(total).toBeLessThan(128 * 1024);
});

test('report.html in headless Chromium: the failing checks visible, an example unfolds, nothing fetched', async () => {
  const dir = tempDir('lilt-html-');
  const file = path.join(dir, 'report.html');
  fs.writeFileSync(file, result.reports['report.html'] ?? '');
  const running = await launchChromium();
  try {
    const page = await running.browser.newPage({ viewport: { width: 1280, height: 800 } });
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    await page.goto(pathToFileURL(file).href);
    expect(await page.locator('#verdict').textContent()).toBe('NOT conformant');

    // Above the fold at 1280x800: the first failure's cause (check, rule, source, expected, actual, request, curl).
    const screenshot = await page.screenshot(); // the page as drawn, not saved
    expect(screenshot.length).toBeGreaterThan(1000);
    expect(await page.evaluate(() => (globalThis as unknown as { scrollY: number }).scrollY)).toBe(0);
    const cause = page.locator('#first-cause');
    const box = await cause.boundingBox();
    expect(box).not.toBeNull();
    expect(box!.y).toBeGreaterThanOrEqual(0);
    expect(box!.y + box!.height).toBeLessThanOrEqual(800);
    expect(await cause.locator('dd.actual').isVisible()).toBe(true);
    expect(await cause.locator('dd.actual').textContent()).toMatch(/"241"|string/);
    expect(await cause.locator('pre.cause-curl').textContent()).toMatch(/^curl -sS -i -X PUT/);

    // The failing checks are rows marked failing, on screen; the others are not.
    const failingRows = page.locator('tr.check.fail');
    expect((await failingRows.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-check')))).sort()).toEqual(result.failedChecks);
    for (const row of await failingRows.all()) expect(await row.isVisible()).toBe(true);
    const passing = testcases(result.reports['junit.xml'] ?? '').filter((c) => c.classname !== 'run' && c.failure === undefined && c.skipped === undefined);
    expect(await page.locator('tr.check.pass').count()).toBe(passing.length);
    expect(passing.length).toBeGreaterThan(10);

    // A failure pattern is open with its cause; its examples are folded until opened, then show request, response and curl.
    const failure = page.locator('details.pattern[data-check="semantics.id-matches-path"]');
    expect(await failure.locator('summary').first().textContent()).toMatch(/semantics\.id-matches-path.*\d+ findings in \d+ cases/);
    expect(await failure.locator('.cause dd.actual').isVisible()).toBe(true);
    const curl = failure.locator('details.example pre.curl').first();
    const example = failure.locator('details.example').first();
    expect(await example.isVisible()).toBe(true);
    expect(await curl.isVisible()).toBe(false);
    await example.locator('summary').click();
    expect(await curl.isVisible()).toBe(true);
    expect(await curl.textContent()).toMatch(/^curl -sS -i -X PUT 'http:\/\/127\.0\.0\.1:\d+\/v2\/jobs\/241'/);
    expect(await example.locator('pre.response').textContent()).toContain('"id":"241"');
    expect(await example.locator('pre.request').textContent()).toMatch(/^PUT http/);

    // The settings and the seed are there.
    expect(await page.locator('#settings').textContent()).toContain('7 (given)');
    expect(requested).toEqual([pathToFileURL(file).href]);
  } finally {
    await running.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
