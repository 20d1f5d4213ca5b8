/**
 * --har FILE: every exchange of a run as HAR 1.2, validated against the HAR schema (har-schema, the JSON Schema of
 * HAR 1.2 that har-validator uses, compiled by ajv), one entry per request sent (the run's own count, and what the
 * target saw, a 429 retried included), timings and both bodies there, and no form of the key in it although the
 * target echoes the key in its error bodies; the file is in the run's end-of-run key scan; and Chromium, through
 * Playwright's HAR replay, answers a recorded write from the file alone.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json';
import { HOSTILE_KEY, keyFormsIn, startHostile, type Decision, type Hostile } from '../conformance/hostile-target';
import { runConformance } from '../conformance/run-cli';
import { launchChromium } from '../helpers/chromium';
import { tempDir } from '../helpers/temp';

jest.setTimeout(120_000);

let hostile: Hostile | undefined;
let dir: string;
beforeEach(() => {
  dir = tempDir('lilt-har-');
});
afterEach(async () => {
  await hostile?.close();
  hostile = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The HAR 1.2 schema, every part under its own id, with the formats it names. */
function harValidator() {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addMetaSchema(draft06);
  // har-schema ships no types: its export is one JSON Schema (draft-06) per part of a HAR, each with its $id.
  const schemas = require('har-schema') as Record<string, { $id: string }>;
  for (const schema of Object.values(schemas)) ajv.addSchema(schema);
  const validate = ajv.getSchema('har.json#');
  if (validate === undefined) throw new Error('har-schema: no har.json#');
  return validate;
}

interface HarEntry {
  startedDateTime: string;
  time: number;
  request: { method: string; url: string; headers: Array<{ name: string; value: string }>; postData?: { text: string } };
  response: { status: number; content: { text?: string } };
  timings: { send: number; wait: number; receive: number };
}

test('a valid HAR 1.2 with one entry per request sent, timings and bodies, and no form of the key', async () => {
  let throttled = false;
  hostile = await startHostile({
    decide: (seen): Decision => {
      if (!throttled && seen.method === 'PUT' && seen.body.includes('"name"')) {
        throttled = true;
        return { kind: 'respond', status: 429, headers: { 'retry-after': '0', 'content-type': 'application/json' }, body: '{"message":"slow down"}' };
      }
      // Error bodies echo the key (base64 of key:key, and the key as JSON \u escapes).
      return {
        kind: 'forward',
        rewrite: (status, body) =>
          status >= 400 && status !== 401
            ? `{"error":"got ${Buffer.from(`${HOSTILE_KEY}:${HOSTILE_KEY}`).toString('base64')} ${[...HOSTILE_KEY].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}"}`
            : body,
      };
    },
  });
  const file = path.join(dir, 'run.har');
  const result = await runConformance(['--target', hostile.url, '--job-id', '241', '--checks', 'schema', '--runs', '2', '--seed', '3', '--har', file], {
    env: { LILT_API_KEY: HOSTILE_KEY },
  });
  expect(result.stderr).toContain(`har: ${file}`);
  expect(result.stderr).not.toMatch(/API key was found/);
  const text = fs.readFileSync(file, 'utf8');
  const har = JSON.parse(text) as { log: { version: string; entries: HarEntry[] } };
  const validate = harValidator();
  expect([validate(har), validate.errors ?? []]).toEqual([true, []]);
  expect(har.log.version).toBe('1.2');
  // The schema does judge: an entry without its timings is not HAR.
  const { timings: _timings, ...untimed } = har.log.entries[0]!;
  expect(validate({ log: { ...har.log, entries: [untimed] } })).toBe(false);

  // One entry per request sent: the run's count, and what the target saw (the 429 and its retry included).
  const sent = Number(/(\d+) requests sent/.exec(result.stdout)?.[1]);
  expect(throttled).toBe(true);
  expect(har.log.entries.length).toBe(sent);
  expect(har.log.entries.length).toBe(hostile.seen.length);
  expect(har.log.entries.filter((e) => e.response.status === 429)).toHaveLength(1);

  // Timings and bodies: a write's body as sent, a Job in a 200's body.
  for (const entry of har.log.entries) {
    expect(entry.time).toBeGreaterThan(0);
    expect(entry.timings.wait + entry.timings.receive).toBeLessThanOrEqual(entry.time + 0.01);
  }
  expect(har.log.entries.some((e) => e.request.postData?.text.includes('"name"'))).toBe(true);
  expect(har.log.entries.some((e) => e.response.status === 200 && (e.response.content.text ?? '').includes('"id":241'))).toBe(true);
  // The credentials stand in words; the echoes are redacted; no form of the key anywhere.
  const authorization = har.log.entries.flatMap((e) => e.request.headers.filter((h) => h.name === 'authorization').map((h) => h.value));
  expect(authorization.length).toBeGreaterThan(0);
  expect(authorization.every((value) => value.startsWith('[redacted: '))).toBe(true);
  expect(text).toContain('got [redacted: LILT_API_KEY]');
  expect(keyFormsIn(text)).toEqual([]);

  // Opened by a HAR consumer: Playwright's HAR replay in Chromium answers a recorded PUT with its recorded response.
  const write = har.log.entries.find((e) => e.request.method === 'PUT' && e.response.status === 200 && e.request.postData !== undefined && !e.request.url.includes('?'))!;
  const recorded = har.log.entries
    .filter((e) => e.request.method === 'PUT' && e.request.url === write.request.url && e.request.postData?.text === write.request.postData?.text)
    .map((e) => ({ status: e.response.status, text: e.response.content.text ?? '' }));
  const origin = new URL(hostile.url).origin;
  await hostile.close(); // nothing reaches the target now: every answer comes from the file
  const running = await launchChromium();
  try {
    const context = await running.browser.newContext();
    await context.route(`${origin}/`, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>replay</title>' }));
    await context.routeFromHAR(file, { notFound: 'abort', url: `${origin}/v2/**` });
    const page = await context.newPage();
    await page.goto(`${origin}/`);
    const replayed = await page.evaluate(
      async ({ url, body }) => {
        const response = await fetch(url, { method: 'PUT', body, headers: { 'content-type': 'application/json' } });
        return { status: response.status, text: await response.text() };
      },
      { url: write.request.url, body: write.request.postData!.text },
    );
    expect(recorded).toContainEqual(replayed);
    expect(replayed.text).toContain('"id":241');
  } finally {
    await running.close();
  }
});

test('--har in a directory that does not exist, or one that cannot be written: one line, exit 2, nothing sent', async () => {
  hostile = await startHostile();
  const missing = await runConformance(['--target', hostile.url, '--job-id', '241', '--har', path.join(dir, 'no', 'run.har')], { env: { LILT_API_KEY: HOSTILE_KEY } });
  expect(missing.code).toBe(2);
  expect(missing.stderr).toMatch(/--har .*run\.har: the directory .* does not exist; create it or choose another file/);
  const unwritable = await runConformance(['--target', hostile.url, '--job-id', '241', '--har', '/proc/run.har'], { env: { LILT_API_KEY: HOSTILE_KEY } });
  expect(unwritable.code).toBe(2);
  expect(unwritable.stderr.split('\n').filter((line) => line.startsWith('error:'))).toEqual([
    expect.stringMatching(/^error: --har \/proc\/run\.har cannot be written \([A-Z]+\); nothing was sent/),
  ]);
  expect(hostile.seen).toEqual([]);
});
