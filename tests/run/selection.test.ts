/**
 * Choosing checks: --checks and --exclude-checks take groups and check ids (all and schema keep their meaning); the
 * plan runs the groups the selected checks need; an unknown name is one line listing the known ones (exit 2);
 * --max-failures stops issuing requests once that many checks failed, and the job is still put back.
 */
import { resolveRunConfig, type RawOptions } from '../../src/config/run-config';
import { loadContract, type Contract } from '../../src/contract/load';
import { ALL_CHECKS } from '../../src/checks/registry';
import { conformanceFacts, type ConformanceFacts } from '../../src/checks/facts';
import { referenceDefaults } from '../../src/run/session/reference';
import { planOf } from '../../src/run/plan';
import { runConformance } from '../../src/run/run';
import { summaryOf } from '../../src/reports/summary';
import { createValidators } from '../../src/validation/validators';
import { FAULTS, startFaulty } from '../conformance/faulty-provider';
import { userErrorOf } from '../helpers/user-error';

let contract: Contract;
let facts: ConformanceFacts;
beforeAll(async () => {
  contract = await loadContract();
  facts = conformanceFacts(createValidators(contract));
});
jest.setTimeout(60_000);

const configOf = (raw: RawOptions, env: NodeJS.ProcessEnv = {}) => resolveRunConfig({ runs: '3', seed: '3', ...raw }, env, contract).config;
const suitesOf = (raw: RawOptions) => planOf(configOf(raw), facts, []).map((suite) => suite.id);

test('all, the default, is every check and every group; schema is group 1 alone, as before', () => {
  expect(configOf({}).checks.ids).toEqual(ALL_CHECKS.map((c) => c.id));
  expect(suitesOf({})).toEqual(['schema', 'semantics', 'negative', 'ids', 'auth', 'coverage', 'properties', 'envelope']);
  expect(configOf({ checks: 'schema' }).checks.ids).toEqual(ALL_CHECKS.filter((c) => c.group === 'schema').map((c) => c.id));
  expect(suitesOf({ checks: 'schema' })).toEqual(['schema']);
});

test('groups and check ids mix in a comma list; the plan runs their own groups and the properties', () => {
  const config = configOf({ checks: 'semantics, auth.refused-401' });
  expect(config.checks.ids).toEqual([...ALL_CHECKS.filter((c) => c.group === 'semantics').map((c) => c.id), 'auth.refused-401']);
  expect(config.checks.groups).toEqual(['semantics', 'auth']);
  expect(suitesOf({ checks: 'semantics,auth.refused-401' })).toEqual(['semantics', 'auth', 'coverage', 'properties', 'envelope']);
  // the ids group alone: its own cases, the coverage values (path ids among them) and the properties (the envelope's are updates, refusals and credentials)
  expect(suitesOf({ checks: 'ids' })).toEqual(['ids', 'coverage', 'properties']);
  // group-1 checks alone judge group 1's cases alone, like `schema`
  expect(suitesOf({ checks: 'schema.no-server-error' })).toEqual(['schema']);
});

test('--exclude-checks (or LILT_EXCLUDE_CHECKS) takes the same names away', () => {
  const config = configOf({ excludeChecks: 'auth,semantics.idempotent' });
  expect(config.checks.ids).not.toContain('semantics.idempotent');
  expect(config.checks.ids.some((id) => id.startsWith('auth.'))).toBe(false);
  expect(config.checks.ids).toHaveLength(ALL_CHECKS.length - 4);
  expect(config.checks.text).toBe('all except auth,semantics.idempotent');
  expect(suitesOf({ excludeChecks: 'auth' })).toEqual(['schema', 'semantics', 'negative', 'ids', 'coverage', 'properties', 'envelope']);
  expect(configOf({}, { LILT_EXCLUDE_CHECKS: 'ids', LILT_CHECKS: 'ids,negative' }).checks.groups).toEqual(['negative']);
});

test.each<[string, RawOptions, NodeJS.ProcessEnv, RegExp]>([
  ['an unknown name in --checks', { checks: 'schema,semantic,bogus.check' }, {}, /^--checks: unknown names 'semantic', 'bogus\.check'; known: all, schema, semantics, negative, ids, auth, schema\.status-documented, .*auth\.methods-agree$/],
  ['an unknown name in LILT_EXCLUDE_CHECKS', {}, { LILT_EXCLUDE_CHECKS: 'properties' }, /^LILT_EXCLUDE_CHECKS: unknown name 'properties'; known: all, /],
  ['a selection that excludes everything', { checks: 'auth', excludeChecks: 'auth' }, {}, /selects no check/],
  ['--max-failures 0', { maxFailures: '0' }, {}, /--max-failures must be a positive integer/],
])('%s: one line, exit 2', (_label, raw, env, message) => {
  const error = userErrorOf(() => configOf(raw, env));
  expect(error.exitCode).toBe(2);
  expect(error.message).toMatch(message);
  expect(error.message).not.toContain('\n');
});

test('a selection judges only its checks: a schema fault is not reported when group 1 is excluded', async () => {
  const provider = await startFaulty(FAULTS.stringId);
  const { apiKey, jobId } = referenceDefaults();
  try {
    const config = configOf({ target: provider.url, apiKey, jobId: String(jobId), checks: 'semantics', excludeChecks: 'semantics.idempotent' });
    const result = await runConformance({ config, apiKey, contract });
    const summary = summaryOf(result);
    expect(summary.checkSummaries.map((c) => c.id)).toEqual(config.checks.ids);
    expect(result.verdict).toEqual({ kind: 'not-conformant', failedChecks: ['semantics.id-matches-path'] });
    expect(result.cases.some((c) => c.group === 'negative' || c.group === 'schema')).toBe(false);
  } finally {
    await provider.close();
  }
});

test('--max-failures 1: no case starts after the first failing check, the job is restored, the verdict stands', async () => {
  const { apiKey, jobId } = referenceDefaults();
  // The whole run on a provider of its own: this fault keeps the names it is sent, so that run cannot put the job
  // back, and a second run on the same job would refuse to start on its test values (one run per job).
  const other = await startFaulty(FAULTS.lostNameUpdate);
  const whole = await runConformance({ config: configOf({ target: other.url, apiKey, jobId: String(jobId) }), apiKey, contract }).finally(() => other.close());
  const provider = await startFaulty(FAULTS.lostNameUpdate);
  try {
    const config = configOf({ target: provider.url, apiKey, jobId: String(jobId), maxFailures: '1' });
    const result = await runConformance({ config, apiKey, contract });
    expect(result.stoppedEarly).toEqual({ kind: 'max-failures', limit: 1, failedChecks: ['semantics.fields-round-trip'] });
    expect(result.verdict).toEqual({ kind: 'not-conformant', failedChecks: ['semantics.fields-round-trip'] });
    expect(result.targetDown).toBeUndefined();
    expect(result.restore.kind).toBe('restored');
    const ran = (r: typeof result) => r.cases.filter((c) => c.group !== 'start-up').length;
    expect(ran(result)).toBeLessThan(result.planned);
    expect(result.counters.sent).toBeLessThan(whole.counters.sent / 2);
    expect(ran(whole)).toBe(whole.planned);
  } finally {
    await provider.close();
  }
});

test('a former check id (before ids carried their group) is read as the id it became', () => {
  expect(configOf({ checks: 'job.id-matches-path,update.accepted' }).checks.ids).toEqual(['semantics.update-accepted', 'semantics.id-matches-path']);
  expect(configOf({ excludeChecks: 'response.answered' }).checks.ids).not.toContain('schema.answered');
});
