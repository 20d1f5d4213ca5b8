/**
 * A third-party mock: Stoplight Prism (`prism mock` on the contract, static examples). Prism answers from the document's
 * examples and keeps no state. The run must find only the truthful departures from BEHAVIOUR.md (docs/proof.md
 * explains each, from TRUE_ON_PRISM): updates that do not round-trip (no state), the missing job found, ids BEHAVIOUR.md refuses
 * accepted, numeric isProcessing refused (422), invalid data accepted, wrong keys accepted, and, in the response group,
 * only Prism's own error shape for malformed JSON (`{"error": {...}}`, not the Error body `{"message": ...}`) and its
 * 500 on an unknown field nested thousands deep (its request validator recurses).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import { ALL_CHECKS } from '../../src/checks/registry';
import { TRUE_ON_PRISM } from './prism-findings';
import { cleanEnv, PROJECT_ROOT } from '../helpers/cli';
import { runEngine, type EngineOutcome } from './run-engine';

const CONTRACT = path.join(PROJECT_ROOT, 'contracts', 'lilt-update-job.openapi.yaml');
const PRISM = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'prism');

/** A request of the envelope group's with an unknown field nested thousands deep (a finding trims the body: its name says). */
function deeplyNested(body: string | undefined): boolean {
  return /"name":"lilt-conformance envelope: (arrays|objects) nested [\d,]+ deep"/.test(body ?? '');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`prism exited ${child.exitCode}:\n${output()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`prism did not listen on ${port} within ${timeoutMs} ms:\n${output()}`);
}

let prism: ChildProcess | undefined;
/** The engine in-process with the CLI's arguments: every finding whole (findings.json keeps a few per group). */
let outcome: EngineOutcome;

beforeAll(async () => {
  const port = await freePort();
  let output = '';
  prism = spawn(PRISM, ['mock', '--host', '127.0.0.1', '--port', String(port), CONTRACT], {
    cwd: PROJECT_ROOT,
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  prism.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  prism.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  await waitForPort(port, prism, () => output, 30_000);
  outcome = await runEngine(['--target', `http://127.0.0.1:${port}`, '--api-key', 'test-key', '--job-id', '241', '--missing-job-id', '999999', '--runs', '10', '--seed', '1']);
}, 120_000);

afterAll(() => {
  prism?.kill('SIGTERM');
});

test('the run finds Prism non-conformant (exit 1); in its responses themselves, only its own error shapes (malformed JSON, deep nesting, 406)', () => {
  expect(outcome.exitCode).toBe(1);
  const schemaChecks = new Set(ALL_CHECKS.filter((check) => check.group === 'schema').map((check) => check.id));
  const responseFindings = outcome.findings.filter((finding) => schemaChecks.has(finding.checkId));
  const notPrismErrorShape = responseFindings.filter((finding) => {
    if (finding.status === 500 && deeplyNested(finding.requestBody)) return !/"internal_server_error"/.test(finding.body ?? '');
    // An Accept it cannot meet: a 406 in its own problem+json shape (the Error body would be {"message": string}).
    if (finding.status === 406) return !/prism\/errors#NOT_ACCEPTABLE/.test(finding.body ?? '');
    if (finding.checkId !== 'schema.body-matches-schema' || finding.status !== 400) return true;
    try {
      const body = JSON.parse(finding.body ?? '') as { error?: unknown; message?: unknown };
      return !(typeof body.error === 'object' && body.message === undefined);
    } catch {
      return true;
    }
  });
  expect(notPrismErrorShape).toEqual([]);
});

test('every check that fails on Prism fails for a reason true of a stateless, schema-only mock', () => {
  expect(outcome.failedChecks.filter((id) => !(id in TRUE_ON_PRISM))).toEqual([]);
  // the two that follow from having no state at all must be there
  expect(outcome.failedChecks).toEqual(expect.arrayContaining(['semantics.fields-round-trip', 'ids.missing-404']));
});
