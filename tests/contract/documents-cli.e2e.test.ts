/**
 * `serve --contract X` and a run with `--contract X` against it, as a user types them, for the bundled document, a
 * 2025-style OpenAPI document (GET beside the PUT) and a Swagger 2.0 one (base path /2, GET): each run exits 0 and
 * reads the job through GET where X has one (the provider's log shows it), through PUT {} where it does not.
 */
import * as path from 'node:path';
import { DEFAULT_CONTRACT_FILE } from '../../src/contract/load';
import { runCli, type CliResult } from '../helpers/cli';

jest.setTimeout(300_000);

const DOCUMENTS = path.join(__dirname, 'documents');
const CASES = [
  { name: 'the bundled document', file: DEFAULT_CONTRACT_FILE, base: '/v2/jobs/', get: false },
  { name: 'a 2025-style OpenAPI document', file: path.join(DOCUMENTS, 'jobs-2025.openapi.yaml'), base: '/v2/jobs/', get: true },
  { name: 'a Swagger 2.0 document', file: path.join(DOCUMENTS, 'jobs.swagger.yaml'), base: '/2/jobs/', get: true },
];

/** Starts `serve --contract file`, runs `run(url)` while it listens, then stops it; its stdout is the request log. */
async function whileServing(file: string, run: (url: string) => Promise<CliResult>): Promise<{ served: CliResult; result: CliResult }> {
  let result: CliResult | undefined;
  let failure: unknown;
  let started = false;
  const served = await runCli(['serve', '--port', '0', '--contract', file], {
    killAfterMs: 240_000,
    onStdout: (running) => {
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(running.stdout)?.[1];
      if (started || url === undefined) return;
      started = true;
      run(url).then(
        (done) => {
          result = done;
          running.child.kill('SIGTERM');
        },
        (error: unknown) => {
          failure = error;
          running.child.kill('SIGKILL');
        },
      );
    },
  });
  if (failure !== undefined) throw failure instanceof Error ? failure : new Error(String(failure));
  if (result === undefined) throw new Error(`serve ended before the run: ${served.stderr}`);
  return { served, result };
}

test.each(CASES)('$name: serve --contract and a run with --contract against it exit 0', async ({ file, base, get }) => {
  const { served, result } = await whileServing(file, (url) =>
    runCli(['--contract', file, '--target', url, '--job-id', '241,242,243'], { env: { LILT_API_KEY: 'test-key' }, killAfterMs: 200_000 }),
  );
  expect({ code: result.code, stderr: result.stderr.slice(-2000) }).toEqual({ code: 0, stderr: expect.any(String) });
  expect(served.code).toBe(0);
  // The report names the operation as the document gives it, base path included.
  expect(`${result.stdout}${result.stderr}`).toContain(`Conformance of PUT ${base}{jobId} on http`);
  const lines = served.stdout.split('\n');
  const gets = lines.filter((line) => / GET /.test(line));
  const puts = lines.filter((line) => / PUT .*\/jobs\//.test(line));
  expect(puts.length).toBeGreaterThan(300);
  expect(puts.filter((line) => !line.includes(` PUT ${base}`))).toEqual([]);
  if (get) expect(gets.filter((line) => line.includes(` GET ${base}`) && / 200 /.test(line)).length).toBeGreaterThan(20);
  else expect(gets).toEqual([]);
});

test('a run with --contract naming an operation the document lacks: one line, exit 2, nothing sent', async () => {
  const result = await runCli(['--contract', path.join(DOCUMENTS, 'jobs.swagger.yaml'), '--operation', 'deleteJob', '--dry-run']);
  expect(result.code).toBe(2);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(/deleteJob/);
});
