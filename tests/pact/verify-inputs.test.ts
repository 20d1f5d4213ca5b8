/**
 * pact verify takes its target, key, job and missing id like the conformance run: from the flags, else from
 * LILT_TARGET_URL, LILT_API_KEY, LILT_JOB_ID and LILT_MISSING_JOB_ID; flags win; through the run's own guards. And a failed verification ends in a
 * few readable lines, not the verifier's whole result as one line of JSON with terminal escapes.
 */
import { verifyTarget } from '../../src/cli/pact-verify';
import { verifierFailureSummary } from '../../src/pact/verify';
import { loadContract, type Contract } from '../../src/contract/load';
import { DEFAULTS } from '../../src/config/options';
import { ExitCode } from '../../src/errors';
import { userErrorOf } from '../helpers/user-error';

let contract: Contract;
beforeAll(async () => {
  contract = await loadContract();
});

const ENV = {
  LILT_TARGET_URL: 'https://staging.example.com/',
  LILT_API_KEY: 'env-key',
  LILT_JOB_ID: '1234',
  LILT_MISSING_JOB_ID: '99999',
};

describe('the inputs', () => {
  test('from the environment alone, as the conformance run reads them', () => {
    expect(verifyTarget({}, ENV, contract)).toEqual({ target: 'https://staging.example.com', apiKey: 'env-key', jobId: 1234, missingJobId: 99999 });
  });

  test('flags win over the environment', () => {
    const flags = { target: 'http://127.0.0.1:4010', apiKey: 'flag-key', jobId: '7', missingJobId: '8' };
    expect(verifyTarget(flags, ENV, contract)).toEqual({ target: 'http://127.0.0.1:4010', apiKey: 'flag-key', jobId: 7, missingJobId: 8 });
  });

  test("without a missing id: the run's default (2147483647), not the pact example's", () => {
    expect(verifyTarget({}, { LILT_TARGET_URL: 'http://127.0.0.1:4010', LILT_API_KEY: 'k', LILT_JOB_ID: '241' }, contract)).toMatchObject({
      jobId: 241,
      missingJobId: DEFAULTS.missingJobId,
    });
    expect(DEFAULTS.missingJobId).toBe(2_147_483_647);
  });

  test.each([
    ['no target', {}, {}, /^no target: pass --target URL or set LILT_TARGET_URL/],
    ['no key', {}, { LILT_TARGET_URL: 'http://127.0.0.1:1' }, /^a --target needs an API key: pass --api-key KEY or set LILT_API_KEY$/],
    ['no job', {}, { LILT_TARGET_URL: 'http://127.0.0.1:1', LILT_API_KEY: 'k', LILT_JOB_ID: '' }, /^a --target needs the job to update: pass --job-id N or set LILT_JOB_ID$/],
    ['a bad job id from the environment', {}, { ...ENV, LILT_JOB_ID: 'abc' }, /^LILT_JOB_ID must be a positive integer job id, or several comma-separated like 241,242 \(got 'abc'\)$/],
    ['a bad job id from the flag', { jobId: '0' }, ENV, /^--job-id must be a positive integer job id/],
    ['two jobs', { jobId: '241,242' }, ENV, /^--job-id: pact verify writes one job; pass one id \(got 2\)$/],
    ['a target with a query from the environment', {}, { ...ENV, LILT_TARGET_URL: 'http://x.example/?key=1' }, /^LILT_TARGET_URL must be a base URL without \?query/],
    ['the production server', { target: 'https://API.lilt.com.' }, ENV, /^api\.lilt\.com\. is the document's production server; point --target at staging or a mock, or pass --allow-production if you mean it$/],
    ['a missing id that is the job', { missingJobId: '1234' }, ENV, /^--missing-job-id must differ from --job-id/],
  ])('%s: one line naming where it came from, exit 2', (_label, flags, env, message) => {
    const error = userErrorOf(() => verifyTarget(flags, env, contract));
    expect(error.message).toMatch(message);
    expect(error.exitCode).toBe(ExitCode.usage);
  });

  test('--allow-production lets the production server through, as for the run', () => {
    expect(verifyTarget({ target: 'https://api.lilt.com', allowProduction: true }, ENV, contract).target).toBe('https://api.lilt.com');
  });
});

describe("the verifier's failure, summarised", () => {
  const failure = (interaction: string, path: string, mismatch: string) => ({
    interaction,
    mismatch: { interactionId: '', mismatches: [{ actual: '"0"', expected: '0', mismatch, path, type: 'BodyMismatch' }], type: 'mismatches' },
  });
  // The shape pact-js rejects with (its result, JSON.stringified), trimmed to two failures of three interactions.
  const message = JSON.stringify({
    errors: [
      failure(
        'Verifying a pact between lilt-conformance-client and lilt-api Given a job exists - a request to rename a job',
        '$.isProcessing',
        "Expected '0' (String) to be an integer",
      ),
      { interaction: 'Verifying a pact between lilt-conformance-client and lilt-api - an update without credentials', mismatch: { type: 'error', message: 'State change request failed' } },
    ],
    interactionResults: [{ result: 'Error' }, { result: 'Error' }, { result: 'OK' }],
    notices: [],
    output: ['\nVerifying a pact between \u001b[1mlilt-conformance-client\u001b[0m and \u001b[1mlilt-api\u001b[0m', 'x'.repeat(5000)],
    pendingErrors: [],
    result: false,
  });

  test('one line per failed interaction: its description, state, and what was expected where', () => {
    expect(verifierFailureSummary(message)).toBe(
      '2 of 3 interactions failed:\n' +
        "  - a request to rename a job (given a job exists): $.isProcessing: Expected '0' (String) to be an integer\n" +
        '  - an update without credentials: State change request failed',
    );
  });

  test('at most ten are listed, the rest counted', () => {
    const many = JSON.stringify({
      errors: Array.from({ length: 12 }, (_, i) => failure(`Verifying a pact between a and b - interaction ${i}`, '$.id', 'Expected 1')),
      interactionResults: Array.from({ length: 12 }, () => ({ result: 'Error' })),
    });
    const lines = verifierFailureSummary(many).split('\n');
    expect(lines).toHaveLength(12);
    expect(lines.at(-1)).toBe("  ... and 2 more (see the verifier's output above)");
  });

  test('a message that is not the JSON result: its first line, without terminal escapes, cut short', () => {
    expect(verifierFailureSummary(`\u001b[31mVerification failed\u001b[0m: ${'y'.repeat(400)}\nstack`)).toMatch(/^Verification failed: y+\.\.\.$/);
    expect(verifierFailureSummary(`\u001b[31mVerification failed\u001b[0m: ${'y'.repeat(400)}`)).toHaveLength(200);
  });
});
