/**
 * The command line of `lilt-conformance` (its interface is fixed: CI pipelines call it). commander splits the argv;
 * every value is validated afterwards, once, by `resolveRunConfig`, together with the environment.
 */
import { Command, CommanderError } from 'commander';
import { ExitCode, UserError } from '../errors';
import { DEFAULTS, OPTION_ENV, type RawOptions } from './run-config';

export type ParsedArgs =
  | { readonly kind: 'options'; readonly raw: RawOptions }
  /** --help or --version was printed: nothing to run. */
  | { readonly kind: 'printed' };

function describe(text: string, key: keyof RawOptions, shownDefault: string): string {
  return `${text} [env ${OPTION_ENV[key]}; default: ${shownDefault}]`;
}

export function buildCommand(write: { out: (s: string) => void; err: (s: string) => void }): Command {
  return new Command('lilt-conformance')
    .description(
      'Checks a target against the contract of PUT /v2/jobs/{jobId}: response schemas, semantics, negative data, ids, ' +
        'auth and properties. Flags win over environment variables.\n' +
        'Exit codes: 0 conformant, 1 a check failed, 2 usage or configuration error, 3 no verdict (target unreachable or ' +
        'stopped answering, or cases cut short).\n' +
        'Replay a property failure exactly: LILT_REPLAY_PATH=<property>=<path> with the --seed it printed (runs that property alone).\n' +
        'Network: HTTPS_PROXY, HTTP_PROXY and NO_PROXY are honoured (a loopback target is always reached directly); a private CA is trusted through NODE_EXTRA_CA_CERTS=ca.pem.',
    )
    .option(
      '--target <url>',
      describe('base URL of the provider under test; a path is a base path (https://gw.example.com/lilt -> /lilt/v2/jobs/{id})', 'target', 'the reference provider, started in-process'),
    )
    .option(
      '-H, --header <header>',
      describe(
        '"Name: value" sent on every request (repeatable; the env has one a line); values of Cookie and of names like *token*, *key*, *secret*, *auth* are never shown',
        'header',
        'none',
      ),
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .option('--api-key <key>', describe('API key (sent by Basic auth and by the key query parameter; never printed); prefer LILT_API_KEY: a flag is visible in the process list', 'apiKey', "the reference provider's fixture key"))
    .option('--job-id <ids>', describe('job the run writes, then restores (name, due, isProcessing); more ids, comma-separated: each job with all three is a lane of its own, written in parallel with the first and restored too; the others are read before and after and never written', 'jobId', "the reference provider's fixture jobs; required with --target"))
    .option('--missing-job-id <n>', describe('an id no job has (expects 404)', 'missingJobId', `the reference fixture's, or ${DEFAULTS.missingJobId} with --target`))
    .option(
      '--checks <list>',
      describe(
        'comma list of groups (schema, semantics, negative, ids, auth), check ids (docs/checks.md) or all; schema alone is response conformance only',
        'checks',
        'all',
      ),
    )
    .option('--exclude-checks <list>', describe('comma list of groups or check ids not to judge', 'excludeChecks', 'none'))
    .option(
      '--max-failures <n>',
      describe('stop sending once n checks have failed (the job is still restored); the verdict is then NOT conformant', 'maxFailures', 'never'),
    )
    .option(
      '--baseline <file>',
      describe('acknowledged deviations (JSON: check id, optional case or actual pattern, reason, optional expiry): shown, but they do not fail the run', 'baseline', 'none'),
    )
    .option('--write-baseline <file>', describe("write a baseline of this run's findings there, for the team to review", 'writeBaseline', 'none'))
    .option('--runs <n>', describe('examples per property (the properties group)', 'runs', String(DEFAULTS.runs)))
    .option('--seed <n>', describe('fast-check seed; the one a failure prints replays it', 'seed', 'random, printed'))
    .option('--rate <n>', describe('requests a minute at most', 'rate', "the document's quota for remote targets, unlimited on loopback"))
    .option('--concurrency <n>', describe('requests in flight at most', 'concurrency', `follows the target: rate x the latency of the first reads, ${DEFAULTS.concurrency} to ${DEFAULTS.maxConcurrency}`))
    .option('--timeout-ms <n>', describe('timeout of each request, in milliseconds', 'timeoutMs', String(DEFAULTS.timeoutMs)))
    .option('--max-wait <seconds>', describe('the longest wait after a 429 (Retry-After) the run accepts; beyond it, exit 3', 'maxWait', String(DEFAULTS.maxWaitSeconds)))
    .option('--max-duration <seconds>', describe('deadline of the run; reached, it stops, restores the job and exits 3', 'maxDuration', String(DEFAULTS.maxDurationSeconds)))
    .option('--restore-timeout <seconds>', describe('budget of the restore (retried with backoff, 429s honoured); spent, the loud block and exit 1', 'restoreTimeout', String(DEFAULTS.restoreTimeoutSeconds)))
    .option('--report-dir <dir>', describe('write junit.xml, report.html, report.md and findings.json there', 'reportDir', 'none'))
    .option('--har <file>', describe('write every exchange of the run there as HAR 1.2 (timings, headers, bodies up to the 1 MiB cap), the key redacted', 'har', 'none'))
    .option('--allow-production', describe("allow the document's production server as --target", 'allowProduction', 'false'))
    .option('--fail-on-advisory', describe('advisories (what the contract allows but the tool would advise against) fail the run too', 'failOnAdvisory', 'false'))
    .option('--allow-shared-job', describe('start even when the job holds values this tool writes while testing (another run on it, or one killed before it restored)', 'allowSharedJob', 'false'))
    .option('--shard <i/n>', describe('run the i-th of n shares of the cases (a CI matrix; give each shard its own --job-id); the rate is shared', 'shard', 'all cases'))
    .option('--dry-run', describe('print the plan (checks, request count, target, rate) and send nothing', 'dryRun', 'false'))
    .helpOption('-h, --help', 'show this help')
    .allowExcessArguments(false)
    .configureOutput({ writeOut: write.out, writeErr: write.err })
    .exitOverride();
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
