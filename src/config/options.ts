/**
 * The one options table of every command: each row is a flag, its environment variable, its parser and validator, its
 * default, its help, and the commands that take it. The commands build their command lines from it (`addOptions`),
 * read their values from it (`valueOf`: the flag, else the variable, parsed; else the default), and
 * docs/targets-and-flags.md lists it. A new flag is one row.
 *
 * A value is parsed when it is read, after commander has split the argv (the flag, else the variable: a bad value is
 * one line naming which, exit 2); a row marked `commanderParses` is parsed by commander as it splits the argv
 * instead (commander's usage line, exit 2: serve's, as it has always said it).
 */
import * as path from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { UserError } from '../errors';
import { DEFAULT_CONTRACT_FILE, loadContract, PROJECT_ROOT, type Contract } from '../contract/load';
import { parseSelector } from '../contract/selector';
import { DEFAULT_BASELINE_FILE } from '../lint/baseline';
import { DEFAULT_FIXTURES_FILE } from '../provider/fixtures';
import { MAX_LATENCY_MS } from '../provider/server';
import * as parse from './parsers';
import type { Parse } from './parsers';

/** Every command of the package, as typed after `lilt-conformance` (`run` is the default). */
export const COMMAND_NAMES = [
  'run',
  'serve',
  'lint-spec',
  'contract diff',
  'pact verify',
  'pact publish',
  'pact can-i-deploy',
  'pact record-deployment',
  'pact record-release',
  'pact check-spec',
] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

const PACT_BROKER_COMMANDS = ['pact verify', 'pact publish', 'pact can-i-deploy', 'pact record-deployment', 'pact record-release'] as const;
const PACT_RECORD_COMMANDS = ['pact can-i-deploy', 'pact record-deployment', 'pact record-release'] as const;

export const DEFAULTS = {
  /**
   * Examples per property: the coverage group sends the values random generation rarely reaches (the classes the
   * properties cover), so each property draws 50 and a default run stays within its request budget.
   */
  runs: 50,
  concurrency: 4,
  /** The most requests in flight the default concurrency goes up to. */
  maxConcurrency: 64,
  /** Requests a second this process checks on loopback, about: the rate an unpaced run is assumed to go at. */
  unpacedPerSecond: 1_000,
  timeoutMs: 10_000,
  /** Seconds: five times the document's 60 s wait after a 429 (docs/targets-and-safety.md). */
  maxWaitSeconds: 300,
  /** Seconds: an hour; a full run at the documented quota takes about a minute. */
  maxDurationSeconds: 3_600,
  /** Seconds: two of the document's 60 s quota windows, so a restore that meets a 429 can wait one out. */
  restoreTimeoutSeconds: 120,
  /** An id far from any real job's: the int32 maximum. Used when a URL target is given without --missing-job-id. */
  missingJobId: 2_147_483_647,
} as const;

/** Where the pact files live (src/pact/config.ts re-exports it). */
export const PACT_DIR = path.join(PROJECT_ROOT, 'pacts');
/** The consumer version selectors pact verify asks the broker with when none are given. */
export const DEFAULT_SELECTORS = [{ mainBranch: true }, { deployedOrReleased: true }] as const;
export const DEFAULT_SERVE_PORT = 4010;

/** One row of the table. `T`: the value; `C`: the commands that take it. */
export interface OptionRow<T, C extends CommandName = CommandName> {
  /** As commander takes it: `--target <url>`, `-H, --header <header>`, `--dry-run`, `--pact <file...>`. */
  readonly flags: string;
  /** The environment variable that gives it when the flag does not (flags win). */
  readonly env?: string;
  readonly help: string;
  /** Text to value; throws a one-line UserError naming where the text came from. None: the text as given. */
  readonly parse?: Parse<T>;
  /** The value when neither the flag nor the variable gives one. */
  readonly default?: T;
  /** The default in words, for help and the docs (else the default itself). */
  readonly shownDefault?: string;
  readonly commands: readonly C[];
  readonly choices?: readonly string[];
  /** A flag the command cannot do without (commander says so, exit 2). */
  readonly required?: boolean;
  /** `-H`: each use adds one (the variable has one a line). */
  readonly repeatable?: boolean;
  /** Parsed by commander as it splits the argv (its usage line: "option '--port <port>' argument 'x' is invalid. ..."). */
  readonly commanderParses?: boolean;
}

function row<T = string, C extends CommandName = CommandName>(spec: OptionRow<T, C>): OptionRow<T, C> {
  return spec;
}

const secondsText = (s: number) => String(s);

/** The table. Its order is the order of --help and of the docs. */
export const OPTIONS = {
  target: row({
    flags: '--target <url>',
    env: 'LILT_TARGET_URL',
    help: 'base URL of the provider under test; a path is a base path (https://gw.example.com/lilt -> /lilt/v2/jobs/{id})',
    parse: parse.baseUrl,
    shownDefault: 'the reference provider, started in-process (pact verify: none, it needs one)',
    commands: ['run', 'pact verify'],
  }),
  header: row({
    flags: '-H, --header <header>',
    env: 'LILT_HEADERS',
    help: '"Name: value" sent on every request (repeatable; the env has one a line); values of Cookie and of names like *token*, *key*, *secret*, *auth* are never shown',
    parse: parse.headers,
    default: [],
    shownDefault: 'none',
    repeatable: true,
    commands: ['run'],
  }),
  apiKey: row({
    flags: '--api-key <key>',
    env: 'LILT_API_KEY',
    help: 'API key (sent by Basic auth and by the key query parameter; never printed); prefer LILT_API_KEY: a flag is visible in the process list',
    parse: parse.apiKey,
    shownDefault: "the reference provider's fixture key, without --target",
    commands: ['run', 'pact verify'],
  }),
  jobId: row({
    flags: '--job-id <ids>',
    env: 'LILT_JOB_ID',
    help: 'job the run writes, then restores (name, due, isProcessing); more ids, comma-separated: each job with all three is a lane of its own, written in parallel with the first and restored too; the others are read before and after and never written (pact verify: the one job its states write)',
    parse: parse.jobIds,
    shownDefault: "the reference provider's fixture jobs, without --target; required with --target",
    commands: ['run', 'pact verify'],
  }),
  missingJobId: row({
    flags: '--missing-job-id <n>',
    env: 'LILT_MISSING_JOB_ID',
    help: 'an id no job has (expects 404)',
    parse: parse.integer(1, 'a positive integer job id'),
    shownDefault: `the reference fixture's, or ${DEFAULTS.missingJobId} with --target`,
    commands: ['run', 'pact verify'],
  }),
  checks: row({
    flags: '--checks <list>',
    env: 'LILT_CHECKS',
    help: 'comma list of groups (schema, semantics, negative, ids, auth), check ids (docs/checks.md) or all; schema alone is response conformance only',
    shownDefault: 'all',
    commands: ['run'],
  }),
  excludeChecks: row({
    flags: '--exclude-checks <list>',
    env: 'LILT_EXCLUDE_CHECKS',
    help: 'comma list of groups or check ids not to judge',
    shownDefault: 'none',
    commands: ['run'],
  }),
  maxFailures: row({
    flags: '--max-failures <n>',
    env: 'LILT_MAX_FAILURES',
    help: 'stop sending once n checks have failed (the job is still restored); the verdict is then NOT conformant',
    parse: parse.integer(1, 'a positive integer (failing checks before the run stops)'),
    shownDefault: 'never',
    commands: ['run'],
  }),
  baseline: row({
    flags: '--baseline <file>',
    env: 'LILT_BASELINE',
    help: 'acknowledged deviations (JSON: check id, optional case or actual pattern, reason, optional expiry): shown, but they do not fail the run',
    shownDefault: 'none',
    commands: ['run'],
  }),
  writeBaseline: row({
    flags: '--write-baseline <file>',
    env: 'LILT_WRITE_BASELINE',
    help: "write a baseline of this run's findings there, for the team to review",
    parse: parse.fileToWrite,
    shownDefault: 'none',
    commands: ['run'],
  }),
  runs: row({
    flags: '--runs <n>',
    env: 'LILT_RUNS',
    help: 'examples per property (the properties group)',
    parse: parse.integer(1, 'a positive integer (examples per property)'),
    default: DEFAULTS.runs,
    commands: ['run'],
  }),
  seed: row({
    flags: '--seed <n>',
    env: 'LILT_SEED',
    help: 'fast-check seed; the one a failure prints replays it',
    parse: parse.integer(0, 'a non-negative integer', { value: 0x7fffffff, why: () => `must be at most ${0x7fffffff} (a 31-bit fast-check seed)` }),
    shownDefault: 'random, printed',
    commands: ['run'],
  }),
  rate: row({
    flags: '--rate <n>',
    env: 'LILT_RATE',
    help: 'requests a minute at most',
    parse: parse.integer(1, 'a positive integer (requests a minute)'),
    shownDefault: "the document's quota for remote targets, unlimited on loopback",
    commands: ['run'],
  }),
  concurrency: row({
    flags: '--concurrency <n>',
    env: 'LILT_CONCURRENCY',
    help: 'requests in flight at most',
    parse: parse.integer(1, 'a positive integer (requests in flight)'),
    shownDefault: `follows the target: rate x the latency of the first reads, ${DEFAULTS.concurrency} to ${DEFAULTS.maxConcurrency}`,
    commands: ['run'],
  }),
  timeoutMs: row({
    flags: '--timeout-ms <n>',
    env: 'LILT_TIMEOUT_MS',
    help: 'timeout of each request, in milliseconds',
    parse: parse.integer(1, 'a positive integer (milliseconds)', {
      value: parse.MAX_TIMER_MS,
      why: (got) => `must be at most ${parse.MAX_TIMER_MS} ms (Node's timer limit; got ${got})`,
    }),
    default: DEFAULTS.timeoutMs,
    commands: ['run'],
  }),
  maxWait: row({
    flags: '--max-wait <seconds>',
    env: 'LILT_MAX_WAIT',
    help: 'the longest wait after a 429 (Retry-After) the run accepts; beyond it, exit 3',
    parse: parse.seconds(0),
    default: DEFAULTS.maxWaitSeconds * 1000,
    shownDefault: secondsText(DEFAULTS.maxWaitSeconds),
    commands: ['run'],
  }),
  maxDuration: row({
    flags: '--max-duration <seconds>',
    env: 'LILT_MAX_DURATION',
    help: 'deadline of the run; reached, it stops, restores the job and exits 3',
    parse: parse.seconds(1),
    default: DEFAULTS.maxDurationSeconds * 1000,
    shownDefault: secondsText(DEFAULTS.maxDurationSeconds),
    commands: ['run'],
  }),
  restoreTimeout: row({
    flags: '--restore-timeout <seconds>',
    env: 'LILT_RESTORE_TIMEOUT',
    help: 'budget of the restore (retried with backoff, 429s honoured); spent, the loud block and exit 1',
    parse: parse.seconds(1),
    default: DEFAULTS.restoreTimeoutSeconds * 1000,
    shownDefault: secondsText(DEFAULTS.restoreTimeoutSeconds),
    commands: ['run', 'pact verify'],
  }),
  reportDir: row({
    flags: '--report-dir <dir>',
    env: 'LILT_REPORT_DIR',
    help: 'write junit.xml, report.html, report.md and findings.json there',
    shownDefault: 'none',
    commands: ['run'],
  }),
  har: row({
    flags: '--har <file>',
    env: 'LILT_HAR',
    help: 'write every exchange of the run there as HAR 1.2 (timings, headers, bodies up to the 1 MiB cap), the key redacted',
    parse: parse.fileToCreate,
    shownDefault: 'none',
    commands: ['run'],
  }),
  allowProduction: row({
    flags: '--allow-production',
    env: 'LILT_ALLOW_PRODUCTION',
    help: "allow the document's production server as --target",
    parse: parse.truth,
    default: false,
    commands: ['run', 'pact verify'],
  }),
  failOnAdvisory: row({
    flags: '--fail-on-advisory',
    env: 'LILT_FAIL_ON_ADVISORY',
    help: 'advisories (what the contract allows but the tool would advise against) fail the run too',
    parse: parse.truth,
    default: false,
    commands: ['run'],
  }),
  allowSharedJob: row({
    flags: '--allow-shared-job',
    env: 'LILT_ALLOW_SHARED_JOB',
    help: 'start even when the job holds values this tool writes while testing (another run on it, or one killed before it restored)',
    parse: parse.truth,
    default: false,
    commands: ['run', 'pact verify'],
  }),
  shard: row({
    flags: '--shard <i/n>',
    env: 'LILT_SHARD',
    help: 'run the i-th of n shares of the cases (a CI matrix; give each shard its own --job-id); the rate is shared',
    parse: parse.shard,
    shownDefault: 'all cases',
    commands: ['run'],
  }),
  dryRun: row({
    flags: '--dry-run',
    env: 'LILT_DRY_RUN',
    help: 'print the plan (checks, request count, target, rate) and send nothing',
    parse: parse.truth,
    default: false,
    commands: ['run'],
  }),

  // serve
  port: row({
    flags: '--port <port>',
    help: 'port to listen on (0 picks a free one)',
    parse: parse.integerIn(0, 65535, 'port'),
    commanderParses: true,
    default: DEFAULT_SERVE_PORT,
    commands: ['serve'],
  }),
  host: row({ flags: '--host <host>', help: 'address to listen on', default: '127.0.0.1', commands: ['serve'] }),
  fixtures: row({
    flags: '--fixtures <file>',
    help: 'JSON file of API keys and jobs',
    default: DEFAULT_FIXTURES_FILE,
    shownDefault: 'the default fixtures (src/provider/fixtures/default.json)',
    commands: ['serve'],
  }),
  quota: row({
    flags: '--quota <n>',
    help: 'requests per minute per API key, then 429 with Retry-After',
    parse: parse.integerIn(1, Number.MAX_SAFE_INTEGER, 'quota'),
    commanderParses: true,
    shownDefault: 'no quota',
    commands: ['serve'],
  }),
  latencyMs: row({
    flags: '--latency-ms <n>',
    help: 'hold every answer back N milliseconds, a stand-in for a distant staging',
    parse: parse.integerIn(0, MAX_LATENCY_MS, 'latency'),
    commanderParses: true,
    shownDefault: '0',
    commands: ['serve'],
  }),

  // the OpenAPI document
  contract: row({
    flags: '--contract <file or URL>',
    env: 'LILT_CONTRACT',
    help: 'the OpenAPI 3.0/3.1 or Swagger 2.0 document',
    default: DEFAULT_CONTRACT_FILE,
    shownDefault: path.relative(PROJECT_ROOT, DEFAULT_CONTRACT_FILE),
    commands: ['run', 'serve', 'lint-spec', 'pact verify', 'pact check-spec'],
  }),
  operation: row({
    flags: '--operation <operation>',
    env: 'LILT_OPERATION',
    help: 'the tested operation (in both documents, for contract diff): an operationId, or "METHOD /path"',
    default: 'updateJob',
    commands: ['run', 'serve', 'lint-spec', 'contract diff', 'pact verify', 'pact check-spec'],
  }),
  lintBaseline: row({
    flags: '--baseline <file>',
    help: 'acknowledged findings of the lint (JSON); the default applies to the bundled document only',
    default: DEFAULT_BASELINE_FILE,
    shownDefault: path.relative(PROJECT_ROOT, DEFAULT_BASELINE_FILE),
    commands: ['lint-spec'],
  }),
  noBaseline: row<boolean, 'lint-spec'>({ flags: '--no-baseline', help: 'acknowledge nothing: every finding fails', commands: ['lint-spec'] }),
  pacts: row<string | true, 'contract diff'>({
    flags: '--pacts [dir]',
    help: 'also name each pact interaction (in dir, default the pact directory) the new document breaks',
    commands: ['contract diff'],
  }),
  json: row<boolean, 'contract diff'>({ flags: '--json', help: 'print the changes as JSON', default: false, commands: ['contract diff'] }),

  // pact
  auth: row({ flags: '--auth <scheme>', help: 'how to send the key', choices: ['basic', 'query'], default: 'basic', commands: ['pact verify'] }),
  pact: row<string[], 'pact verify' | 'pact check-spec'>({
    flags: '--pact <file...>',
    help: 'pact files (default: every *.json in --pact-dir)',
    commands: ['pact verify', 'pact check-spec'],
  }),
  pactDir: row({
    flags: '--pact-dir <dir>',
    help: 'directory of pact files',
    default: PACT_DIR,
    shownDefault: path.relative(PROJECT_ROOT, PACT_DIR),
    commands: ['pact verify', 'pact publish', 'pact check-spec'],
  }),
  consumerVersionSelectors: row({
    flags: '--consumer-version-selectors <json>',
    help: 'broker only: consumer version selectors as JSON',
    parse: parse.selectors,
    default: DEFAULT_SELECTORS,
    shownDefault: JSON.stringify(DEFAULT_SELECTORS),
    commands: ['pact verify'],
  }),
  enablePending: row({
    flags: '--enable-pending',
    help: "broker only: pacts this provider's main branch has not yet verified fail nothing (pending pacts)",
    default: false,
    commands: ['pact verify'],
  }),
  includeWipPactsSince: row({
    flags: '--include-wip-pacts-since <date>',
    help: 'broker only: also verify work-in-progress pacts published since this date (YYYY-MM-DD), as pending',
    parse: parse.date,
    commands: ['pact verify'],
  }),
  publish: row({ flags: '--publish', help: 'broker only: publish the verification results', default: false, commands: ['pact verify'] }),
  providerVersion: row({
    flags: '--provider-version <version>',
    help: 'with --publish: the provider version',
    shownDefault: 'the git commit sha',
    commands: ['pact verify'],
  }),
  providerBranch: row({
    flags: '--provider-branch <branch>',
    help: 'with --publish: the provider branch',
    shownDefault: 'the git branch',
    commands: ['pact verify'],
  }),
  logLevel: row({ flags: '--log-level <level>', help: 'verifier log level', choices: ['info', 'warn', 'error'], default: 'warn', commands: ['pact verify'] }),
  timeout: row({ flags: '--timeout <ms>', help: 'per-request timeout in milliseconds', parse: parse.positive, default: DEFAULTS.timeoutMs, commands: ['pact verify'] }),
  consumerVersion: row({
    flags: '--consumer-version <version>',
    help: 'the consumer version',
    shownDefault: 'the git commit sha',
    commands: ['pact publish'],
  }),
  branch: row({
    flags: '--branch <branch>',
    help: 'the consumer branch',
    shownDefault: 'the git branch, or the CI branch variable',
    commands: ['pact publish'],
  }),
  tag: row<string[], 'pact publish'>({ flags: '--tag <tag...>', help: 'tags for the consumer version', commands: ['pact publish'] }),
  buildUrl: row({ flags: '--build-url <url>', help: 'the CI build that published them', commands: ['pact publish'] }),
  environment: row({
    flags: '--environment <name>',
    help: 'the environment it was deployed to or released in (one the broker knows, e.g. production)',
    required: true,
    commands: ['pact record-deployment', 'pact record-release'],
  }),
  pacticipant: row({
    flags: '--pacticipant <name>',
    help: 'the application',
    shownDefault: 'the consumer name, $PACT_CONSUMER or lilt-conformance-client',
    commands: PACT_RECORD_COMMANDS,
  }),
  version: row({ flags: '--version <version>', help: 'its version', shownDefault: 'the git commit sha', commands: PACT_RECORD_COMMANDS }),
  toEnvironment: row({
    flags: '--to-environment <name>',
    help: 'the environment to deploy to',
    shownDefault: 'against the latest versions of the others',
    commands: ['pact can-i-deploy'],
  }),
  retryWhileUnknown: row({
    flags: '--retry-while-unknown <times>',
    help: 'poll while verification results are missing',
    parse: parse.wholeText,
    commands: ['pact can-i-deploy'],
  }),
  retryInterval: row({ flags: '--retry-interval <seconds>', help: 'seconds between those polls', parse: parse.wholeText, commands: ['pact can-i-deploy'] }),
  applicationInstance: row({
    flags: '--application-instance <name>',
    help: 'which instance, when several of the application run in the environment',
    commands: ['pact record-deployment'],
  }),
  brokerBaseUrl: row({
    flags: '--broker-base-url <url>',
    env: 'PACT_BROKER_BASE_URL',
    help: 'the Pact Broker (read by src/pact/broker-settings.ts, which checks it)',
    shownDefault: 'none',
    commands: PACT_BROKER_COMMANDS,
  }),
  brokerToken: row({
    flags: '--broker-token <token>',
    env: 'PACT_BROKER_TOKEN',
    help: 'its bearer token (prefer the variable: a flag shows in the process list; or PACT_BROKER_USERNAME and PACT_BROKER_PASSWORD)',
    shownDefault: 'none',
    commands: PACT_BROKER_COMMANDS,
  }),
};

export type OptionId = keyof typeof OPTIONS;
type CommandsOf<R> = R extends OptionRow<unknown, infer C> ? C : never;
/** The rows a command takes. */
export type OptionIdOf<N extends CommandName> = { [K in OptionId]: N extends CommandsOf<(typeof OPTIONS)[K]> ? K : never }[OptionId];
type ValueOf<R> = R extends OptionRow<infer T, CommandName> ? T : never;

/** The rows of one command, in the table's order. */
export function optionsOf(command: CommandName): [OptionId, OptionRow<unknown>][] {
  return (Object.entries(OPTIONS) as [OptionId, OptionRow<unknown>][]).filter(([, r]) => r.commands.includes(command));
}

/** The flag as a message names it: `--target`, `-H`. */
export function flagName(r: Pick<OptionRow<unknown>, 'flags'>): string {
  return r.flags.split(/[ ,]/)[0]!;
}

/** The key commander stores the flag's value under (`--job-id` -> jobId, `--no-baseline` -> baseline). */
export function attributeOf(r: Pick<OptionRow<unknown>, 'flags'>): string {
  return new Option(r.flags).attributeName();
}

/** The default in words: the shown one, else the value itself; undefined: none. */
export function shownDefaultOf(r: OptionRow<unknown>): string | undefined {
  if (r.shownDefault !== undefined) return r.shownDefault;
  if (r.default === undefined) return undefined;
  return typeof r.default === 'string' ? r.default : JSON.stringify(r.default);
}

/** The help line of a row: with its variable and default when it has a variable, else with its default. */
export function helpOf(r: OptionRow<unknown>): string {
  const shown = shownDefaultOf(r);
  if (r.env !== undefined) return `${r.help} [env ${r.env}; default: ${shown ?? 'none'}]`;
  return shown === undefined || typeof r.default === 'boolean' ? r.help : `${r.help} (default: ${shown})`;
}

/** The commander Option of a row. */
function commanderOption(r: OptionRow<unknown>): Option {
  const option = new Option(r.flags, helpOf(r));
  if (r.choices !== undefined) option.choices(r.choices);
  if (r.required === true) option.makeOptionMandatory();
  if (r.repeatable === true) option.argParser((value: string, previous: unknown) => [...(Array.isArray(previous) ? previous : []), value]);
  else if (r.commanderParses === true && r.parse !== undefined) {
    const parseFlag = r.parse;
    option.argParser((value: string) => {
      try {
        return parseFlag(value, flagName(r));
      } catch (error) {
        if (error instanceof UserError) throw new InvalidArgumentError(error.message);
        throw error;
      }
    });
  }
  return option;
}

/** Adds every row the command takes to its commander Command. */
export function addOptions(program: Command, command: CommandName): Command {
  for (const [, r] of optionsOf(command)) program.addOption(commanderOption(r));
  return program;
}

/** Parsed options as commander returns them (or as a caller of the engine writes them). */
export type Given = Readonly<Record<string, unknown>>;

/** Where a row's value came from: its flag, its variable, or neither. */
export function sourceOf(r: OptionRow<unknown>, given: Given, env: NodeJS.ProcessEnv): 'flag' | 'env' | undefined {
  const value = given[attributeOf(r)];
  if (value !== undefined && !(Array.isArray(value) && value.length === 0)) return 'flag';
  if (r.env !== undefined && env[r.env] !== undefined && env[r.env] !== '') return 'env';
  return undefined;
}

/** How a message names where a row's value came from: its flag when given, else its variable. */
export function whereOf(r: OptionRow<unknown>, given: Given, env: NodeJS.ProcessEnv = {}): string {
  return sourceOf(r, given, env) === 'flag' || r.env === undefined ? flagName(r) : r.env;
}

function fromFlag<T>(r: OptionRow<T>, value: unknown): T {
  // A switch, a list without a parser, or a value commander has parsed already.
  if (typeof value === 'boolean' || r.parse === undefined || r.commanderParses === true) return value as T;
  const textOf = Array.isArray(value) ? value.map(String).join('\n') : String(value);
  return r.parse(textOf, flagName(r));
}

/**
 * A row's value: the flag's (flags win), else the variable's (an empty one counts as unset), parsed; else the
 * default. A bad value is a one-line UserError naming the flag or variable it came from.
 */
export function valueOf<K extends OptionId>(id: K, given: Given, env: NodeJS.ProcessEnv = {}): ValueOf<(typeof OPTIONS)[K]> | undefined {
  const r = OPTIONS[id] as OptionRow<ValueOf<(typeof OPTIONS)[K]>>;
  const value = given[attributeOf(r)];
  switch (sourceOf(r, given, env)) {
    case 'flag':
      return fromFlag(r, value);
    case 'env': {
      const text = env[r.env!]!;
      return r.parse === undefined ? (text as ValueOf<(typeof OPTIONS)[K]>) : r.parse(text, r.env!);
    }
    case undefined:
      return r.default;
  }
}

/** Each row the run takes, and its variable (every one of the run's has one). */
export type RunOptionId = OptionIdOf<'run'>;
export const OPTION_ENV = Object.fromEntries(optionsOf('run').map(([id, r]) => [id, r.env ?? ''])) as Readonly<Record<RunOptionId, string>>;

/** A row's value where the row has a default (so there always is one); a row without one is a bug here. */
export function settledValueOf<K extends OptionId>(id: K, given: Given, env: NodeJS.ProcessEnv = {}): ValueOf<(typeof OPTIONS)[K]> {
  const value = valueOf(id, given, env);
  if (value === undefined) throw new Error(`option ${id} has no default in the options table`);
  return value;
}

/** The document a command reads (`--contract`, `LILT_CONTRACT`) with its tested operation (`--operation`), loaded once. */
export function loadContractOption(given: Given, env: NodeJS.ProcessEnv = {}): Promise<Contract> {
  return loadContract(settledValueOf('contract', given, env), { operation: parseSelector(settledValueOf('operation', given, env)) });
}
