/**
 * The one typed configuration of a conformance run, parsed and validated once at the edge (flags, then environment;
 * flags win) and passed inward. The API key is kept apart from it (`Secrets`): a RunConfig is printed, serialised to
 * the jest workers and written into reports, the key never is.
 */
import { UserError } from '../errors';
import type { Contract } from '../contract/load';
import { FALLBACK_QUOTA, operationModel } from '../contract/model';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dayOf, loadBaseline, type Baseline } from './baseline';
import { ALL_CHECKS } from '../checks/registry';
import { knownCheckNames, selectChecks, type CheckSelection } from '../checks/selection';
import { parseHeader, type RequestHeader } from '../http/headers';
import { proxyFromEnv, type ProxyConfig } from '../http/proxy';
import { isLoopbackHost } from '../http/target-url';

export type { CheckSelection } from '../checks/selection';

/** Where the run sends its requests. */
export type TargetConfig =
  /** No --target: the reference provider, started in-process on a free loopback port. */
  | { readonly kind: 'reference' }
  | { readonly kind: 'url'; readonly url: string; readonly loopback: boolean };

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

/** Raw option values as strings (from commander, or the environment). */
export interface RawOptions {
  target?: string;
  apiKey?: string;
  jobId?: string;
  missingJobId?: string;
  checks?: string;
  excludeChecks?: string;
  maxFailures?: string;
  baseline?: string;
  writeBaseline?: string;
  /** `-H`, repeatable. */
  header?: string[];
  runs?: string;
  seed?: string;
  rate?: string;
  concurrency?: string;
  timeoutMs?: string;
  maxWait?: string;
  maxDuration?: string;
  restoreTimeout?: string;
  reportDir?: string;
  har?: string;
  allowProduction?: boolean | string;
  allowSharedJob?: boolean | string;
  failOnAdvisory?: boolean | string;
  dryRun?: boolean | string;
  shard?: string;
}

/** Each option, its flag and its environment variable: the one table --help, the README and parsing share. */
export const OPTION_ENV: Readonly<Record<keyof RawOptions, string>> = {
  target: 'LILT_TARGET_URL',
  apiKey: 'LILT_API_KEY',
  jobId: 'LILT_JOB_ID',
  missingJobId: 'LILT_MISSING_JOB_ID',
  checks: 'LILT_CHECKS',
  excludeChecks: 'LILT_EXCLUDE_CHECKS',
  maxFailures: 'LILT_MAX_FAILURES',
  baseline: 'LILT_BASELINE',
  writeBaseline: 'LILT_WRITE_BASELINE',
  header: 'LILT_HEADERS',
  runs: 'LILT_RUNS',
  seed: 'LILT_SEED',
  rate: 'LILT_RATE',
  concurrency: 'LILT_CONCURRENCY',
  timeoutMs: 'LILT_TIMEOUT_MS',
  maxWait: 'LILT_MAX_WAIT',
  maxDuration: 'LILT_MAX_DURATION',
  restoreTimeout: 'LILT_RESTORE_TIMEOUT',
  reportDir: 'LILT_REPORT_DIR',
  har: 'LILT_HAR',
  allowProduction: 'LILT_ALLOW_PRODUCTION',
  allowSharedJob: 'LILT_ALLOW_SHARED_JOB',
  failOnAdvisory: 'LILT_FAIL_ON_ADVISORY',
  dryRun: 'LILT_DRY_RUN',
  shard: 'LILT_SHARD',
};

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

/** `--har FILE`: a file whose directory exists and that is not a directory itself. */
function harFile(raw: RawOptions, env: NodeJS.ProcessEnv): string | undefined {
  const file = pick(raw, env, 'har');
  if (file === undefined) return undefined;
  const resolved = path.resolve(file);
  const dir = path.dirname(resolved);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new UserError(`${where(raw, 'har')} ${file}: the directory ${dir} does not exist; create it or choose another file`);
  }
  if (fs.existsSync(resolved) && fs.statSync(resolved).isDirectory()) throw new UserError(`${where(raw, 'har')} ${file}: is a directory; give a file name, e.g. ${path.join(file, 'run.har')}`);
  return resolved;
}

/** Node's timer limit (2^31 - 1 ms, about 24.8 days): a longer timeout would fire at once. */
export const MAX_TIMER_MS = 2_147_483_647;

function pick(raw: RawOptions, env: NodeJS.ProcessEnv, key: keyof RawOptions): string | undefined {
  const fromFlag = raw[key];
  if (fromFlag !== undefined) return String(fromFlag);
  const fromEnv = env[OPTION_ENV[key]];
  return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
}

function where(raw: RawOptions, key: keyof RawOptions): string {
  const flag = `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  return raw[key] !== undefined ? flag : `${OPTION_ENV[key]}`;
}

function integer(
  raw: RawOptions,
  env: NodeJS.ProcessEnv,
  key: keyof RawOptions,
  { min, what }: { min: number; what: string },
): number | undefined {
  const text = pick(raw, env, key);
  if (text === undefined) return undefined;
  const value = /^[+]?\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min) {
    throw new UserError(`${where(raw, key)} must be ${what} (got '${text}')`);
  }
  return value;
}

/** A duration flag in whole seconds, as milliseconds within Node's timer limit. */
function seconds(raw: RawOptions, env: NodeJS.ProcessEnv, key: keyof RawOptions, fallback: number, min = 1): number {
  const value = integer(raw, env, key, { min, what: `a whole number of seconds${min === 0 ? '' : ', at least 1'}` }) ?? fallback;
  if (value * 1000 > MAX_TIMER_MS) {
    throw new UserError(`${where(raw, key)} must be at most ${Math.floor(MAX_TIMER_MS / 1000)} seconds (Node's timer limit; got ${value})`);
  }
  return value * 1000;
}

/** A hostname as the production guard compares it: lower case, without the trailing dot(s) of a fully qualified name. */
export function normalisedHostname(hostname: string): string {
  return hostname.toLowerCase().replace(/\.+$/, '');
}

function flag(raw: RawOptions, env: NodeJS.ProcessEnv, key: 'allowProduction' | 'dryRun' | 'allowSharedJob' | 'failOnAdvisory'): boolean {
  const value = raw[key];
  if (value === true) return true;
  const text = env[OPTION_ENV[key]];
  if (text === undefined || text === '') return false;
  if (/^(1|true|yes)$/i.test(text)) return true;
  if (/^(0|false|no)$/i.test(text)) return false;
  throw new UserError(`${OPTION_ENV[key]} must be true or false (got '${text}')`);
}

function parseTarget(text: string, raw: RawOptions, contract: Contract, allowProduction: boolean): TargetConfig {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UserError(`${where(raw, 'target')} '${text}' is not a URL; pass the base URL, e.g. https://staging.example.com`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UserError(`${where(raw, 'target')} '${text}' must be an http:// or https:// URL`);
  }
  if (url.username || url.password) {
    throw new UserError(`${where(raw, 'target')} must not carry credentials; pass the key with --api-key or LILT_API_KEY`);
  }
  if (url.search || url.hash) {
    throw new UserError(`${where(raw, 'target')} must be a base URL without ?query or #fragment`);
  }
  // Compared by hostname alone (lower case, trailing dot dropped, any port): `API.LILT.COM.:443` is production too.
  const production = (contract.document.servers ?? []).map((server) => {
    try {
      return normalisedHostname(new URL(server.url).hostname);
    } catch {
      return undefined;
    }
  });
  if (!allowProduction && production.includes(normalisedHostname(url.hostname))) {
    throw new UserError(
      `${url.host} is the document's production server; point --target at staging or a mock, or pass --allow-production if you mean it`,
    );
  }
  const base = url.toString().replace(/\/+$/, '');
  return { kind: 'url', url: base, loopback: isLoopbackHost(url.hostname) };
}

/**
 * Flags (already split by commander) and environment into a RunConfig and the key. Throws a one-line UserError
 * (exit 2) on any bad value.
 */
export function resolveRunConfig(
  raw: RawOptions,
  env: NodeJS.ProcessEnv,
  contract: Contract,
  randomSeed: () => number = () => Math.floor(Math.random() * 0x7fffffff),
  now: () => Date = () => new Date(),
): { config: RunConfig; secrets: Secrets } {
  const allowProduction = flag(raw, env, 'allowProduction');
  const dryRun = flag(raw, env, 'dryRun');
  const targetText = pick(raw, env, 'target');
  const target: TargetConfig =
    targetText === undefined ? { kind: 'reference' } : parseTarget(targetText, raw, contract, allowProduction);

  const apiKey = pick(raw, env, 'apiKey');
  if (target.kind === 'url' && apiKey === undefined && !dryRun) {
    throw new UserError('a --target needs an API key: pass --api-key KEY or set LILT_API_KEY');
  }
  if (apiKey !== undefined && (apiKey.includes(':') || /\s/.test(apiKey))) {
    // Basic auth sends key:key, so a ':' would split it; never echo the key itself.
    throw new UserError(`${where(raw, 'apiKey')} must not contain ':' or whitespace`);
  }

  const jobIds = parseJobIds(raw, env);
  const jobId = jobIds[0];
  if (target.kind === 'url' && jobId === undefined) {
    throw new UserError('a --target needs the job to update: pass --job-id N or set LILT_JOB_ID');
  }
  let missingJobId = integer(raw, env, 'missingJobId', { min: 1, what: 'a positive integer job id' });
  if (target.kind === 'url' && missingJobId === undefined) missingJobId = DEFAULTS.missingJobId;
  if (missingJobId !== undefined && jobIds.includes(missingJobId)) {
    throw new UserError(`--missing-job-id must differ from --job-id (${missingJobId} names a job the run updates or reads)`);
  }

  const checks = resolveCheckSelection(raw, env);
  const maxFailures = integer(raw, env, 'maxFailures', { min: 1, what: 'a positive integer (failing checks before the run stops)' });
  const baselineFile = pick(raw, env, 'baseline');
  const baseline = baselineFile === undefined ? undefined : loadBaseline(baselineFile, ALL_CHECKS.map((c) => c.id), dayOf(now()), where(raw, 'baseline'));
  const writeBaseline = pick(raw, env, 'writeBaseline');
  if (writeBaseline !== undefined) {
    const dir = path.dirname(path.resolve(writeBaseline));
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
      throw new UserError(`${where(raw, 'writeBaseline')} ${writeBaseline}: the directory ${dir} does not exist; create it or choose another file`);
    }
  }

  const har = harFile(raw, env);
  const runs = integer(raw, env, 'runs', { min: 1, what: 'a positive integer (examples per property)' }) ?? DEFAULTS.runs;
  const givenSeed = integer(raw, env, 'seed', { min: 0, what: 'a non-negative integer' });
  if (givenSeed !== undefined && givenSeed > 0x7fffffff) {
    throw new UserError(`${where(raw, 'seed')} must be at most ${0x7fffffff} (a 31-bit fast-check seed)`);
  }
  const seed = givenSeed ?? randomSeed();

  const shard = parseShard(raw, env);
  const rateGiven = integer(raw, env, 'rate', { min: 1, what: 'a positive integer (requests a minute)' });
  let rate: RateConfig;
  if (rateGiven !== undefined) rate = { kind: 'per-minute', perMinute: rateGiven, source: 'flag' };
  else if (target.kind === 'reference' || target.loopback) rate = { kind: 'unlimited' };
  else {
    rate = {
      kind: 'per-minute',
      perMinute: documentedQuotaPerMinute(contract) ?? FALLBACK_QUOTA_PER_MINUTE,
      source: 'documented-quota',
    };
  }
  // The shards of a CI matrix share one key's quota (and the --rate given, which is the whole matrix's).
  if (shard !== undefined && rate.kind === 'per-minute') {
    rate = { ...rate, perMinute: Math.max(1, Math.floor(rate.perMinute / shard.count)) };
  }

  const concurrencyGiven = integer(raw, env, 'concurrency', { min: 1, what: 'a positive integer (requests in flight)' });
  const concurrency = concurrencyGiven ?? DEFAULTS.concurrency;
  const timeoutMs =
    integer(raw, env, 'timeoutMs', { min: 1, what: 'a positive integer (milliseconds)' }) ?? DEFAULTS.timeoutMs;
  if (timeoutMs > MAX_TIMER_MS) {
    throw new UserError(`${where(raw, 'timeoutMs')} must be at most ${MAX_TIMER_MS} ms (Node's timer limit; got ${timeoutMs})`);
  }
  const maxWaitMs = seconds(raw, env, 'maxWait', DEFAULTS.maxWaitSeconds, 0);
  const maxDurationMs = seconds(raw, env, 'maxDuration', DEFAULTS.maxDurationSeconds);
  const restoreTimeoutMs = seconds(raw, env, 'restoreTimeout', DEFAULTS.restoreTimeoutSeconds);
  const allowSharedJob = flag(raw, env, 'allowSharedJob');
  const failOnAdvisory = flag(raw, env, 'failOnAdvisory');
  const reportDir = pick(raw, env, 'reportDir');
  const headers = resolveHeaders(raw, env);
  const proxy = resolveProxy(env);
  const extraCaCerts = resolveExtraCaCerts(env);
  const replay = parseReplay(env[REPLAY_ENV]);
  if (replay !== undefined && givenSeed === undefined) {
    throw new UserError(`${REPLAY_ENV} replays a failure: give the seed it was printed with (--seed N)`);
  }

  return {
    config: {
      target,
      jobId,
      jobIds,
      missingJobId,
      checks,
      maxFailures,
      baseline,
      writeBaseline,
      headers,
      proxy,
      extraCaCerts,
      runs,
      seed,
      seedGiven: givenSeed !== undefined,
      rate,
      concurrency,
      concurrencySource: concurrencyGiven === undefined ? 'target' : 'flag',
      timeoutMs,
      maxWaitMs,
      maxDurationMs,
      restoreTimeoutMs,
      reportDir,
      har,
      allowProduction,
      allowSharedJob,
      failOnAdvisory,
      dryRun,
      shard,
      replay,
    },
    secrets: { apiKey },
  };
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

/** `--job-id 241,242,243`: positive integers, comma-separated, each once. */
function parseJobIds(raw: RawOptions, env: NodeJS.ProcessEnv): number[] {
  const text = pick(raw, env, 'jobId');
  if (text === undefined) return [];
  const ids: number[] = [];
  const parts = text.split(',').map((p) => p.trim());
  for (const part of parts) {
    const id = /^[+]?\d+$/.test(part) ? Number(part) : Number.NaN;
    if (!Number.isSafeInteger(id) || id < 1) {
      // One id given: say what is wanted; several: which of them is wrong (the value is quoted once either way).
      throw new UserError(
        parts.length === 1
          ? `${where(raw, 'jobId')} must be a positive integer job id, or several comma-separated like 241,242 (got '${text}')`
          : `${where(raw, 'jobId')} takes positive integer job ids, comma-separated: ${part === '' ? 'an empty one' : `'${part}'`} in '${text}' is not one`,
      );
    }
    if (ids.includes(id)) throw new UserError(`${where(raw, 'jobId')} names job ${id} twice (got '${text}')`);
    ids.push(id);
  }
  return ids;
}

/**
 * `--checks` and `--exclude-checks` (or LILT_CHECKS, LILT_EXCLUDE_CHECKS) into the selection. Needs no contract, so
 * the jest adapter can plan its groups before the contract loads. An unknown name: one line listing the known ones.
 */
export function resolveCheckSelection(raw: RawOptions, env: NodeJS.ProcessEnv): CheckSelection {
  const outcome = selectChecks(pick(raw, env, 'checks'), pick(raw, env, 'excludeChecks'));
  switch (outcome.kind) {
    case 'selected':
      return outcome.selection;
    case 'unknown': {
      const key = outcome.which === 'include' ? 'checks' : 'excludeChecks';
      const names = outcome.names.map((name) => `'${name}'`).join(', ');
      throw new UserError(`${where(raw, key)}: unknown ${outcome.names.length === 1 ? 'name' : 'names'} ${names}; known: ${knownCheckNames().join(', ')}`);
    }
    case 'empty':
      throw new UserError(`${where(raw, 'checks')} less ${where(raw, 'excludeChecks')} selects no check; exclude fewer`);
  }
}

/** `-H "Name: value"` (repeatable), else LILT_HEADERS (one a line). A refusal names the header, never its value. */
function resolveHeaders(raw: RawOptions, env: NodeJS.ProcessEnv): RequestHeader[] {
  const fromFlags = raw.header !== undefined && raw.header.length > 0;
  const texts = fromFlags ? (raw.header ?? []) : (env[OPTION_ENV.header] ?? '').split(/\r?\n/).filter((line) => line.trim() !== '');
  const shownAs = fromFlags ? '-H' : OPTION_ENV.header;
  const headers = texts.map((text, i) => {
    const outcome = parseHeader(text);
    if (outcome.kind === 'refused') throw new UserError(`${shownAs} #${i + 1}: ${outcome.why}`);
    return outcome.header;
  });
  const seen = new Set<string>();
  for (const header of headers) {
    const key = header.name.toLowerCase();
    if (seen.has(key)) throw new UserError(`${shownAs}: ${header.name} is given twice; give each header once`);
    seen.add(key);
  }
  return headers;
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

/** `i/n` with 1 <= i <= n: a CI matrix of n machines, this one the i-th. */
function parseShard(raw: RawOptions, env: NodeJS.ProcessEnv): Shard | undefined {
  const text = pick(raw, env, 'shard');
  if (text === undefined) return undefined;
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = match ? Number(match[1]) : Number.NaN;
  const count = match ? Number(match[2]) : Number.NaN;
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(count) || count < 1 || index < 1 || index > count) {
    throw new UserError(`${where(raw, 'shard')} must be i/n with 1 <= i <= n, e.g. 1/3 (got '${text}')`);
  }
  return { index, count };
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
