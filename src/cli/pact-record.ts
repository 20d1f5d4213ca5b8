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
import { BROKER_ENVIRONMENT_HELP, brokerFlags, writePactOutput } from './broker-options';
import { addOptions, settledValueOf, valueOf } from '../config/options';
import { parseCommand } from './parse-command';

export type RecordKind = 'deployment' | 'release';

export async function recordMain(kind: RecordKind, argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const command = `record-${kind}`;
  const done = kind === 'deployment' ? 'deployed to' : 'released in';
  const program = new Command(`lilt-conformance pact ${command}`)
    .description(
      kind === 'deployment'
        ? 'Record in the Pact Broker that a version is now deployed to an environment (it replaces the one deployed there before).'
        : 'Record in the Pact Broker that a version is released in an environment (released versions stay beside each other).',
    )
    .addHelpText('after', `\n${BROKER_ENVIRONMENT_HELP}`);
  addOptions(program, kind === 'deployment' ? 'pact record-deployment' : 'pact record-release');
  const stop = parseCommand(program, argv);
  if (stop !== undefined) return stop;
  const given = program.opts();
  const flags = {
    environment: settledValueOf('environment', given),
    pacticipant: valueOf('pacticipant', given),
    version: valueOf('version', given),
    applicationInstance: valueOf('applicationInstance', given),
  };
  const broker = brokerSettings(env, true, brokerFlags(given));
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
