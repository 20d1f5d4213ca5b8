/**
 * `lilt-conformance pact record-deployment` and `pact record-release`: tell the Pact Broker, through the official Pact
 * CLI (`pact broker record-deployment|record-release`), that a version of an application is now deployed to (or
 * released in) an environment, so that `pact can-i-deploy --to-environment` has something to compare against. The
 * application defaults to the consumer ($PACT_CONSUMER or lilt-conformance-client), the version to the git commit sha.
 * Exit 0 when recorded, 2 on bad input or when the broker refuses (an unknown environment or version), 3 when the
 * broker cannot be reached.
 */
import { Command } from 'commander';
import { ExitCode, UserError } from '../errors';
import { brokerSettings } from '../pact/broker-settings';
import { pactNames } from '../pact/config';
import { gitCommit } from '../pact/git';
import { firstErrorLine, runPactBroker } from '../pact/pact-cli';
import { isReachable } from '../pact/reachable';
import { addBrokerOptions, BROKER_ENVIRONMENT_HELP, brokerFlags, writePactOutput, type BrokerFlags } from './broker-options';
import { parseCommand } from './parse-command';

export type RecordKind = 'deployment' | 'release';

interface Flags extends BrokerFlags {
  environment: string;
  pacticipant?: string;
  version?: string;
  applicationInstance?: string;
}

export async function recordMain(kind: RecordKind, argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const command = `record-${kind}`;
  const done = kind === 'deployment' ? 'deployed to' : 'released in';
  const program = new Command(`lilt-conformance pact ${command}`)
    .description(
      kind === 'deployment'
        ? 'Record in the Pact Broker that a version is now deployed to an environment (it replaces the one deployed there before).'
        : 'Record in the Pact Broker that a version is released in an environment (released versions stay beside each other).',
    )
    .requiredOption('--environment <name>', `the environment it was ${done} (one the broker knows, e.g. production)`)
    .option('--pacticipant <name>', 'the application (default: the consumer name, $PACT_CONSUMER or lilt-conformance-client)')
    .option('--version <version>', 'its version (default: the git commit sha)');
  if (kind === 'deployment') {
    program.option('--application-instance <name>', 'which instance, when several of the application run in the environment');
  }
  program.addHelpText('after', `\n${BROKER_ENVIRONMENT_HELP}`);
  addBrokerOptions(program);
  const stop = parseCommand(program, argv);
  if (stop !== undefined) return stop;
  const flags = program.opts<Flags>();
  const broker = brokerSettings(env, true, brokerFlags(flags));
  const pacticipant = flags.pacticipant ?? pactNames(env).consumer;
  const version = flags.version ?? gitCommit('--version');
  if (!(await isReachable(broker.baseUrl))) {
    throw new UserError(`cannot reach the Pact Broker at ${broker.baseUrl}; check --broker-base-url or PACT_BROKER_BASE_URL`, ExitCode.unreachable);
  }

  const args = [command, '--pacticipant', pacticipant, '--version', version, '--environment', flags.environment];
  if (flags.applicationInstance) args.push('--application-instance', flags.applicationInstance);
  const result = await runPactBroker(args, broker, env);
  writePactOutput(result.output);
  if (result.exitCode !== 0) {
    throw new UserError(`pact broker ${command} failed (exit ${result.exitCode}): ${firstErrorLine(result.output)}`);
  }
  const instance = flags.applicationInstance ? ` (instance ${flags.applicationInstance})` : '';
  process.stderr.write(`${command}: ${pacticipant} ${version} recorded as ${done} ${flags.environment}${instance} in ${broker.baseUrl}\n`);
  return ExitCode.ok;
}
