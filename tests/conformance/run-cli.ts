/**
 * Runs the conformance CLI as a child process (as CI does), with a clean environment, a report dir, and a kill
 * switch; returns its exit code, output and findings.json.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const ROOT = path.join(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

export interface FindingJson {
  checkId: string;
  seed: number;
  path?: string;
  counterexample?: string;
  replay?: string;
  curl: string;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  wallMs: number;
  findings: FindingJson[];
  reportFiles: string[];
  failedChecks: string[];
}

export async function runConformance(
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; killAfterMs?: number } = {},
): Promise<CliResult> {
  const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lilt-conformance-test-'));
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('LILT_') && !name.startsWith('JEST_') && name !== 'NODE_OPTIONS') env[name] = value;
  }
  Object.assign(env, options.env ?? {});
  const started = Date.now();
  // The TypeScript sources through tsx, never a possibly stale build in dist/.
  const child = spawn(TSX, [path.join(ROOT, 'src', 'cli', 'main.ts'), '--report-dir', reportDir, ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const killer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 90_000);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  clearTimeout(killer);
  try {
    const file = path.join(reportDir, 'findings.json');
    const findings = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as { findings: FindingJson[] }).findings : [];
    return {
      code,
      stdout,
      stderr,
      wallMs: Date.now() - started,
      findings,
      reportFiles: fs.readdirSync(reportDir).sort(),
      failedChecks: [...new Set(findings.map((f) => f.checkId))].sort(),
    };
  } finally {
    fs.rmSync(reportDir, { recursive: true, force: true });
  }
}
