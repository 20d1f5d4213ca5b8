/**
 * Runs one of the project's commands as a real child process (`lilt-conformance pact <command>` from the TypeScript
 * sources through tsx), without blocking the event loop: the servers the command talks to (reference provider, broker
 * double) live in the test's own process.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../../src/contract/load';

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `command` names the file of src/cli/ the command lives in: `pact-publish` runs `lilt-conformance pact publish`. */
export function runCli(
  command: `pact-${string}`,
  args: readonly string[],
  env: Record<string, string>,
  cwd: string = PROJECT_ROOT,
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx'),
      [path.join(PROJECT_ROOT, 'src', 'cli', 'main.ts'), 'pact', command.slice('pact-'.length), ...args],
      {
        cwd,
        // A clean environment: nothing from the developer's shell (a real broker token, say) leaks in.
        env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', PACT_DO_NOT_TRACK: 'true', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}
