/**
 * Issue 12's table, the rows about what a run writes: the report directory (made and probed before the first request,
 * a failure after the run one line and exit 2), the key echoed by a target in every encoding, the key inside the job's
 * own data, a report directory holding a file the run did not write, and the production guard; and issue 22's: the
 * key (ASCII, and non-ASCII) in each form through the body, the job's name and a header the run prints (Content-Type,
 * its UTF-8 read as Latin-1; Retry-After, longer than it is cut to), in no output, the HAR included. Each an end-to-end run
 * of the CLI against a small hostile server on loopback, asserting the exit code, a time bound, the job's values
 * afterwards, and that the key is in no output.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FORWARD, HOSTILE_KEY, keyFormsIn, startHostile, type Decision, type Hostile, type HostileOptions } from './hostile-target';
import { runConformance, type CliResult } from './run-cli';
import { tempDir } from '../helpers/temp';

jest.setTimeout(120_000);

const ORIGINAL_241 = { name: 'My New Job', due: '2021-06-03T13:43:00Z', isProcessing: 0 };
const SHORT = ['--runs', '2', '--seed', '3'];

let hostile: Hostile | undefined;
afterEach(async () => {
  await hostile?.close();
  hostile = undefined;
});

const scratchDir = (): string => tempDir('hostile-output-');

async function against(options: HostileOptions, args: readonly string[]): Promise<{ result: CliResult; target: Hostile }> {
  hostile = await startHostile(options);
  const result = await runConformance(['--target', hostile.url, ...args], { env: { LILT_API_KEY: HOSTILE_KEY } });
  return { result, target: hostile };
}

/** The report files in `dir`, by name (for a --report-dir given by the test). */
function filesIn(dir: string): Record<string, string> {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return {};
  return Object.fromEntries(fs.readdirSync(dir).map((name) => [name, fs.readFileSync(path.join(dir, name), 'utf8')]));
}

function expectNoKey(result: CliResult, reports: Record<string, string> = result.reports): void {
  expect(keyFormsIn(`${result.stdout}\n${result.stderr}\n${Object.values(reports).join('\n')}`)).toEqual([]);
  expect(result.stderr).not.toMatch(/API key was found/);
}

const errorLines = (text: string) => text.split('\n').filter((line) => line.startsWith('error:'));

describe('--report-dir that cannot be written: one line, exit 2, nothing sent', () => {
  const cases: ReadonlyArray<readonly [string, () => string]> = [
    ['under /proc', () => '/proc/xyz'],
    ['under /sys', () => '/sys/xyz'],
    ['under a regular file', () => {
      const file = path.join(scratchDir(), 'a-file');
      fs.writeFileSync(file, 'not a directory');
      return path.join(file, 'reports');
    }],
    ['a dangling symlink', () => {
      const link = path.join(scratchDir(), 'dangling');
      fs.symlinkSync(path.join(os.tmpdir(), 'lilt-conformance-no-such-target', 'x'), link);
      return link;
    }],
  ];
  test.each(cases)('%s', async (_label, make) => {
    const dir = make();
    const { result, target } = await against({}, ['--job-id', '241', '--report-dir', dir, ...SHORT]);
    expect(result.code).toBe(2);
    expect(result.wallMs).toBeLessThan(20_000);
    expect(errorLines(result.stderr)).toEqual([
      expect.stringMatching(/^error: --report-dir .* cannot be written \([A-Z]+: .*\); nothing was sent\. Pass a directory/),
    ]);
    expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(target.seen).toEqual([]);
    expect(await target.job(241)).toMatchObject(ORIGINAL_241);
    expectNoKey(result);
  });
});

test('a report directory that becomes unwritable during the run: the job is restored first, then one line and exit 2', async () => {
  const dir = path.join(scratchDir(), 'reports');
  let replaced = false;
  const { result, target } = await against(
    {
      decide: (seen): Decision => {
        if (!replaced && seen.body.includes('lilt-conformance')) {
          replaced = true;
          fs.rmSync(dir, { recursive: true, force: true });
          fs.writeFileSync(dir, 'now a file');
        }
        return { kind: 'forward' };
      },
    },
    ['--job-id', '241', '--checks', 'schema', '--report-dir', dir, ...SHORT],
  );
  expect(replaced).toBe(true);
  expect(result.code).toBe(2);
  expect(result.wallMs).toBeLessThan(30_000);
  expect(result.stdout).toMatch(/job 241: restored \(name="My New Job".*\) and read back/);
  expect(errorLines(result.stderr)).toEqual([
    expect.stringMatching(/^error: the reports could not be written to .*reports after the run \(EEXIST: .*\); the job was handled as the line above says/),
  ]);
  expect(result.stdout).toMatch(/verdict: conformant \(exit 2\)/);
  expect(await target.job(241)).toMatchObject(ORIGINAL_241);
  expectNoKey(result);
});

test('a report directory holding a .env with the key: the scan reads only what the run wrote; no probe is left; exit 0', async () => {
  const dir = scratchDir();
  fs.writeFileSync(path.join(dir, '.env'), `LILT_API_KEY=${HOSTILE_KEY}\n`);
  const { result, target } = await against({}, ['--job-id', '241', '--checks', 'schema', '--report-dir', dir, ...SHORT]);
  expect(result.code).toBe(0);
  expect(result.wallMs).toBeLessThan(30_000);
  expect(result.stderr).not.toMatch(/API key was found|rotate/);
  expect(fs.readdirSync(dir).sort()).toEqual(['.env', 'findings.json', 'junit.xml', 'report.html', 'report.md']);
  expect(fs.readFileSync(path.join(dir, '.env'), 'utf8')).toBe(`LILT_API_KEY=${HOSTILE_KEY}\n`);
  const written = filesIn(dir);
  delete written['.env'];
  expect(await target.job(241)).toMatchObject(ORIGINAL_241);
  expectNoKey(result, written);
});

test('the key echoed in error bodies in every encoding (base64, base64url of key:key, lower-case %, JSON \\u, hex, split by a newline): redacted everywhere; exit 1', async () => {
  const key = HOSTILE_KEY;
  const echoes = [
    Buffer.from(key).toString('base64'),
    Buffer.from(`${key}:${key}`).toString('base64url'),
    encodeURIComponent(key).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    [...key].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join(''),
    Buffer.from(key).toString('hex'),
    `${key.slice(0, 8)}\\n${key.slice(8)}`,
  ];
  let echoed = 0;
  const { result, target } = await against(
    {
      decide: (): Decision => ({
        kind: 'forward',
        // Every error body but the 401's loses its message (a finding, so the body is shown) and carries the key instead.
        rewrite: (status, body) => {
          if (status < 400 || status === 401) return body;
          echoed += 1;
          return `{"error":"upstream said: ${echoes.join(' | ')}"}`;
        },
      }),
    },
    ['--job-id', '241', '--checks', 'schema', ...SHORT],
  );
  expect(echoed).toBeGreaterThanOrEqual(3);
  expect(result.code).toBe(1);
  expect(result.wallMs).toBeLessThan(30_000);
  // The bodies are in the findings, with the key taken out of each.
  expect(result.failedChecks).toContain('schema.body-matches-schema');
  expect(result.reports['findings.json']).toContain('upstream said: [redacted: LILT_API_KEY]');
  expect(result.stdout).toContain('[redacted: LILT_API_KEY]');
  expect(await target.job(241)).toMatchObject(ORIGINAL_241);
  expectNoKey(result);
});

test("the key inside the job's own data (its name): redacted in the first read's line, the restore line and report.md; the job put back as it was; exit 0", async () => {
  const name = `owner ${HOSTILE_KEY} notes`;
  const { result, target } = await against(
    { jobs: (jobs) => jobs.map((job) => (job.id === 241 ? { ...job, name } : job)) },
    ['--job-id', '241', '--checks', 'schema', ...SHORT],
  );
  expect(result.code).toBe(0);
  expect(result.wallMs).toBeLessThan(30_000);
  expect(result.stderr).toContain('job 241 before the run: name="owner [redacted: LILT_API_KEY] notes"');
  expect(result.stdout).toContain('job 241: restored (name="owner [redacted: LILT_API_KEY] notes"');
  expect(result.reports['report.md']).toContain('restored (name="owner [redacted: LILT_API_KEY] notes"');
  expect(await target.job(241)).toMatchObject({ ...ORIGINAL_241, name });
  expectNoKey(result);
});

test('--target https://api.lilt.com. (a trailing dot) is the production server: one line, exit 2, nothing sent', async () => {
  const result = await runConformance(['--target', 'https://api.lilt.com.', '--job-id', '241'], { env: { LILT_API_KEY: HOSTILE_KEY } });
  expect(result.code).toBe(2);
  expect(result.wallMs).toBeLessThan(20_000);
  expect(errorLines(result.stderr)).toEqual([expect.stringMatching(/api\.lilt\.com\. is the document's production server.*--allow-production/)]);
  expectNoKey(result);
});

/** Issue 22: the forms of a key a target may echo, computed here from the key (not from the run's patterns). */
function echoForms(key: string): Record<string, string> {
  const both = `${key}:${key}`;
  const utf16 = [...key].flatMap((c) => [...Array(c.length).keys()].map((i) => c.charCodeAt(i)));
  return {
    plain: key,
    'percent-encoded': encodeURIComponent(key),
    'percent-encoded, lower case': encodeURIComponent(key).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    'JSON \\u escapes': utf16.map((c) => `\\u${c.toString(16).padStart(4, '0')}`).join(''),
    'JSON \\u escapes, upper case': utf16.map((c) => `\\u${c.toString(16).padStart(4, '0').toUpperCase()}`).join(''),
    'decimal entities': [...key].map((c) => `&#${c.codePointAt(0)};`).join(''),
    'hex entities': [...key].map((c) => `&#x${c.codePointAt(0)!.toString(16)};`).join(''),
    'base64 of key:key': Buffer.from(both).toString('base64'),
    'base64url of key:key': Buffer.from(both).toString('base64url'),
    hex: Buffer.from(key).toString('hex'),
  };
}

/** Every text of the outputs, also as a reader sees it once the output's own escaping is undone. */
function readable(texts: readonly string[]): string {
  const entities = (t: string) =>
    t
      .replace(/&#x([0-9a-f]+);/gi, (_m, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
      .replace(/&#(\d+);/g, (_m, dec: string) => String.fromCodePoint(Number(dec)))
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  const unjson = (t: string) => t.replace(/\\\\/g, '\\').replace(/\\"/g, '"');
  return texts.flatMap((t) => [t, entities(t), unjson(t), unjson(unjson(t)), entities(entities(t))]).join('\n');
}

describe.each([
  ['an ASCII key', HOSTILE_KEY],
  ['a non-ASCII key', 'S3kr/t+Key=42#ü~x'],
])("the key (%s) echoed in every form through the body, the job's name and the Content-Type header", (_label, key) => {
  test('in no output (terminal, report.md, report.html, findings.json, junit.xml, the HAR); the job put back as it was; the scan quiet', async () => {
    const forms = echoForms(key);
    const all = Object.values(forms).join(' | ');
    // The job's name holds some forms (the first read's line, the restore line, the reports show it, cut to a length).
    const name = `owner ${forms['JSON \\u escapes']} ${forms['percent-encoded']} ${key} notes`;
    // A header's value as bytes: the key's UTF-8, which the run reads as Latin-1.
    const headerKey = Buffer.from(key, 'utf8').toString('latin1');
    let echoed = { body: 0, header: 0 };
    hostile = await startHostile({
      apiKey: key,
      jobs: (jobs) => jobs.map((job) => (job.id === 241 ? { ...job, name } : job)),
      decide: (seen): Decision => {
        if (/^\/v2\/jobs\/[^/?]*[^0-9/?][^/?]*(\?|$)/.test(seen.url)) {
          echoed = { ...echoed, header: echoed.header + 1 };
          return { kind: 'respond', status: 400, headers: { 'content-type': `application/json; charset=${headerKey}` }, body: JSON.stringify({ oops: all }) };
        }
        return {
          kind: 'forward',
          rewrite: (status, body) => {
            if (status < 400 || status === 401) return body;
            echoed = { ...echoed, body: echoed.body + 1 };
            return JSON.stringify({ error: `upstream said: ${all}` });
          },
        };
      },
    });
    const har = path.join(scratchDir(), 'run.har');
    const result = await runConformance(['--target', hostile.url, '--job-id', '241', '--checks', 'schema,ids', '--har', har, ...SHORT], { env: { LILT_API_KEY: key } });
    expect(echoed.body).toBeGreaterThan(0);
    expect(echoed.header).toBeGreaterThan(0);
    expect(result.code).toBe(1);
    expect(result.wallMs).toBeLessThan(60_000);
    expect(result.stderr).not.toMatch(/API key was found/);
    const harText = fs.readFileSync(har, 'utf8');
    const outputs = { stdout: result.stdout, stderr: result.stderr, ...result.reports, har: harText };
    expect(Object.keys(outputs).sort()).toEqual(['findings.json', 'har', 'junit.xml', 'report.html', 'report.md', 'stderr', 'stdout']);
    // What was echoed is shown, redacted: the body's, the header's, the job's name.
    expect(result.reports['findings.json']).toContain('upstream said: [redacted: LILT_API_KEY]');
    expect(harText).toContain('charset=[redacted: LILT_API_KEY]');
    expect(result.stderr).toContain('job 241 before the run: name="owner [redacted: LILT_API_KEY]');
    for (const [where, text] of Object.entries(outputs)) {
      const seen = readable([text]);
      expect([where, keyFormsIn(seen, key)]).toEqual([where, []]);
      expect([where, Object.entries(forms).filter(([, form]) => seen.includes(form)).map(([form]) => form)]).toEqual([where, []]);
      expect([where, seen.includes(headerKey)]).toEqual([where, false]);
    }
    expect(await hostile.job(241)).toMatchObject({ name });
  });
});

test('the key in a Retry-After, every character percent-encoded: shown redacted, never cut first; the run gives up (exit 3) and puts the job back', async () => {
  // 60 characters: longer than the 40 a Retry-After is cut to when quoted.
  const encoded = [...Buffer.from(HOSTILE_KEY)].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
  let throttled = 0;
  const { result, target } = await against(
    {
      decide: (seen): Decision => {
        if (seen.method === 'PUT' && seen.body.includes('"name"') && throttled === 0) {
          throttled += 1;
          return { kind: 'respond', status: 429, headers: { 'retry-after': `soon ${encoded}`, 'content-type': 'application/json' }, body: '{}' };
        }
        return FORWARD;
      },
    },
    ['--job-id', '241', '--checks', 'semantics', '--max-wait', '1', ...SHORT],
  );
  expect(throttled).toBe(1);
  expect(result.code).toBe(3);
  expect(result.wallMs).toBeLessThan(30_000);
  const printed = `${result.stdout}${result.stderr}`;
  expect(printed).toMatch(/Retry-After: "soon \[redacted: LILT_API_KEY\]"/);
  // No beginning of the key's encoding (the issue saw its first 6 to 13 characters).
  for (const characters of [4, 6, 9, 13]) expect([characters, printed.includes(encoded.slice(0, characters * 3))]).toEqual([characters, false]);
  expect(await target.job(241)).toMatchObject(ORIGINAL_241);
  expectNoKey(result);
});
