/**
 * The second opinion: an implementation of the contract written apart from this project, in three correct flavours
 * that take different sides of the open choices (../shared/second-opinion/, README.md there). A correct API must pass
 * the suite, so each flavour must: the whole default run (every group, jobs 241, 242 and 243) exits 0 with no finding.
 *
 * The team's copy is used when it is beside the checkout (../shared/second-opinion/provider.mjs); otherwise the copy
 * kept byte for byte in tests/fixtures/second-opinion/, which a test holds to the team's whenever both are there.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, runConformance } from '../conformance/run-cli';

const SHARED = path.join(ROOT, '..', 'shared', 'second-opinion', 'provider.mjs');
const KEPT = path.join(ROOT, 'tests', 'fixtures', 'second-opinion', 'provider.mjs');
const PROVIDER = fs.existsSync(SHARED) ? SHARED : KEPT;
const FLAVOURS = ['strict', 'variant', 'other-choices'] as const;

jest.setTimeout(180_000);

interface Running {
  readonly url: string;
  stop(): Promise<void>;
}

/** Starts a flavour (from the project's root: it loads ajv from there) and waits for "listening <port>". */
function start(flavour: string): Promise<Running> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [PROVIDER, '--variant', flavour, '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${flavour} did not start: ${out}`)), 15_000);
    child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const port = /listening (\d+)/.exec(out)?.[1];
      if (port === undefined) return;
      clearTimeout(timer);
      resolve({
        url: `http://127.0.0.1:${port}`,
        stop: () =>
          new Promise<void>((done) => {
            child.once('close', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
    child.once('error', reject);
  });
}

test('the copy kept in tests/fixtures is the team\'s, byte for byte (when the team\'s is beside the checkout)', () => {
  const kept = fs.readFileSync(KEPT);
  expect(kept.length).toBeGreaterThan(10_000);
  if (!fs.existsSync(SHARED)) return; // a clone on its own: the kept copy is all there is
  expect(kept.equals(fs.readFileSync(SHARED))).toBe(true);
});

describe.each(FLAVOURS)('the second opinion, flavour %s', (flavour) => {
  test('the whole default run on jobs 241, 242 and 243: exit 0, no finding', async () => {
    const provider = await start(flavour);
    try {
      const result = await runConformance(['--target', provider.url, '--job-id', '241,242,243'], { env: { LILT_API_KEY: 'test-key' } });
      const shown = `${result.stdout}\n${result.stderr}`;
      expect({ code: result.code, failedChecks: result.failedChecks }).toEqual({ code: 0, failedChecks: [] });
      expect(result.groups).toEqual([]);
      expect(shown).toMatch(/verdict: conformant \(exit 0\)/);
      // Every group ran: nothing was cut short or left out.
      expect(shown).not.toMatch(/cut short|did not run/);
    } finally {
      await provider.stop();
    }
  });
});
