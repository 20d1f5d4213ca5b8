/**
 * `lilt-conformance pact can-i-deploy` (npm run pact:can-i-deploy): asks the Pact Broker, with the official Pact CLI
 * (`pact broker can-i-deploy`), whether this version (default: the git commit sha) of the consumer can be deployed:
 * whether its pacts have been verified successfully. Exit 0 when the broker says yes, 1 when it says no (or does not
 * know yet), 2 on bad input, 3 when the broker cannot be reached.
 */
import { Command } from 'commander';
import { BROKER_ENVIRONMENT_HELP, brokerFlags, writePactOutput } from './broker-options';
import { addOptions, valueOf } from '../config/options';
import { parseCommand } from './parse-command';
import { ExitCode, UserError, runMain } from '../errors';
import { brokerSettings } from '../pact/broker-settings';
import { pactNames } from '../pact/config';
import { gitCommit } from '../pact/git';
import { firstErrorLine, runPactBroker } from '../pact/pact-cli';
import { isReachable } from '../pact/reachable';

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const program = new Command('lilt-conformance pact can-i-deploy')
    .description('Ask the Pact Broker whether this version can be deployed (official Pact CLI).')
    .addHelpText(
      'after',
      `\n${BROKER_ENVIRONMENT_HELP}\n` +
        'Note: the exit code is the answer; the CLI\'s `-o json` always exits 0, so it is not used. The environment of\n' +
        '--to-environment is compared by what was recorded there: `pact record-deployment` and `pact record-release`.',
    );
  addOptions(program, 'pact can-i-deploy');
  const stop = parseCommand(program, argv);
  if (stop !== undefined) return stop;
  const given = program.opts();
  const flags = {
    pacticipant: valueOf('pacticipant', given),
    version: valueOf('version', given),
    toEnvironment: valueOf('toEnvironment', given),
    retryWhileUnknown: valueOf('retryWhileUnknown', given),
    retryInterval: valueOf('retryInterval', given),
  };
  const broker = brokerSettings(env, true, brokerFlags(given));
  const pacticipant = flags.pacticipant ?? pactNames(env).consumer;
  const version = flags.version ?? gitCommit('--version');
  if (!(await isReachable(broker.baseUrl))) {
    throw new UserError(`cannot reach the Pact Broker at ${broker.baseUrl}; check --broker-base-url or PACT_BROKER_BASE_URL`, ExitCode.unreachable);
  }

  const args = ['can-i-deploy', '--pacticipant', pacticipant, '--version', version];
  if (flags.toEnvironment) args.push('--to-environment', flags.toEnvironment);
  if (flags.retryWhileUnknown) args.push('--retry-while-unknown', flags.retryWhileUnknown);
  if (flags.retryInterval) args.push('--retry-interval', flags.retryInterval);
  const result = await runPactBroker(args, broker, env);
  writePactOutput(result.output);
  if (result.exitCode === 0) {
    process.stderr.write(`can-i-deploy: yes, ${pacticipant} ${version} can be deployed\n`);
    return ExitCode.ok;
  }
  // A "no" is an answer; anything else (refused credentials, unknown pacticipant) is a failure to ask.
  if (!/Computer says no/.test(result.output)) {
    throw new UserError(`pact broker can-i-deploy failed (exit ${result.exitCode}): ${firstErrorLine(result.output)}`);
  }
  process.stderr.write(`can-i-deploy: no, ${pacticipant} ${version} cannot be deployed (see above)\n`);
  return ExitCode.findings;
}

if (require.main === module) runMain(() => main(process.argv.slice(2)));
