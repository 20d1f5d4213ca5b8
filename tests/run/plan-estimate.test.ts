/**
 * The plan --dry-run prints is what the run then does: the same cases, and about the requests it said. The case count
 * is exact; the request estimate is held to stated tolerances (a case after one that left the job's state unknown
 * sends one read more; a property's count depends on the examples its seed draws). A replay (LILT_REPLAY_PATH) plans
 * its one property and nothing of groups 1-5.
 */
import { resolveRunConfig, type RawOptions, type RunConfig } from '../../src/config/run-config';
import { loadContract, type Contract } from '../../src/contract/load';
import { conformanceFacts, type ConformanceFacts } from '../../src/checks/facts';
import { START_UP_GROUP } from '../../src/run/session/session';
import { caseCount, planOf, requestEstimate, startAndRestoreRequests } from '../../src/run/plan';
import { referenceDefaults } from '../../src/run/session/reference';
import { runConformance, SECTIONS_CASE, type RunResult } from '../../src/run/run';
import { summaryOf } from '../../src/reports/summary';
import { createValidators } from '../../src/validation/validators';

/** The whole run's requests (without the first read and the restore) against the plan's estimate: at most 5 % apart. */
const TOTAL_TOLERANCE = 0.05;
/**
 * A case other than a property: at most one request apart (a read the case before made necessary), or above by at
 * most its stated open reads (a read-back after each open input the provider refuses).
 */
const CASE_TOLERANCE = 1;
/** A property case: at most 15 % apart (its examples are drawn by the seed). */
const PROPERTY_TOLERANCE = 0.15;

let contract: Contract;
let facts: ConformanceFacts;
beforeAll(async () => {
  contract = await loadContract();
  facts = conformanceFacts(createValidators(contract));
});
jest.setTimeout(90_000);

function configOf(raw: RawOptions, env: NodeJS.ProcessEnv = {}) {
  return resolveRunConfig(raw, env, contract).config;
}

/** The plan as --dry-run prints it for the reference provider (its other fixture jobs are read, not written). */
const dryRunPlan = (config: RunConfig) => planOf(config, facts, referenceDefaults().jobIds.slice(1));

describe.each(['1', '2'])('a default run (50 runs per property), seed %s, against the reference provider', (seed) => {
  const config = () => configOf({ seed });
  let result: RunResult;
  beforeAll(async () => {
    result = await runConformance({ config: config(), contract });
  });

  test('runs exactly the cases the plan counts, and the summary counts the same', () => {
    const plan = dryRunPlan(config());
    const ran = result.cases.filter((c) => c.group !== START_UP_GROUP);
    expect(ran.map((c) => c.case).sort()).toEqual(plan.flatMap((s) => s.cases.map((c) => c.def.name)).sort());
    expect(result.planned).toBe(caseCount(plan));
    expect(summaryOf(result).cases.total).toBe(caseCount(plan));
  });

  test(`sends the estimated requests, within ${TOTAL_TOLERANCE * 100} % in all and per case as stated`, () => {
    const plan = dryRunPlan(config());
    const estimate = requestEstimate(plan);
    // The probe sections' read-backs (one a round: as many rounds as the timing makes) are counted apart.
    const sectionReads = result.cases.find((c) => c.case === SECTIONS_CASE)?.requests ?? 0;
    const startUp = result.cases.filter((c) => c.group === START_UP_GROUP).reduce((n, c) => n + c.requests, 0) - sectionReads;
    const sent = result.counters.sent - startUp - sectionReads;
    expect(result.cases.reduce((n, c) => n + c.requests, 0)).toBe(result.counters.sent);
    // Job 242 has every field: a lane of its own, written and put back; 243 has no due: only read.
    expect(startUp).toBe(startAndRestoreRequests(referenceDefaults().jobIds.slice(1), plan.length, 1));
    // Far fewer than one a refusal (the probes of groups 1-5 and the envelope group and of the properties: some 400 requests).
    expect(sectionReads).toBeGreaterThan(0);
    expect(sectionReads).toBeLessThan(40);
    expect(Math.abs(sent - estimate) / estimate).toBeLessThanOrEqual(TOTAL_TOLERANCE);

    const estimates = new Map(plan.flatMap((s) => s.cases.map((c) => [c.def.name, c] as const)));
    const off = result.cases
      .filter((c) => c.group !== START_UP_GROUP)
      .flatMap((c) => {
        const planned = estimates.get(c.case);
        const wanted = planned?.requests ?? Number.NaN;
        const openReads = planned?.openReads ?? 0;
        const ok =
          c.group === 'properties'
            ? Math.abs(c.requests - wanted) / wanted <= PROPERTY_TOLERANCE
            : c.requests >= wanted - CASE_TOLERANCE && c.requests <= wanted + openReads + CASE_TOLERANCE;
        return ok ? [] : [`${c.case}: estimated ${wanted}, sent ${c.requests}`];
      });
    expect(off).toEqual([]);
  });
});

test('a replay plans its one property and nothing of groups 1-5', () => {
  const config = configOf({ seed: '7' }, { LILT_REPLAY_PATH: 'due=3:1' });
  const plan = dryRunPlan(config);
  expect(plan.map((s) => s.id)).toEqual(['properties']);
  expect(plan[0]?.cases.map((c) => c.def.name)).toEqual([expect.stringMatching(/^property due: /)]);
});

test('a replay run sends only that property (and the first read, the run\'s marker and the restore)', async () => {
  const config = configOf({ seed: '7', runs: '10' }, { LILT_REPLAY_PATH: 'isProcessing=3' });
  const result = await runConformance({ config, contract });
  expect(result.cases.map((c) => c.group)).toEqual([START_UP_GROUP, 'properties', START_UP_GROUP, START_UP_GROUP]);
  expect(result.cases[1]?.case).toMatch(/^property isProcessing: /);
  expect(result.verdict).toEqual({ kind: 'conformant' });
});
