/**
 * The command line of `lilt-conformance` (its interface is fixed: CI pipelines call it), built from the options table
 * (src/config/options.ts). commander splits the argv; every value is validated afterwards, once, by
 * `resolveRunConfig`, together with the environment.
 */
import { Command, CommanderError } from 'commander';
import { ExitCode, UserError } from '../errors';
import { addOptions } from './options';
import type { RawOptions } from './run-config';

export type ParsedArgs =
  | { readonly kind: 'options'; readonly raw: RawOptions }
  /** --help or --version was printed: nothing to run. */
  | { readonly kind: 'printed' };

export function buildCommand(write: { out: (s: string) => void; err: (s: string) => void }): Command {
  const command = new Command('lilt-conformance')
    .description(
      'Checks a target against the contract of PUT /v2/jobs/{jobId}: response schemas, semantics, negative data, ids, ' +
        'auth and properties. Flags win over environment variables.\n' +
        'Exit codes: 0 conformant, 1 a check failed, 2 usage or configuration error, 3 no verdict (target unreachable or ' +
        'stopped answering, or cases cut short).\n' +
        'Replay a property failure exactly: LILT_REPLAY_PATH=<property>=<path> with the --seed it printed (runs that property alone).\n' +
        'Network: HTTPS_PROXY, HTTP_PROXY and NO_PROXY are honoured (a loopback target is always reached directly); a private CA is trusted through NODE_EXTRA_CA_CERTS=ca.pem.',
    )
    .helpOption('-h, --help', 'show this help')
    .allowExcessArguments(false)
    .configureOutput({ writeOut: write.out, writeErr: write.err })
    .exitOverride();
  // Every flag of the run from the options table; --help after them.
  return addOptions(command, 'run');
}

/** Splits argv. An unknown flag or a missing value is a UserError (one line, exit 2). */
export function parseArgs(argv: readonly string[], write: { out: (s: string) => void; err: (s: string) => void }): ParsedArgs {
  const errors: string[] = [];
  const command = buildCommand({ out: write.out, err: (s) => errors.push(s) });
  try {
    command.parse([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return { kind: 'printed' };
      const message = error.message.replace(/^error:\s*/, '').trim();
      throw new UserError(`${message} (see lilt-conformance --help)`, ExitCode.usage);
    }
    throw error;
  }
  return { kind: 'options', raw: command.opts<RawOptions>() };
}
