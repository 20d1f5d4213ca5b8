/**
 * `lilt-conformance pact publish` (npm run pact:publish): publishes the pact files to the Pact Broker with the official
 * Pact CLI (`pact broker publish`), under the git commit sha as the consumer version and the git branch. Broker from
 * --broker-base-url or PACT_BROKER_BASE_URL, credentials from --broker-token, PACT_BROKER_TOKEN or
 * PACT_BROKER_USERNAME/PACT_BROKER_PASSWORD. Exit 0 when
 * published, 2 on bad input or when the broker refuses, 3 when the broker cannot be reached.
 */
import * as path from 'node:path';
import { Command } from 'commander';
import { BROKER_ENVIRONMENT_HELP, brokerFlags, writePactOutput } from './broker-options';
import { addOptions, settledValueOf, valueOf } from '../config/options';
import { parseCommand } from './parse-command';
import { ExitCode, UserError, runMain } from '../errors';
import { brokerSettings } from '../pact/broker-settings';
import { gitBranch, gitCommit } from '../pact/git';
import { firstErrorLine, runPactBroker } from '../pact/pact-cli';
import { isReachable } from '../pact/reachable';
import { pactFilesIn } from '../pact/verify';

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const program = new Command('lilt-conformance pact publish')
    .description('Publish the pact files to the Pact Broker (official Pact CLI), versioned by git commit and branch.')
    .addHelpText('after', `\n${BROKER_ENVIRONMENT_HELP}`);
  addOptions(program, 'pact publish');
  const stop = parseCommand(program, argv);
  if (stop !== undefined) return stop;
  const given = program.opts();
  const flags = {
    pactDir: settledValueOf('pactDir', given),
    consumerVersion: valueOf('consumerVersion', given),
    branch: valueOf('branch', given),
    tag: valueOf('tag', given),
    buildUrl: valueOf('buildUrl', given),
  };
  const broker = brokerSettings(env, true, brokerFlags(given));
  const files = pactFilesIn(path.resolve(flags.pactDir));
  const version = flags.consumerVersion ?? gitCommit('--consumer-version');
  const branch = flags.branch ?? gitBranch(process.cwd(), env);
  if (!(await isReachable(broker.baseUrl))) {
    throw new UserError(`cannot reach the Pact Broker at ${broker.baseUrl}; check --broker-base-url or PACT_BROKER_BASE_URL`, ExitCode.unreachable);
  }

  const args = ['publish', ...files, '--consumer-app-version', version, '--branch', branch];
  for (const tag of flags.tag ?? []) args.push('--tag', tag);
  if (flags.buildUrl) args.push('--build-url', flags.buildUrl);
  process.stderr.write(`publishing ${files.length} pact file(s) as version ${version} on branch ${branch} to ${broker.baseUrl}\n`);
  const result = await runPactBroker(args, broker, env);
  writePactOutput(result.output);
  if (result.exitCode !== 0) {
    throw new UserError(`pact broker publish failed (exit ${result.exitCode}): ${firstErrorLine(result.output)}`);
  }
  return ExitCode.ok;
}

if (require.main === module) runMain(() => main(process.argv.slice(2)));
