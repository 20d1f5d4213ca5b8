/**
 * pact:publish and pact:can-i-deploy run for real (tsx, the official Pact CLI binary) against the recording broker
 * double on loopback, from a throw-away git checkout, so the version and branch come from git. The double is held to
 * the broker's contract by broker-double.contract.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startReferenceProvider } from '../../src/provider';
import { PACT_DIR, pactFileName, pactNames } from '../../src/pact/config';
import { EXAMPLE_JOB_ID, EXAMPLE_MISSING_JOB_ID } from '../../src/pact/states';
import { DEFAULT_CONSUMER_VERSION_SELECTORS, verifyPacts } from '../../src/pact/verify';
import { startBrokerDouble, type BrokerDouble } from './broker-double';
import { runCli, type CliRun } from './cli';
import { closedPort } from '../helpers/net';
import { tempDir } from '../helpers/temp';

const TOKEN = `broker-token-${randomBytes(8).toString('hex')}`;
const BRANCH = 'feature/pact-publish';
const names = pactNames({});
const pactFile = path.join(PACT_DIR, pactFileName(names));

let double: BrokerDouble;
let tmp: string;
let checkout: string;
let sha: string;

function git(args: string[], cwd: string): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' },
  }).trim();
}

beforeAll(async () => {
  double = await startBrokerDouble({ token: TOKEN, environments: ['test', 'production'] });
  tmp = tempDir('lilt-pact-broker-');
  checkout = path.join(tmp, 'checkout');
  fs.mkdirSync(checkout);
  git(['init', '-q'], checkout);
  git(['symbolic-ref', 'HEAD', `refs/heads/${BRANCH}`], checkout); // `init -b` needs git 2.28
  fs.writeFileSync(path.join(checkout, 'README'), 'consumer\n');
  git(['add', 'README'], checkout);
  git(['commit', '-q', '-m', 'first'], checkout);
  sha = git(['rev-parse', 'HEAD'], checkout);
});
afterAll(() => double.close());

const brokerEnv = (overrides: Record<string, string> = {}) => ({
  PACT_BROKER_BASE_URL: double.url,
  PACT_BROKER_TOKEN: TOKEN,
  ...overrides,
});

/** No token anywhere, and no terminal escapes (the output is a pipe here, as in a CI log). */
function expectNoSecret(run: CliRun): void {
  expect(run.stdout).not.toContain(TOKEN);
  expect(run.stderr).not.toContain(TOKEN);
  expect(`${run.stdout}${run.stderr}`).not.toMatch(/\u001b/);
}

/** A user error: exactly one line on stderr, the given exit code, no token. */
function expectOneLineError(run: CliRun, status: number, message: RegExp): void {
  expect(run.status).toBe(status);
  expect(run.stderr.split('\n').filter((line) => line.startsWith('error: '))).toHaveLength(1);
  expect(run.stderr.trimEnd().split('\n').pop()).toMatch(message);
  expectNoSecret(run);
}

describe('pact:publish', () => {
  it('publishes the pact files with the git commit as version and the git branch', async () => {
    const run = await runCli('pact-publish', ['--pact-dir', PACT_DIR], brokerEnv(), checkout);
    expect(run.status).toBe(0);
    expectNoSecret(run);
    const publishes = double.requests.filter((r) => r.method === 'POST' && r.path === '/contracts/publish');
    expect(publishes).toHaveLength(1);
    expect(publishes[0]!.auth).toBe('bearer');
    const body = publishes[0]!.body as { pacticipantName: string; pacticipantVersionNumber: string; branch: string };
    expect(body).toMatchObject({ pacticipantName: names.consumer, pacticipantVersionNumber: sha, branch: BRANCH });
    expect(double.contracts).toHaveLength(1);
    const published = double.contracts[0]!;
    expect(published).toMatchObject({ consumer: names.consumer, provider: names.provider, consumerVersion: sha, branch: BRANCH });
    // The CLI re-serialises the pact (sorted keys, its own metadata); what it means must be the file's.
    const file = JSON.parse(fs.readFileSync(pactFile, 'utf8')) as Record<string, unknown>;
    const sent = published.pact as Record<string, unknown>;
    expect(sent['consumer']).toEqual(file['consumer']);
    expect(sent['provider']).toEqual(file['provider']);
    expect(sent['interactions']).toEqual(file['interactions']);
  });

  it('refuses without a broker URL, without a token, with no pact files, or in a checkout with no commit', async () => {
    expectOneLineError(
      await runCli('pact-publish', [], { PACT_BROKER_TOKEN: TOKEN }, checkout),
      2,
      /^error: no Pact Broker: set PACT_BROKER_BASE_URL/,
    );
    expectOneLineError(
      await runCli('pact-publish', ['--pact-dir', PACT_DIR], { PACT_BROKER_BASE_URL: double.url }, checkout),
      2,
      /^error: no Pact Broker credentials: set PACT_BROKER_TOKEN/,
    );
    const empty = path.join(tmp, 'no-pacts');
    fs.mkdirSync(empty, { recursive: true });
    expectOneLineError(
      await runCli('pact-publish', ['--pact-dir', empty], brokerEnv(), checkout),
      2,
      /^error: .*no pact files \(\*\.json\) found/,
    );
    const fresh = path.join(tmp, 'no-commit');
    fs.mkdirSync(fresh, { recursive: true });
    git(['init', '-q'], fresh);
    expectOneLineError(
      await runCli('pact-publish', ['--pact-dir', PACT_DIR], brokerEnv(), fresh),
      2,
      /^error: this git checkout has no commit yet: .*or pass --consumer-version$/,
    );
  });

  it('says the broker is down in one line (exit 3), and a refused token in one line (exit 2), never printing it', async () => {
    const port = await closedPort();
    expectOneLineError(
      await runCli('pact-publish', ['--pact-dir', PACT_DIR], brokerEnv({ PACT_BROKER_BASE_URL: `http://127.0.0.1:${port}` }), checkout),
      3,
      /^error: cannot reach the Pact Broker at http:\/\/127\.0\.0\.1:\d+/,
    );
    const wrong = `${TOKEN}-wrong`;
    const run = await runCli('pact-publish', ['--pact-dir', PACT_DIR], brokerEnv({ PACT_BROKER_TOKEN: wrong }), checkout);
    expectOneLineError(run, 2, /^error: pact broker publish failed/);
    expect(run.stdout + run.stderr).not.toContain(wrong);
  });
});

describe('pact:can-i-deploy', () => {
  const canIDeploy = () => runCli('pact-can-i-deploy', [], brokerEnv(), checkout);

  it('follows the recorded verification results: unknown says no, a passing verification yes, a later failure no', async () => {
    expect(double.contracts.map((c) => c.consumerVersion)).toEqual([sha]); // published above

    const unverified = await canIDeploy();
    expect(unverified.status).toBe(1);
    expect(unverified.stderr).toContain('can-i-deploy: no');
    expectNoSecret(unverified);
    const matrixQuery = double.requests.filter((r) => r.path === '/matrix').pop()?.query ?? '';
    expect(new URLSearchParams(matrixQuery).getAll('q[][version]')).toEqual([sha]);
    expect(new URLSearchParams(matrixQuery).getAll('q[][pacticipant]')).toEqual([names.consumer]);

    // The provider's CI: verify the pact from the broker against the reference provider, publishing the result.
    const provider = await startReferenceProvider({ port: 0, host: '127.0.0.1' });
    try {
      const outcome = await verifyPacts({
        target: provider.url,
        apiKey: 'test-key',
        authScheme: 'basic',
        provider: names.provider,
        jobId: EXAMPLE_JOB_ID,
        missingJobId: EXAMPLE_MISSING_JOB_ID,
        source: { kind: 'broker', broker: { baseUrl: double.url, auth: { kind: 'token', token: TOKEN } }, consumerVersionSelectors: DEFAULT_CONSUMER_VERSION_SELECTORS },
        publish: { providerVersion: 'provider-sha-1', providerBranch: 'main' },
        logLevel: 'error',
        timeoutMs: 5_000,
      });
      expect(outcome).toMatchObject({ passed: true, restore: { kind: 'restored' } });
    } finally {
      await provider.close();
    }
    const forVerification = double.requests.find((r) => r.method === 'POST' && r.path.endsWith('/for-verification'));
    expect(forVerification?.body).toMatchObject({ consumerVersionSelectors: DEFAULT_CONSUMER_VERSION_SELECTORS });
    expect(double.verifications).toEqual([
      expect.objectContaining({ consumer: names.consumer, consumerVersion: sha, providerVersion: 'provider-sha-1', success: true }),
    ]);
    expect(double.branchVersions).toEqual([{ pacticipant: names.provider, branch: 'main', version: 'provider-sha-1' }]);

    const verified = await canIDeploy();
    expect(verified.status).toBe(0);
    expect(verified.stdout).toContain('Computer says yes');
    expectNoSecret(verified);

    double.recordVerification({ consumer: names.consumer, consumerVersion: sha, provider: names.provider, providerVersion: 'provider-sha-2', success: false });
    const failed = await canIDeploy();
    expect(failed.status).toBe(1);
    expect(failed.stdout).toContain('Computer says no');
    expectNoSecret(failed);
  });

  it('pact:verify from the broker publishes a passing result under the given version, and can-i-deploy says yes again', async () => {
    const provider = await startReferenceProvider({ port: 0, host: '127.0.0.1' });
    try {
      const run = await runCli(
        'pact-verify',
        ['--target', provider.url, '--job-id', '241', '--publish', '--provider-version', 'provider-sha-3', '--provider-branch', 'main'],
        brokerEnv({ LILT_API_KEY: 'test-key' }),
        checkout,
      );
      expect(run.status).toBe(0);
      expect(run.stderr).toContain(`verifying pacts from the broker at ${double.url}`);
      expectNoSecret(run);
      expect(run.stdout + run.stderr).not.toContain('test-key');
    } finally {
      await provider.close();
    }
    expect(double.verifications.at(-1)).toMatchObject({ consumerVersion: sha, providerVersion: 'provider-sha-3', success: true });
    expect((await canIDeploy()).status).toBe(0);
  });

  it('refuses --publish without a broker', async () => {
    expectOneLineError(
      await runCli('pact-verify', ['--target', 'http://127.0.0.1:9', '--job-id', '241', '--publish'], { LILT_API_KEY: 'k' }, checkout),
      2,
      /^error: --publish needs a broker: set PACT_BROKER_BASE_URL/,
    );
  });

  it('tells a refused token or an unknown pacticipant (a failure to ask) from a "no"', async () => {
    const wrong = `${TOKEN}-wrong`;
    const refused = await runCli('pact-can-i-deploy', [], brokerEnv({ PACT_BROKER_TOKEN: wrong }), checkout);
    expectOneLineError(refused, 2, /^error: pact broker can-i-deploy failed \(exit 1\): .*401 Unauthorized/);
    expect(refused.stdout + refused.stderr).not.toContain(wrong);
    const unknown = await runCli('pact-can-i-deploy', ['--pacticipant', 'nobody'], brokerEnv(), checkout);
    expectOneLineError(unknown, 2, /^error: pact broker can-i-deploy failed .*Pacticipant nobody not found/);
  });

  it('refuses without a token, and in a checkout with no commit', async () => {
    expectOneLineError(
      await runCli('pact-can-i-deploy', [], { PACT_BROKER_BASE_URL: double.url }, checkout),
      2,
      /^error: no Pact Broker credentials/,
    );
    const fresh = path.join(tmp, 'no-commit-2');
    fs.mkdirSync(fresh, { recursive: true });
    git(['init', '-q'], fresh);
    expectOneLineError(await runCli('pact-can-i-deploy', [], brokerEnv(), fresh), 2, /^error: this git checkout has no commit yet: .*or pass --version$/);
  });
});

describe('pact record-deployment and record-release, and can-i-deploy --to-environment', () => {
  /** The broker given by flags alone: no PACT_BROKER_* variable. */
  const flags = () => ['--broker-base-url', double.url, '--broker-token', TOKEN];
  const canIDeployTo = (environment: string) => runCli('pact-can-i-deploy', ['--to-environment', environment, ...flags()], {}, checkout);

  it('can-i-deploy to production says no while no version of the provider is recorded there, yes once a verified one is deployed', async () => {
    const before = await canIDeployTo('production');
    expect(before.status).toBe(1);
    expectNoSecret(before);
    expect(double.requests.filter((r) => r.path === '/matrix').pop()?.query).toMatch(/[?&]environment=production(&|$)/);

    // provider-sha-3 passed the verification above (pact:verify from the broker).
    const deployed = await runCli('pact-record-deployment', ['--pacticipant', names.provider, '--version', 'provider-sha-3', '--environment', 'production', ...flags()], {}, checkout);
    expect(deployed.status).toBe(0);
    expect(deployed.stdout).toMatch(/Recorded deployment of lilt-api version provider-sha-3 to production environment/);
    expect(deployed.stderr).toContain('record-deployment: lilt-api provider-sha-3 recorded as deployed to production');
    expectNoSecret(deployed);
    expect(double.environmentRecords.at(-1)).toMatchObject({ kind: 'deployment', pacticipant: names.provider, version: 'provider-sha-3', environment: 'production', currentlyDeployed: true });
    expect(double.requests.filter((r) => r.method === 'POST' && /deployed-versions/.test(r.path)).every((r) => r.auth === 'bearer')).toBe(true);
    const after = await canIDeployTo('production');
    expect(after.stdout).toContain('Computer says yes');
    expect(after.status).toBe(0);

    // provider-sha-2 failed its verification: deployed over it, production can no longer take the consumer.
    expect((await runCli('pact-record-deployment', ['--pacticipant', names.provider, '--version', 'provider-sha-2', '--environment', 'production', ...flags()], {}, checkout)).status).toBe(0);
    expect(double.environmentRecords.filter((r) => r.environment === 'production' && r.currentlyDeployed).map((r) => r.version)).toEqual(['provider-sha-2']);
    expect((await canIDeployTo('production')).status).toBe(1);
  });

  it('record-release records the consumer (its default) at the git commit, from the environment variables as well', async () => {
    const run = await runCli('pact-record-release', ['--environment', 'test'], brokerEnv(), checkout);
    expect(run.status).toBe(0);
    expectNoSecret(run);
    expect(run.stdout).toMatch(/Recorded release of lilt-conformance-client version [0-9a-f]{40} to test environment/);
    expect(double.environmentRecords.at(-1)).toMatchObject({ kind: 'release', pacticipant: names.consumer, version: sha, environment: 'test' });
  });

  it('an unknown environment, a refused token, a broker that is down, no --environment: one line each, the token never printed', async () => {
    expectOneLineError(
      await runCli('pact-record-deployment', ['--environment', 'staging', ...flags()], {}, checkout),
      2,
      /^error: pact broker record-deployment failed \(exit \d+\): .*Environment staging does not exist/,
    );
    const wrong = `${TOKEN}-wrong`;
    const refused = await runCli('pact-record-deployment', ['--environment', 'production', '--broker-base-url', double.url, '--broker-token', wrong], {}, checkout);
    expectOneLineError(refused, 2, /^error: pact broker record-deployment failed/);
    expect(refused.stdout + refused.stderr).not.toContain(wrong);
    const port = await closedPort();
    expectOneLineError(
      await runCli('pact-record-release', ['--environment', 'test', '--broker-base-url', `http://127.0.0.1:${port}`, '--broker-token', TOKEN], {}, checkout),
      3,
      /^error: cannot reach the Pact Broker at http:\/\/127\.0\.0\.1:\d+; check --broker-base-url or PACT_BROKER_BASE_URL$/,
    );
    const missing = await runCli('pact-record-deployment', flags(), {}, checkout);
    expect(missing.status).toBe(2);
    expect(missing.stderr.trim()).toBe("error: required option '--environment <name>' not specified");
    expectNoSecret(missing);
  });

  it('publish takes the broker from flags too, and the token given as a flag is printed nowhere', async () => {
    const published = double.contracts.length;
    const run = await runCli('pact-publish', ['--pact-dir', PACT_DIR, '--consumer-version', 'flag-version', ...flags()], {}, checkout);
    expect(run.status).toBe(0);
    expectNoSecret(run);
    expect(double.contracts.slice(published).map((c) => c.consumerVersion)).toEqual(['flag-version']);
  });
});

describe('pact verify from the broker: pending and work-in-progress pacts', () => {
  it('--enable-pending and --include-wip-pacts-since reach the broker with the selectors; the output has no terminal escapes', async () => {
    const provider = await startReferenceProvider({ port: 0, host: '127.0.0.1' });
    try {
      const asked = double.requests.length;
      const run = await runCli(
        'pact-verify',
        ['--target', provider.url, '--job-id', '241', '--enable-pending', '--include-wip-pacts-since', '2026-01-01', '--broker-base-url', double.url, '--broker-token', TOKEN],
        { LILT_API_KEY: 'test-key' },
        checkout,
      );
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/Verifying a pact between lilt-conformance-client and lilt-api/);
      expectNoSecret(run);
      const body = double.requests.slice(asked).find((r) => r.method === 'POST' && r.path.endsWith('/for-verification'))?.body;
      expect(body).toMatchObject({ includePendingStatus: true, includeWipPactsSince: '2026-01-01', consumerVersionSelectors: DEFAULT_CONSUMER_VERSION_SELECTORS });
    } finally {
      await provider.close();
    }
  });

  it('refuses them without a broker, and a date that is not one, in one line', async () => {
    expectOneLineError(
      await runCli('pact-verify', ['--target', 'http://127.0.0.1:9', '--job-id', '241', '--enable-pending', '--include-wip-pacts-since', '2026-01-01'], { LILT_API_KEY: 'k' }, checkout),
      2,
      /^error: --enable-pending and --include-wip-pacts-since need a broker: set PACT_BROKER_BASE_URL or pass --broker-base-url/,
    );
    expectOneLineError(
      await runCli('pact-verify', ['--target', 'http://127.0.0.1:9', '--job-id', '241', '--include-wip-pacts-since', '2026-02-30'], { LILT_API_KEY: 'k', ...brokerEnv() }, checkout),
      2,
      /^error: --include-wip-pacts-since must be a date as YYYY-MM-DD, e.g\. 2026-01-31 \(got '2026-02-30'\)$/,
    );
  });
});
