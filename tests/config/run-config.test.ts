/** Flags and environment into one RunConfig: precedence, defaults, and each bad input as a one-line exit-2 error. */
import { loadContract, type Contract } from '../../src/contract/load';
import { parseArgs } from '../../src/config/flags';
import {
  documentedQuotaPerMinute,
  documentedQuotaWaitMs,
  FALLBACK_QUOTA_PER_MINUTE,
  FALLBACK_QUOTA_WAIT_MS,
  resolveRunConfig,
} from '../../src/config/run-config';
import { ExitCode } from '../../src/errors';
import { contractCopy } from '../helpers/contract-copy';
import { userErrorOf } from '../helpers/user-error';

let contract: Contract;
beforeAll(async () => {
  contract = await loadContract();
});

const quiet = { out: () => undefined, err: () => undefined };

function resolve(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const parsed = parseArgs(argv, quiet);
  if (parsed.kind !== 'options') throw new Error('printed');
  return resolveRunConfig(parsed.raw, env, contract, () => 1234);
}


const STAGING = ['--target', 'https://staging.example.com/', '--api-key', 'k', '--job-id', '241'];

test('no flags: the reference provider, every check, unlimited rate, defaults, a random seed', () => {
  const { config, secrets } = resolve([]);
  expect(config).toMatchObject({
    target: { kind: 'reference' },
    checks: { text: 'all' },
    maxFailures: undefined,
    runs: 50,
    seed: 1234,
    seedGiven: false,
    rate: { kind: 'unlimited' },
    concurrency: 4,
    timeoutMs: 10_000,
    dryRun: false,
  });
  expect(secrets.apiKey).toBeUndefined();
});

test('a remote target: the documented quota (4000 a minute, read from the document), trailing slash dropped', () => {
  const { config, secrets } = resolve(STAGING);
  expect(config.target).toEqual({ kind: 'url', url: 'https://staging.example.com', loopback: false });
  expect(config.rate).toEqual({ kind: 'per-minute', perMinute: 4000, source: 'documented-quota' });
  expect(config.missingJobId).toBe(2_147_483_647);
  expect(secrets.apiKey).toBe('k');
  expect(documentedQuotaPerMinute(contract)).toBe(4000);
  expect(documentedQuotaWaitMs(contract)).toBe(60_000);
});

test('loopback targets are unlimited; --rate wins', () => {
  expect(resolve(['--target', 'http://127.0.0.1:4010', '--api-key', 'k', '--job-id', '1']).config.rate).toEqual({ kind: 'unlimited' });
  expect(resolve([...STAGING, '--rate', '60']).config.rate).toEqual({ kind: 'per-minute', perMinute: 60, source: 'flag' });
});

test('every flag also comes from the environment, and flags win', () => {
  const env = {
    LILT_TARGET_URL: 'https://env.example.com',
    LILT_API_KEY: 'from-env',
    LILT_JOB_ID: '7',
    LILT_MISSING_JOB_ID: '8',
    LILT_CHECKS: 'schema',
    LILT_RUNS: '5',
    LILT_SEED: '99',
    LILT_RATE: '10',
    LILT_CONCURRENCY: '2',
    LILT_TIMEOUT_MS: '500',
    LILT_REPORT_DIR: '/tmp/r',
    LILT_DRY_RUN: 'true',
  };
  const fromEnv = resolve([], env);
  expect(fromEnv.config).toMatchObject({
    target: { kind: 'url', url: 'https://env.example.com' },
    jobId: 7,
    missingJobId: 8,
    checks: { text: 'schema', groups: ['schema'] },
    runs: 5,
    seed: 99,
    seedGiven: true,
    rate: { perMinute: 10 },
    concurrency: 2,
    timeoutMs: 500,
    reportDir: '/tmp/r',
    dryRun: true,
  });
  expect(fromEnv.secrets.apiKey).toBe('from-env');
  const flagsWin = resolve(['--job-id', '9', '--runs', '6', '--checks', 'all'], env);
  expect(flagsWin.config).toMatchObject({ jobId: 9, runs: 6, checks: { text: 'all' } });
});

test.each<[string, string[], NodeJS.ProcessEnv, RegExp]>([
  ['a target URL that does not parse', ['--target', 'not a url'], {}, /--target 'not a url' is not a URL/],
  ['a target that is not http(s)', ['--target', 'ftp://x.example.com'], {}, /http:\/\/ or https:\/\//],
  ['a non-integer job id', [...STAGING, '--job-id', '12abc'], {}, /^--job-id must be a positive integer job id, or several comma-separated like 241,242 \(got '12abc'\)$/],
  ['--job-id abc: the value quoted once, what is wanted said', [...STAGING, '--job-id', 'abc'], {}, /^--job-id must be a positive integer job id, or several comma-separated like 241,242 \(got 'abc'\)$/],
  ['a non-integer job id from the environment', [], { LILT_JOB_ID: '1.5' }, /^LILT_JOB_ID must be a positive integer job id, or several comma-separated like 241,242 \(got '1\.5'\)$/],
  ['a negative --runs', ['--runs', '-3'], {}, /--runs must be a positive integer/],
  ['--runs 0', ['--runs', '0'], {}, /--runs must be a positive integer/],
  ['an unknown --checks value', ['--checks', 'semantic'], {}, /--checks: unknown name 'semantic'; known: all, schema, semantics/],
  ['the production server', ['--target', 'https://api.lilt.com', '--api-key', 'k', '--job-id', '1'], {}, /production server.*--allow-production/],
  ['a target without a key', ['--target', 'https://staging.example.com', '--job-id', '1'], {}, /needs an API key/],
  ['a target without a job', ['--target', 'https://staging.example.com', '--api-key', 'k'], {}, /needs the job/],
  ['a key inside the URL', ['--target', 'https://u:p@staging.example.com'], {}, /must not carry credentials/],
  ['a bad LILT_DRY_RUN', [], { LILT_DRY_RUN: 'maybe' }, /LILT_DRY_RUN must be true or false/],
  ['a replay without its seed', [], { LILT_REPLAY_PATH: 'name=1:2' }, /give the seed/],
  ['a malformed replay path', ['--seed', '1'], { LILT_REPLAY_PATH: 'name' }, /<property>=<path>/],
  ['the production server with a trailing dot', ['--target', 'https://api.lilt.com.', '--api-key', 'k', '--job-id', '1'], {}, /production server/],
  ['the production server in upper case with its port', ['--target', 'https://API.Lilt.COM:443/', '--api-key', 'k', '--job-id', '1'], {}, /production server/],
  ['the production server over http on 443', ['--target', 'http://api.lilt.com.:443', '--api-key', 'k', '--job-id', '1'], {}, /production server/],
  ['--timeout-ms above the timer limit', ['--timeout-ms', '2147483648'], {}, /--timeout-ms must be at most 2147483647 ms \(Node's timer limit/],
  ['--max-wait that is not seconds', ['--max-wait', '5m'], {}, /--max-wait must be a whole number of seconds/],
  ['--max-duration 0', ['--max-duration', '0'], {}, /--max-duration must be a whole number of seconds, at least 1/],
  ['--restore-timeout above the timer limit', ['--restore-timeout', '9999999'], {}, /--restore-timeout must be at most 2147483 seconds/],
  ['a bad LILT_ALLOW_SHARED_JOB', [], { LILT_ALLOW_SHARED_JOB: 'sure' }, /LILT_ALLOW_SHARED_JOB must be true or false/],
])('%s: one line, exit 2', (_label, argv, env, message) => {
  const error = userErrorOf(() => resolve(argv, env));
  expect(error.exitCode).toBe(ExitCode.usage);
  expect(error.message).toMatch(message);
  expect(error.message).not.toContain('\n');
});

test('an unknown flag is a one-line usage error; --help prints and runs nothing', () => {
  const error = userErrorOf(() => parseArgs(['--bogus'], quiet));
  expect(error.exitCode).toBe(ExitCode.usage);
  expect(error.message).toMatch(/unknown option '--bogus'.*--help/);
  let help = '';
  expect(parseArgs(['--help'], { out: (s) => (help += s), err: () => undefined })).toEqual({ kind: 'printed' });
  for (const env of ['LILT_TARGET_URL', 'LILT_API_KEY', 'LILT_JOB_ID', 'LILT_MISSING_JOB_ID', 'LILT_CHECKS', 'LILT_EXCLUDE_CHECKS', 'LILT_MAX_FAILURES', 'LILT_BASELINE', 'LILT_WRITE_BASELINE', 'LILT_HEADERS', 'LILT_RUNS', 'LILT_SEED', 'LILT_RATE', 'LILT_CONCURRENCY', 'LILT_TIMEOUT_MS', 'LILT_MAX_WAIT', 'LILT_MAX_DURATION', 'LILT_RESTORE_TIMEOUT', 'LILT_REPORT_DIR', 'LILT_ALLOW_PRODUCTION', 'LILT_ALLOW_SHARED_JOB', 'LILT_DRY_RUN']) {
    expect(help.replace(/\s+/g, ' ')).toContain(env);
  }
});

test('the bounds: documented defaults (a 429 wait 300 s, the run 3600 s, the restore 120 s), flags and environment in seconds', () => {
  expect(resolve([]).config).toMatchObject({ maxWaitMs: 300_000, maxDurationMs: 3_600_000, restoreTimeoutMs: 120_000, allowSharedJob: false });
  expect(resolve(['--max-wait', '0', '--max-duration', '90', '--restore-timeout', '5', '--allow-shared-job']).config).toMatchObject({
    maxWaitMs: 0,
    maxDurationMs: 90_000,
    restoreTimeoutMs: 5_000,
    allowSharedJob: true,
  });
  const fromEnv = resolve([], { LILT_MAX_WAIT: '7', LILT_MAX_DURATION: '8', LILT_RESTORE_TIMEOUT: '9', LILT_ALLOW_SHARED_JOB: 'true' }).config;
  expect(fromEnv).toMatchObject({ maxWaitMs: 7_000, maxDurationMs: 8_000, restoreTimeoutMs: 9_000, allowSharedJob: true });
  expect(resolve(['--timeout-ms', '2147483647']).config.timeoutMs).toBe(2_147_483_647);
});

test('a staging host that merely contains the production name is not production', () => {
  expect(resolve(['--target', 'https://api.lilt.com.staging.example.com', '--api-key', 'k', '--job-id', '1']).config.target).toMatchObject({ kind: 'url' });
});

test('--allow-production lets the production server through', () => {
  const { config } = resolve(['--target', 'https://api.lilt.com', '--api-key', 'k', '--job-id', '1', '--allow-production']);
  expect(config.target).toMatchObject({ kind: 'url', url: 'https://api.lilt.com' });
});

test('the key is never echoed in an error', () => {
  const error = userErrorOf(() => resolve(['--api-key', 'secret:with-colon']));
  expect(error.message).not.toContain('secret');
});

test("the documented quota is the model's: other figures are followed, no quota prose falls back to 4000 a minute", async () => {
  const resolveWith = (c: Contract) => {
    const parsed = parseArgs(STAGING, quiet);
    if (parsed.kind !== 'options') throw new Error('printed');
    return resolveRunConfig(parsed.raw, {}, c, () => 1234).config.rate;
  };
  const other = await loadContract(
    contractCopy((t) => t.replace('quota of 4000 requests', 'quota of 1,200 requests').replace('wait 60 seconds', 'wait 30 seconds')),
  );
  expect([documentedQuotaPerMinute(other), documentedQuotaWaitMs(other)]).toEqual([1200, 30_000]);
  expect(resolveWith(other)).toEqual({ kind: 'per-minute', perMinute: 1200, source: 'documented-quota' });

  const silent = await loadContract(contractCopy((t) => t.replace(/    ## Quotas\n[\s\S]*?you can send another request\.\n/, '')));
  expect([documentedQuotaPerMinute(silent), documentedQuotaWaitMs(silent)]).toEqual([undefined, undefined]);
  expect([FALLBACK_QUOTA_PER_MINUTE, FALLBACK_QUOTA_WAIT_MS]).toEqual([4000, 60_000]);
  expect(resolveWith(silent)).toEqual({ kind: 'per-minute', perMinute: 4000, source: 'documented-quota' });
});
