/**
 * `lilt-conformance pact verify --target URL [--api-key KEY]` (npm run pact:verify --): verifies the consumer pacts
 * against a provider. Pacts come from pacts/ (or --pact), or from the Pact Broker with consumer version selectors (and
 * optionally pending and work-in-progress pacts) when a broker is named (--broker-base-url or PACT_BROKER_BASE_URL). The target, key, job and missing id come from the flags or, like the conformance run,
 * from LILT_TARGET_URL, LILT_API_KEY, LILT_JOB_ID and LILT_MISSING_JOB_ID (flags win). Exit 0 when every interaction
 * passes, 1 when one fails, 2 on bad input, 3 when the target cannot be reached.
 */
import * as path from 'node:path';
import { Command, Option } from 'commander';
import { addBrokerOptions, brokerFlags, type BrokerFlags } from './broker-options';
import { parseCommand } from './parse-command';
import { ExitCode, UserError, runMain } from '../errors';
import { brokerConfigured, brokerSettings } from '../pact/broker-settings';
import { PACT_DIR, pactNames } from '../pact/config';
import { gitBranch, gitCommit } from '../pact/git';
import { EXAMPLE_JOB_ID, EXAMPLE_MISSING_JOB_ID } from '../pact/states';
import { describeOriginal, loudRestoreFailure } from '../run/job-guard';
import { OPTION_ENV } from '../config/run-config';
import { loadContract } from '../contract/load';
import { restoreCommand } from './restore-command';
import {
  DEFAULT_CONSUMER_VERSION_SELECTORS,
  pactFilesIn,
  verifyPacts,
  type AuthScheme,
  type ConsumerVersionSelector,
  type PactSource,
  type PublishSettings,
} from '../pact/verify';

interface Flags extends BrokerFlags {
  target?: string;
  apiKey?: string;
  auth: AuthScheme;
  jobId?: string;
  missingJobId?: string;
  pact?: string[];
  pactDir: string;
  consumerVersionSelectors?: string;
  publish: boolean;
  enablePending: boolean;
  includeWipPactsSince?: string;
  providerVersion?: string;
  providerBranch?: string;
  logLevel: 'info' | 'warn' | 'error';
  timeout: string;
  restoreTimeout: string;
}

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const program = new Command('lilt-conformance pact verify')
    .description(
      'Verify the consumer pacts against a provider. States are set up through the API (a PUT of known values to the ' +
        'job), and the real credentials are added to each replayed request that carries any.',
    )
    .option('--target <url>', `base URL of the provider under test (default: $${OPTION_ENV.target})`)
    .option('--api-key <key>', `the API key (default: $${OPTION_ENV.apiKey}; the environment keeps it out of the process list)`)
    .addOption(new Option('--auth <scheme>', 'how to send the key').choices(['basic', 'query']).default('basic'))
    .option('--job-id <id>', `an existing job the states reset and the requests update (default: $${OPTION_ENV.jobId}, else ${EXAMPLE_JOB_ID})`)
    .option('--missing-job-id <id>', `an id with no job behind it (default: $${OPTION_ENV.missingJobId}, else ${EXAMPLE_MISSING_JOB_ID})`)
    .option('--pact <file...>', 'pact files to verify (default: every *.json in --pact-dir)')
    .option('--pact-dir <dir>', 'directory of pact files', PACT_DIR)
    .option(
      '--consumer-version-selectors <json>',
      `broker only: consumer version selectors as JSON (default ${JSON.stringify(DEFAULT_CONSUMER_VERSION_SELECTORS)})`,
    )
    .option('--enable-pending', "broker only: pacts this provider's main branch has not yet verified fail nothing (pending pacts)", false)
    .option('--include-wip-pacts-since <date>', 'broker only: also verify work-in-progress pacts published since this date (YYYY-MM-DD), as pending')
    .option('--publish', 'broker only: publish the verification results', false)
    .option('--provider-version <version>', 'with --publish: the provider version (default: the git commit sha)')
    .option('--provider-branch <branch>', 'with --publish: the provider branch (default: the git branch)')
    .addOption(new Option('--log-level <level>', 'verifier log level').choices(['info', 'warn', 'error']).default('warn'))
    .option('--timeout <ms>', 'per-request timeout in milliseconds', '10000')
    .option('--restore-timeout <seconds>', "budget of the job's restore (retried with backoff, 429s honoured); spent, the loud block and exit 1", '120')
    .addHelpText(
      'after',
      `\nEnvironment: ${VERIFY_ENV.join(', ')} (as for the conformance run; flags win);\n` +
        'a broker to verify from (else the pact files): --broker-base-url or PACT_BROKER_BASE_URL, with --broker-token or\n' +
        'PACT_BROKER_TOKEN (or PACT_BROKER_USERNAME and PACT_BROKER_PASSWORD); prefer the variable for the token: a flag\n' +
        'shows in the process list. PACT_PROVIDER for the provider name (default lilt-api).',
    );
  addBrokerOptions(program);
  const stop = parseCommand(program, argv);
  if (stop !== undefined) return stop;
  const flags = program.opts<Flags>();
  // The verifier otherwise reports usage data over the network.
  process.env['PACT_DO_NOT_TRACK'] ??= 'true';

  const { target, apiKey, jobId, missingJobId } = verifyTarget(flags, env);
  const timeoutMs = positiveInteger('--timeout', flags.timeout);
  const restoreTimeoutMs = positiveInteger('--restore-timeout', flags.restoreTimeout) * 1000;

  const useBroker = flags.pact === undefined && brokerConfigured(env, brokerFlags(flags));
  let source: PactSource;
  let publish: PublishSettings | undefined;
  if (useBroker) {
    source = {
      kind: 'broker',
      broker: brokerSettings(env, false, brokerFlags(flags)),
      consumerVersionSelectors: parseSelectors(flags.consumerVersionSelectors),
      ...(flags.enablePending ? { enablePending: true } : {}),
      ...(flags.includeWipPactsSince !== undefined ? { includeWipPactsSince: parseDate('--include-wip-pacts-since', flags.includeWipPactsSince) } : {}),
    };
    if (flags.publish) {
      publish = {
        providerVersion: flags.providerVersion ?? gitCommit('--provider-version'),
        providerBranch: flags.providerBranch ?? gitBranch(),
      };
    }
  } else {
    const brokerOnly = [
      ...(flags.publish ? ['--publish'] : []),
      ...(flags.enablePending ? ['--enable-pending'] : []),
      ...(flags.includeWipPactsSince !== undefined ? ['--include-wip-pacts-since'] : []),
    ];
    if (brokerOnly.length > 0) {
      throw new UserError(`${brokerOnly.join(' and ')} ${brokerOnly.length === 1 ? 'needs' : 'need'} a broker: set PACT_BROKER_BASE_URL or pass --broker-base-url (and drop --pact)`);
    }
    const files = flags.pact?.map((file) => path.resolve(file)) ?? pactFilesIn(path.resolve(flags.pactDir));
    source = { kind: 'files', files };
  }

  const shownSource =
    source.kind === 'files'
      ? source.files.map((file) => path.relative(process.cwd(), file)).join(', ')
      : `the broker at ${source.broker.baseUrl}`;
  process.stderr.write(`verifying pacts from ${shownSource} against ${target} (job ${jobId})\n`);
  const outcome = await verifyPacts({
    target,
    apiKey,
    authScheme: flags.auth,
    provider: pactNames(env).provider,
    jobId,
    missingJobId,
    source,
    ...(publish ? { publish } : {}),
    logLevel: flags.logLevel,
    timeoutMs,
    restoreTimeoutMs,
    // Its own process, so that its output is passed on without terminal escapes off a terminal.
    isolated: true,
  });
  // The job guard's one failure policy, as for a conformance run: a restore that fails is loud and the exit non-zero.
  if (outcome.unrestorable.length > 0) {
    process.stderr.write(`warning: job ${jobId} had no ${outcome.unrestorable.join(', ')} before; the API cannot unset what the states set\n`);
  }
  if (outcome.restore.kind === 'failed') {
    const command = restoreCommand(await loadContract(), { baseUrl: target, auth: flags.auth }, outcome.original);
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

/** The variables pact verify reads, the conformance run's own (OPTION_ENV). */
export const VERIFY_ENV: readonly string[] = [OPTION_ENV.target, OPTION_ENV.apiKey, OPTION_ENV.jobId, OPTION_ENV.missingJobId];

export interface VerifyTarget {
  readonly target: string;
  readonly apiKey: string;
  readonly jobId: number;
  readonly missingJobId: number;
}

/** One input: its flag's value, else its variable's (an empty variable counts as unset), and where it came from. */
function pick(
  flagValue: string | undefined,
  flag: string,
  env: NodeJS.ProcessEnv,
  variable: string,
): { readonly value: string; readonly from: string } | undefined {
  if (flagValue !== undefined) return { value: flagValue, from: flag };
  const fromEnv = env[variable];
  return fromEnv === undefined || fromEnv === '' ? undefined : { value: fromEnv, from: variable };
}

/**
 * Target, key, job and missing id from the flags or, like the conformance run, from LILT_TARGET_URL, LILT_API_KEY,
 * LILT_JOB_ID and LILT_MISSING_JOB_ID: flags win. A bad or missing value is a UserError naming the flag or variable.
 */
export function verifyTarget(
  flags: Pick<Flags, 'target' | 'apiKey' | 'jobId' | 'missingJobId'>,
  env: NodeJS.ProcessEnv,
): VerifyTarget {
  const target = pick(flags.target, '--target', env, OPTION_ENV.target);
  if (target === undefined) {
    throw new UserError(`no target: pass --target URL or set ${OPTION_ENV.target} (the base URL of the provider under test)`);
  }
  const apiKey = pick(flags.apiKey, '--api-key', env, OPTION_ENV.apiKey);
  if (apiKey === undefined) throw new UserError(`no API key: pass --api-key or set ${OPTION_ENV.apiKey}`);
  const jobId = pick(flags.jobId, '--job-id', env, OPTION_ENV.jobId) ?? { value: String(EXAMPLE_JOB_ID), from: '--job-id' };
  const missing = pick(flags.missingJobId, '--missing-job-id', env, OPTION_ENV.missingJobId) ?? {
    value: String(EXAMPLE_MISSING_JOB_ID),
    from: '--missing-job-id',
  };
  return {
    target: parseTarget(target.value, target.from),
    apiKey: apiKey.value,
    jobId: positiveInteger(jobId.from, jobId.value),
    missingJobId: positiveInteger(missing.from, missing.value),
  };
}

function parseTarget(value: string, from: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UserError(`${from} ${value} is not a URL (expected e.g. http://127.0.0.1:8080)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UserError(`${from} must be an http:// or https:// URL, got ${url.protocol}`);
  }
  if (url.username || url.password || url.search) {
    throw new UserError(`${from} must not carry credentials or a query; pass the key with --api-key or ${OPTION_ENV.apiKey}`);
  }
  return value.replace(/\/+$/, '');
}

function positiveInteger(from: string, value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n <= 0) {
    throw new UserError(`${from} must be a positive integer, got '${value}'`);
  }
  return n;
}

/** A calendar date as YYYY-MM-DD (what the broker takes for work-in-progress pacts). */
function parseDate(from: string, value: string): string {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : undefined;
  if (date === undefined || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw new UserError(`${from} must be a date as YYYY-MM-DD, e.g. 2026-01-31 (got '${value}')`);
  }
  return value;
}

function parseSelectors(json: string | undefined): readonly ConsumerVersionSelector[] {
  if (json === undefined) return DEFAULT_CONSUMER_VERSION_SELECTORS;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new UserError('--consumer-version-selectors is not JSON (expected e.g. [{"mainBranch":true}])');
  }
  if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((s) => typeof s === 'object' && s !== null)) {
    throw new UserError('--consumer-version-selectors must be a non-empty JSON array of selector objects');
  }
  return parsed as ConsumerVersionSelector[];
}

if (require.main === module) runMain(() => main(process.argv.slice(2)));
