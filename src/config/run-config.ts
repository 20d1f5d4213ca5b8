/**
 * The one typed configuration of a conformance run, parsed and validated once at the edge (flags, then environment;
 * flags win) and passed inward, each value from the options table (src/config/options.ts). The API key is kept apart
 * from it (`Secrets`): a RunConfig is printed and written into reports, the key never is.
 */
import { UserError } from '../errors';
import type { Contract } from '../contract/load';
import { FALLBACK_QUOTA, operationModel } from '../contract/model';
import * as fs from 'node:fs';
import { dayOf, loadBaseline, type Baseline } from './baseline';
import { ALL_CHECKS } from '../checks/registry';
import { knownCheckNames, selectChecks, type CheckSelection } from '../checks/selection';
import type { RequestHeader } from '../http/headers';
import { proxyFromEnv, type ProxyConfig } from '../http/proxy';
import { DEFAULTS, OPTIONS, settledValueOf, valueOf, whereOf, type RunOptionId } from './options';
import { resolveTargetInputs, type TargetConfig } from './target';

export type { CheckSelection } from '../checks/selection';

export type { TargetConfig } from './target';

/** Requests a minute, or no pacing at all. */
export type RateConfig =
  | { readonly kind: 'unlimited' }
  | { readonly kind: 'per-minute'; readonly perMinute: number; readonly source: 'flag' | 'documented-quota' };

export interface RunConfig {
  readonly target: TargetConfig;
  /** The job the run updates (and restores): the first of `jobIds`. Undefined only for the reference target. */
  readonly jobId: number | undefined;
  /**
   * Every job given (`--job-id 241,242,243`): each is read before and after, to show each comes back with its own id
   * and an update of one changes no other; the first, and each other that has every updatable field, is also a lane
   * of the run (written by its share of the cases, in parallel with the others, and put back at the end). Empty for
   * the reference target (it uses every fixture job).
   */
  readonly jobIds: readonly number[];
  /** An id no job has. */
  readonly missingJobId: number | undefined;
  /** The checks judged (`--checks` less `--exclude-checks`); the plan runs the groups they need. */
  readonly checks: CheckSelection;
  /** Stop issuing requests once this many checks have failed (the job is restored as always); undefined: never. */
  readonly maxFailures: number | undefined;
  /** Acknowledged deviations (`--baseline FILE`), read and checked at the edge; entries past their date are marked expired. */
  readonly baseline: Baseline | undefined;
  /** Where to write a baseline of this run's findings (`--write-baseline FILE`); its directory exists. */
  readonly writeBaseline: string | undefined;
  /** Headers sent on every request (`-H`); secret ones hold a Secret, shown nowhere. */
  readonly headers: readonly RequestHeader[];
  /** HTTPS_PROXY / HTTP_PROXY / NO_PROXY; undefined: no proxy. Loopback targets are always reached directly. */
  readonly proxy: ProxyConfig | undefined;
  /** NODE_EXTRA_CA_CERTS, checked readable (Node itself loads it at start-up, for every TLS connection). */
  readonly extraCaCerts: string | undefined;
  /** Examples per property (the properties group). */
  readonly runs: number;
  readonly seed: number;
  /** True when the seed came from --seed / LILT_SEED (so it is a replay). */
  readonly seedGiven: boolean;
  readonly rate: RateConfig;
  /**
   * Requests in flight at once, at most: --concurrency's, or (source 'target') the start value until the first reads
   * have measured the target's latency; then about rate x latency (`concurrencyFor`).
   */
  readonly concurrency: number;
  readonly concurrencySource: 'flag' | 'target';
  readonly timeoutMs: number;
  /** The longest wait after a 429 the run accepts (Retry-After, else the document's wait); beyond it: exit 3. */
  readonly maxWaitMs: number;
  /** The run's deadline from its start: reached, it stops issuing, restores the job and exits 3. */
  readonly maxDurationMs: number;
  /** The restore's budget (restoring PUT and read-back, retried with backoff, 429s honoured). */
  readonly restoreTimeoutMs: number;
  readonly reportDir: string | undefined;
  /** Where to write every exchange of the run as HAR 1.2 (`--har FILE`), the key redacted; its directory exists. */
  readonly har: string | undefined;
  readonly allowProduction: boolean;
  /** Start even when the job holds values this tool writes while testing (another run's, or a killed one's). */
  readonly allowSharedJob: boolean;
  /** Advisories fail the run like findings (--fail-on-advisory). */
  readonly failOnAdvisory: boolean;
  readonly dryRun: boolean;
  /** This machine's share of the cases (`--shard i/n`): every n-th case of the plan, from the i-th; undefined: all. */
  readonly shard: Shard | undefined;
  /** Replays one property's counterexample exactly: its id and fast-check's path (LILT_REPLAY_PATH, env only). */
  readonly replay: { readonly property: string; readonly path: string } | undefined;
}

/** `--shard i/n`: 1 <= index <= count. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

export interface Secrets {
  /** Undefined for the reference target: its fixture key is used. */
  readonly apiKey: string | undefined;
}

/** Raw option values (from commander, or the engine's caller): text, a switch, or -H's list. */
export type RawOptions = { [K in RunOptionId]?: string | boolean | readonly string[] };

export { DEFAULTS, OPTION_ENV } from './options';

/**
 * The requests a minute the document's prose states ("a general quota of 4000 requests per minute"), read by the
 * operation model; undefined when the prose states no quota at all.
 */
export function documentedQuotaPerMinute(contract: Contract): number | undefined {
  return operationModel(contract).quota?.perMinute;
}

/** The wait the document prescribes after hitting the quota ("wait 60 seconds"), in milliseconds; likewise. */
export function documentedQuotaWaitMs(contract: Contract): number | undefined {
  return operationModel(contract).quota?.waitMs;
}

/** Used only when the document no longer states its quota: the 4000 a minute of the LILT document's "Quotas" (the model's fallback). */
export const FALLBACK_QUOTA_PER_MINUTE = FALLBACK_QUOTA.perMinute;
/** Likewise the document's "wait 60 seconds". */
export const FALLBACK_QUOTA_WAIT_MS = FALLBACK_QUOTA.waitMs;

export { isLoopbackHost } from '../http/target-url';

export { MAX_TIMER_MS } from './parsers';
export { normalisedHostname } from './target';

/**
 * Flags (already split by commander) and environment into a RunConfig and the key: each value from the options
 * table (src/config/options.ts), then the rules between them. Throws a one-line UserError (exit 2) on any bad value.
 */
export function resolveRunConfig(
  raw: RawOptions,
  env: NodeJS.ProcessEnv,
  contract: Contract,
  randomSeed: () => number = () => Math.floor(Math.random() * 0x7fffffff),
  now: () => Date = () => new Date(),
): { config: RunConfig; secrets: Secrets } {
  const value = <K extends RunOptionId>(id: K) => valueOf(id, raw, env);
  const settled = <K extends RunOptionId>(id: K) => settledValueOf(id, raw, env);
  const dryRun = settled('dryRun');
  const { target, apiKey, jobIds, missingJobId } = resolveTargetInputs(raw, env, contract, dryRun);
  const baselineFile = value('baseline');
  const givenSeed = value('seed');
  const shard = value('shard');
  const concurrencyGiven = value('concurrency');
  const replay = parseReplay(env[REPLAY_ENV]);
  if (replay !== undefined && givenSeed === undefined) {
    throw new UserError(`${REPLAY_ENV} replays a failure: give the seed it was printed with (--seed N)`);
  }
  const config: RunConfig = {
    target,
    jobId: jobIds[0],
    jobIds,
    missingJobId,
    checks: resolveCheckSelection(raw, env),
    maxFailures: value('maxFailures'),
    baseline: baselineFile === undefined ? undefined : loadBaseline(baselineFile, ALL_CHECKS.map((c) => c.id), dayOf(now()), whereOf(OPTIONS.baseline, raw, env)),
    writeBaseline: value('writeBaseline'),
    headers: settled('header'),
    proxy: resolveProxy(env),
    extraCaCerts: resolveExtraCaCerts(env),
    runs: settled('runs'),
    seed: givenSeed ?? randomSeed(),
    seedGiven: givenSeed !== undefined,
    rate: rateOf(value('rate'), target, contract, shard),
    concurrency: concurrencyGiven ?? DEFAULTS.concurrency,
    concurrencySource: concurrencyGiven === undefined ? 'target' : 'flag',
    timeoutMs: settled('timeoutMs'),
    maxWaitMs: settled('maxWait'),
    maxDurationMs: settled('maxDuration'),
    restoreTimeoutMs: settled('restoreTimeout'),
    reportDir: value('reportDir'),
    har: value('har'),
    allowProduction: settled('allowProduction'),
    allowSharedJob: settled('allowSharedJob'),
    failOnAdvisory: settled('failOnAdvisory'),
    dryRun,
    shard,
    replay,
  };
  return { config, secrets: { apiKey } };
}

/**
 * The pace: --rate's, else unlimited on loopback (and the reference provider), else the document's quota. The shards
 * of a CI matrix share one key's quota (and the --rate given, which is the whole matrix's).
 */
function rateOf(given: number | undefined, target: TargetConfig, contract: Contract, shard: Shard | undefined): RateConfig {
  let rate: RateConfig;
  if (given !== undefined) rate = { kind: 'per-minute', perMinute: given, source: 'flag' };
  else if (target.kind === 'reference' || target.loopback) return { kind: 'unlimited' };
  else rate = { kind: 'per-minute', perMinute: documentedQuotaPerMinute(contract) ?? FALLBACK_QUOTA_PER_MINUTE, source: 'documented-quota' };
  if (shard !== undefined && rate.kind === 'per-minute') {
    rate = { ...rate, perMinute: Math.max(1, Math.floor(rate.perMinute / shard.count)) };
  }
  return rate;
}

/**
 * The default concurrency for a target whose requests take `latencyMs`: enough in flight to reach the rate at that
 * latency (rate x latency, the rate being the run's pace, or about what this process checks a second when unpaced),
 * from the default 4 up to 64.
 */
export function concurrencyFor(rate: RateConfig, latencyMs: number): number {
  const perSecond = rate.kind === 'per-minute' ? rate.perMinute / 60 : DEFAULTS.unpacedPerSecond;
  const wanted = Math.ceil((perSecond * Math.max(0, latencyMs)) / 1000);
  return Math.min(DEFAULTS.maxConcurrency, Math.max(DEFAULTS.concurrency, wanted));
}

/**
 * `--checks` and `--exclude-checks` (or LILT_CHECKS, LILT_EXCLUDE_CHECKS) into the selection. Needs no contract, so
 * the jest adapter can plan its groups before the contract loads. An unknown name: one line listing the known ones.
 */
export function resolveCheckSelection(raw: RawOptions, env: NodeJS.ProcessEnv): CheckSelection {
  const outcome = selectChecks(valueOf('checks', raw, env), valueOf('excludeChecks', raw, env));
  switch (outcome.kind) {
    case 'selected':
      return outcome.selection;
    case 'unknown': {
      const key = outcome.which === 'include' ? 'checks' : 'excludeChecks';
      const names = outcome.names.map((name) => `'${name}'`).join(', ');
      throw new UserError(`${whereOf(OPTIONS[key], raw, env)}: unknown ${outcome.names.length === 1 ? 'name' : 'names'} ${names}; known: ${knownCheckNames().join(', ')}`);
    }
    case 'empty':
      throw new UserError(`${whereOf(OPTIONS.checks, raw, env)} less ${whereOf(OPTIONS.excludeChecks, raw, env)} selects no check; exclude fewer`);
  }
}

function resolveProxy(env: NodeJS.ProcessEnv): ProxyConfig | undefined {
  const outcome = proxyFromEnv(env);
  switch (outcome.kind) {
    case 'none':
      return undefined;
    case 'proxy':
      return outcome.proxy;
    case 'refused':
      throw new UserError(`${outcome.variable} '${outcome.shown}' is not a proxy URL; set it like http://proxy.example.com:3128`);
  }
}

/** Node reads NODE_EXTRA_CA_CERTS when it starts and only warns if it cannot; here it is one line, exit 2. */
function resolveExtraCaCerts(env: NodeJS.ProcessEnv): string | undefined {
  const file = env.NODE_EXTRA_CA_CERTS;
  if (file === undefined || file === '') return undefined;
  try {
    fs.accessSync(file, fs.constants.R_OK);
  } catch {
    throw new UserError(`NODE_EXTRA_CA_CERTS ${file}: no such readable file; point it at the PEM file of your private CA`);
  }
  return file;
}

/** `LILT_REPLAY_PATH=<property>=<path>`, as a failure prints it. Environment only: the flags are a fixed interface. */
export const REPLAY_ENV = 'LILT_REPLAY_PATH';

function parseReplay(text: string | undefined): RunConfig['replay'] {
  if (text === undefined || text === '') return undefined;
  const match = /^([A-Za-z][A-Za-z0-9.-]*)=(\d+(?::\d+)*)$/.exec(text.trim());
  if (!match) {
    throw new UserError(`${REPLAY_ENV} must be <property>=<path>, as a failure prints it, e.g. body=12:0:3 (got '${text}')`);
  }
  return { property: match[1]!, path: match[2]! };
}
