/**
 * Runs one of the pact commands (`lilt-conformance pact <command>`) through the tests' one runner (tests/helpers/cli.ts),
 * without blocking the event loop: the servers the command talks to (reference provider, broker double) live in the
 * test's own process. The environment is the clean one (no broker token of the developer's shell leaks in), with
 * Pact's tracking off and the test's own variables.
 */
import { runCli as runTheCli } from '../helpers/cli';

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `command` names the file of src/cli/ the command lives in: `pact-publish` runs `lilt-conformance pact publish`. */
export async function runCli(command: `pact-${string}`, args: readonly string[], env: Record<string, string>, cwd?: string): Promise<CliRun> {
  const run = await runTheCli(['pact', command.slice('pact-'.length), ...args], { env: { PACT_DO_NOT_TRACK: 'true', ...env }, cwd, killAfterMs: 30_000 });
  return { status: run.code, stdout: run.stdout, stderr: run.stderr };
}
