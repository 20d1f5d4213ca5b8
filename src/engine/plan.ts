/**
 * The plan of a run: its groups in order, and each group's cases with what they will send. The one list the engine,
 * --dry-run, progress and the jest adapter share. A shard (`--shard i/n`) keeps every n-th case of the whole plan,
 * so that the shards together run exactly the unsharded plan; a replay (LILT_REPLAY_PATH) keeps its one property.
 */
import type { RunConfig } from '../config/run-config';
import type { ConformanceFacts } from '../conformance/facts';
import type { ScenarioDef } from '../conformance/harness';
import { AUTH_SCENARIOS } from '../conformance/scenarios/auth';
import { ENVELOPE_SCENARIOS } from '../conformance/scenarios/envelope';
import { ID_SCENARIOS } from '../conformance/scenarios/ids';
import { NEGATIVE_SCENARIOS } from '../conformance/scenarios/negative';
import { propertyId, propertyScenarios } from '../conformance/scenarios/properties';
import { SCHEMA_SCENARIOS } from '../conformance/scenarios/schema';
import { SEMANTIC_SCENARIOS } from '../conformance/scenarios/semantics';

export type SuiteId = 'schema' | 'semantics' | 'negative' | 'ids' | 'auth' | 'properties' | 'envelope';

export interface SuiteDef {
  readonly id: SuiteId;
  /** The group it covers. */
  readonly title: string;
  scenarios(requestFields: readonly string[]): readonly ScenarioDef[];
}

export const SUITES: readonly SuiteDef[] = [
  { id: 'schema', title: 'group 1: response conformance', scenarios: () => SCHEMA_SCENARIOS },
  { id: 'semantics', title: 'group 2: semantics', scenarios: () => SEMANTIC_SCENARIOS },
  { id: 'negative', title: 'group 3: negative data', scenarios: () => NEGATIVE_SCENARIOS },
  { id: 'ids', title: 'group 4: ids', scenarios: () => ID_SCENARIOS },
  { id: 'auth', title: 'group 5: auth', scenarios: () => AUTH_SCENARIOS },
  { id: 'properties', title: 'group 6: properties (fast-check)', scenarios: (fields) => propertyScenarios(fields) },
  { id: 'envelope', title: 'group 7: the request envelope', scenarios: () => ENVELOPE_SCENARIOS },
];

/** The groups a check selection runs (`schema`: group 1 alone). */
export function suitesFor(checks: RunConfig['checks']): readonly SuiteDef[] {
  return checks === 'schema' ? SUITES.filter((suite) => suite.id === 'schema') : SUITES;
}

export interface PlannedCase {
  readonly suite: SuiteId;
  readonly def: ScenarioDef;
  /** Requests it sends, about. */
  readonly requests: number;
}

export interface PlannedSuite {
  readonly id: SuiteId;
  readonly title: string;
  readonly cases: readonly PlannedCase[];
}

/** `otherJobIds`: the jobs read besides the run's own (the fixture jobs for the reference provider). */
export function planOf(config: RunConfig, facts: ConformanceFacts, otherJobIds: readonly number[]): PlannedSuite[] {
  const fields = Object.keys(facts.requestFields);
  let index = 0;
  const keep = (def: ScenarioDef, suite: SuiteId): boolean => {
    if (config.replay !== undefined) return suite === 'properties' && propertyId(def) === config.replay.property;
    const mine = config.shard === undefined || index % config.shard.count === config.shard.index - 1;
    index += 1;
    return mine;
  };
  return suitesFor(config.checks)
    .map((suite) => ({
      id: suite.id,
      title: suite.title,
      cases: suite
        .scenarios(fields)
        .filter((def) => keep(def, suite.id))
        .map((def) => ({ suite: suite.id, def, requests: def.estimate(facts, { config, otherJobIds }) })),
    }))
    .filter((suite) => suite.cases.length > 0);
}

export function caseCount(plan: readonly PlannedSuite[]): number {
  return plan.reduce((n, suite) => n + suite.cases.length, 0);
}

export function requestEstimate(plan: readonly PlannedSuite[]): number {
  return plan.reduce((sum, suite) => sum + suite.cases.reduce((s, c) => s + c.requests, 0), 0);
}

/**
 * Requests outside the plan's cases when the target answers: the first read of the job and of each other job, and
 * the restore's write and read-back with a read of each other job (more only when one has to be put back).
 */
export function startAndRestoreRequests(otherJobIds: readonly number[]): number {
  return 3 + 2 * otherJobIds.length;
}
