/**
 * `lilt-conformance pact verify --target URL --job-id N` (npm run pact:verify --): verifies the consumer pacts
 * against a provider. Pacts come from pacts/ (or --pact), or from the Pact Broker with consumer version selectors (and
 * optionally pending and work-in-progress pacts) when a broker is named (--broker-base-url or PACT_BROKER_BASE_URL).
 * Its flags are rows of the options table (src/config/options.ts), and the target, key, job and missing id pass the
 * run's own guards (src/config/target.ts): the production guard, --job-id required with --target, the missing id
 * 2147483647 unless given. The job is guarded as the run guards it (src/pact/verify.ts). Exit 0 when every
 * interaction passes and the job is put back, 1 when one fails, 2 on bad input, 3 when the target cannot be reached.
 */
import * as path from 'node:path';
import { Command } from 'commander';
import { brokerFlags } from './broker-options';
import { parseCommand } from './parse-command';
import { ExitCode, UserError, runMain } from '../errors';
import { brokerConfigured, brokerSettings } from '../pact/broker-settings';
import { pactNames } from '../pact/config';
import { gitBranch, gitCommit } from '../pact/git';
import { describeOriginal, loudRestoreFailure } from '../run/job-guard';
import { addOptions, loadContractOption, optionsOf, OPTIONS, settledValueOf, valueOf, whereOf, type Given } from '../config/options';
import { resolveTargetInputs } from '../config/target';
import type { Contract } from '../contract/load';
import { restoreCommand } from './restore-command';
import {
  pactFilesIn,
  verifyPacts,
  type AuthScheme,
  type ConsumerVersionSelector,
  type PactSource,
  type PublishSettings,
  type VerifyOutcome,
} from '../pact/verify';

/** The variables pact verify reads that the conformance run reads too (from the options table). */
export const VERIFY_ENV: readonly string[] = optionsOf('pact verify').flatMap(([, r]) => (r.env?.startsWith('LILT_') === true ? [r.env] : []));

function verifyCommand(): Command {
  const program = new Command('lilt-conformance pact verify')
    .description(
      'Verify the consumer pacts against a provider. States are set up through the API (a PUT of known values to the ' +
        'job), and the real credentials are added to each replayed request that carries any.',
    )
    .addHelpText(
      'after',
      `\nEnvironment: ${VERIFY_ENV.join(', ')} (as for the conformance run; flags win);\n` +
        'a broker to verify from (else the pact files): --broker-base-url or PACT_BROKER_BASE_URL, with --broker-token or\n' +
        'PACT_BROKER_TOKEN (or PACT_BROKER_USERNAME and PACT_BROKER_PASSWORD); prefer the variable for the token: a flag\n' +
        'shows in the process list. PACT_PROVIDER for the provider name (default lilt-api).',
    );
  return addOptions(program, 'pact verify');
}

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const program = verifyCommand();
  const stop = parseCommand(program, argv);
  if (stop !== undefined) return stop;
  const given = program.opts();
  // The verifier otherwise reports usage data over the network.
  process.env['PACT_DO_NOT_TRACK'] ??= 'true';
  const contract = await loadContractOption(given, env);
  const { target, apiKey, jobId, missingJobId } = verifyTarget(given, env, contract);
  const { source, publish } = pactSource(given, env);
  const shownSource =
    source.kind === 'files'
      ? source.files.map((file) => path.relative(process.cwd(), file)).join(', ')
      : `the broker at ${source.broker.baseUrl}`;
  process.stderr.write(`verifying pacts from ${shownSource} against ${target} (job ${jobId})\n`);
  const authScheme = settledValueOf('auth', given) as AuthScheme;
  const outcome = await verifyPacts({
    contract,
    target,
    apiKey,
    authScheme,
    provider: pactNames(env).provider,
    jobId,
    missingJobId,
    source,
    ...(publish ? { publish } : {}),
    logLevel: settledValueOf('logLevel', given) as 'info' | 'warn' | 'error',
    timeoutMs: settledValueOf('timeout', given),
    restoreTimeoutMs: settledValueOf('restoreTimeout', given, env),
    allowSharedJob: settledValueOf('allowSharedJob', given, env),
    // Its own process, so that its output is passed on without terminal escapes off a terminal.
    isolated: true,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  return reportOutcome(outcome, { target, jobId, authScheme, contract, publish });
}

export interface VerifyTarget {
  readonly target: string;
  readonly apiKey: string;
  readonly jobId: number;
  readonly missingJobId: number;
}

/**
 * Target, key, job and missing id from the flags or, like the conformance run, from LILT_TARGET_URL, LILT_API_KEY,
 * LILT_JOB_ID and LILT_MISSING_JOB_ID (flags win), through the run's own guards: one line and exit 2 for each refusal,
 * the same as the run's.
 */
export function verifyTarget(given: Given, env: NodeJS.ProcessEnv, contract: Contract): VerifyTarget {
  const inputs = resolveTargetInputs(given, env, contract);
  if (inputs.target.kind === 'reference') {
    throw new UserError('no target: pass --target URL or set LILT_TARGET_URL (the base URL of the provider under test)');
  }
  const [jobId, ...others] = inputs.jobIds;
  if (others.length > 0) {
    throw new UserError(`${whereOf(OPTIONS.jobId, given, env)}: pact verify writes one job; pass one id (got ${inputs.jobIds.length})`);
  }
  // resolveTargetInputs has required all three with a URL target.
  if (jobId === undefined || inputs.apiKey === undefined || inputs.missingJobId === undefined) throw new Error('unchecked target inputs');
  return { target: inputs.target.url, apiKey: inputs.apiKey, jobId, missingJobId: inputs.missingJobId };
}

/** Where the pacts come from: the broker (when one is named and no --pact is given), else the files. */
function pactSource(given: Given, env: NodeJS.ProcessEnv): { source: PactSource; publish: PublishSettings | undefined } {
  const files = valueOf('pact', given);
  const publishing = settledValueOf('publish', given);
  const pending = settledValueOf('enablePending', given);
  const wipSince = valueOf('includeWipPactsSince', given);
  if (files === undefined && brokerConfigured(env, brokerFlags(given))) {
    const source: PactSource = {
      kind: 'broker',
      broker: brokerSettings(env, false, brokerFlags(given)),
      consumerVersionSelectors: settledValueOf('consumerVersionSelectors', given) as readonly ConsumerVersionSelector[],
      ...(pending ? { enablePending: true } : {}),
      ...(wipSince !== undefined ? { includeWipPactsSince: wipSince } : {}),
    };
    const publish = publishing
      ? { providerVersion: valueOf('providerVersion', given) ?? gitCommit('--provider-version'), providerBranch: valueOf('providerBranch', given) ?? gitBranch() }
      : undefined;
    return { source, publish };
  }
  const brokerOnly = [...(publishing ? ['--publish'] : []), ...(pending ? ['--enable-pending'] : []), ...(wipSince !== undefined ? ['--include-wip-pacts-since'] : [])];
  if (brokerOnly.length > 0) {
    throw new UserError(`${brokerOnly.join(' and ')} ${brokerOnly.length === 1 ? 'needs' : 'need'} a broker: set PACT_BROKER_BASE_URL or pass --broker-base-url (and drop --pact)`);
  }
  return { source: { kind: 'files', files: files?.map((file) => path.resolve(file)) ?? pactFilesIn(path.resolve(settledValueOf('pactDir', given))) }, publish: undefined };
}

interface Reported {
  readonly target: string;
  readonly jobId: number;
  readonly authScheme: AuthScheme;
  readonly contract: Contract;
  readonly publish: PublishSettings | undefined;
}

/** What became of the job and of the verification, in lines; the exit code. */
function reportOutcome(outcome: VerifyOutcome, { target, jobId, authScheme, contract, publish }: Reported): number {
  // The job guard's one failure policy, as for a conformance run: a restore that fails is loud and the exit non-zero.
  if (outcome.restore.kind === 'failed') {
    const command = restoreCommand(contract, { baseUrl: target, auth: authScheme }, outcome.original);
    process.stderr.write(loudRestoreFailure(target, outcome.original, outcome.restore.reason, command));
  } else {
    process.stderr.write(`job ${jobId}: restored (${describeOriginal(outcome.original)}) and read back\n`);
  }
  const restored = outcome.restore.kind === 'restored';
  if (outcome.passed) {
    process.stderr.write(
      `pact verification passed${publish ? ` (results sent to the broker as ${publish.providerVersion}; the verifier logs any failure to publish above)` : ''}\n`,
    );
    return restored ? ExitCode.ok : ExitCode.findings;
  }
  process.stderr.write(`pact verification failed: ${outcome.reason}\n`);
  return ExitCode.findings;
}

if (require.main === module) runMain(() => main(process.argv.slice(2)));
