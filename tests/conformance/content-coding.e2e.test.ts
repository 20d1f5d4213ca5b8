/**
 * Content codings end to end: the CLI (a child process, through tsx) against the reference provider behind a
 * loopback proxy (tests/conformance/hostile-target.ts) that sends its answers in a content coding. The run sends no
 * Accept-Encoding, so any coding is acceptable (RFC 9110 section 12.5.3): gzip, deflate and br answers are read
 * decoded and judged as the plain ones (a correct API stays conformant); a coding no client knows is a finding of its
 * own (schema.content-coding-known), never a JSON parse error.
 */
import * as zlib from 'node:zlib';
import { HOSTILE_KEY, keyFormsIn, startHostile, type Encode, type Hostile, type HostileOptions } from './hostile-target';
import { runConformance, type CliResult } from './run-cli';

jest.setTimeout(180_000);

const ORIGINAL_241 = { name: 'My New Job', due: '2021-06-03T13:43:00Z', isProcessing: 0 };

let hostile: Hostile | undefined;
afterEach(async () => {
  await hostile?.close();
  hostile = undefined;
});

async function against(options: HostileOptions, args: readonly string[]): Promise<{ result: CliResult; target: Hostile }> {
  hostile = await startHostile(options);
  const result = await runConformance(['--target', hostile.url, ...args], { env: { LILT_API_KEY: HOSTILE_KEY }, killAfterMs: 150_000 });
  return { result, target: hostile };
}

/** Every answer of the provider sent in `encode`'s coding. */
const everyAnswerIn = (encode: Encode): HostileOptions => ({ decide: () => ({ kind: 'forward', encode }) });

const gzip: Encode = (body) => ({ coding: 'gzip', body: zlib.gzipSync(body) });
const rawDeflate: Encode = (body) => ({ coding: 'deflate', body: zlib.deflateRawSync(body) });
const br: Encode = (body) => ({ coding: 'br', body: zlib.brotliCompressSync(body) });

function expectConformant(result: CliResult, target: Hostile): void {
  if (result.code !== 0) process.stderr.write(`${result.stdout}\n${result.stderr}\n`);
  expect(result.code).toBe(0);
  expect(result.groups).toEqual([]);
  expect(result.stdout).toMatch(/verdict: conformant \(exit 0\)/);
  // Every answer came coded; no request asked for one.
  expect(target.seen.length).toBeGreaterThan(50);
  expect(target.seen.filter((s) => s.fate !== 'forward')).toEqual([]);
  expect(target.seen.filter((s) => s.headers['accept-encoding'] !== undefined)).toEqual([]);
  expect(keyFormsIn(`${result.stdout}\n${result.stderr}\n${Object.values(result.reports).join('\n')}`)).toEqual([]);
}

test('a provider that gzips every answer: the whole default run (every group, jobs 241,242,243) is conformant, exit 0, no findings', async () => {
  const { result, target } = await against(everyAnswerIn(gzip), ['--job-id', '241,242,243']);
  expectConformant(result, target);
  expect(result.stdout).toMatch(/seed \d+, 50 runs per property/);
  expect(await target.job(241)).toMatchObject(ORIGINAL_241);
});

test.each<[string, Encode]>([
  ['raw deflate (no zlib header, as some servers send it)', rawDeflate],
  ['br', br],
])('a provider that answers in %s: conformant, exit 0, no findings', async (_label, encode) => {
  const { result, target } = await against(everyAnswerIn(encode), ['--job-id', '241', '--runs', '10', '--seed', '3']);
  expectConformant(result, target);
  expect(await target.job(241)).toMatchObject(ORIGINAL_241);
});

test('errors labelled Content-Encoding: x-custom: schema.content-coding-known and nothing else, no JSON parse error; exit 1', async () => {
  const errorsInXCustom: Encode = (body, status) => (status >= 400 ? { coding: 'x-custom', body } : undefined);
  const { result, target } = await against(
    everyAnswerIn(errorsInXCustom),
    ['--job-id', '241', '--runs', '10', '--seed', '3'],
  );
  expect(result.code).toBe(1);
  expect(result.failedChecks).toEqual(['schema.content-coding-known']);
  const group = result.groups[0];
  expect(group?.actual).toMatch(/^Content-Encoding: x-custom: x-custom is not a coding the run reads \(it reads gzip, deflate and br\); the body was not read$/);
  expect(group?.count).toBeGreaterThan(10);
  const findings = result.reports['findings.json'] ?? '';
  expect(findings).not.toMatch(/JSON document|Unexpected token|Unexpected end of JSON|is not valid JSON/);
  expect(await target.job(241)).toMatchObject(ORIGINAL_241);
});
