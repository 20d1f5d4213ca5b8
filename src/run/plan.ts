/**
 * The plan of a run: its groups in order, and each group's cases with what they will send. The one list the engine,
 * --dry-run, progress and the jest adapter share. A group's cases run when a selected check belongs to a group they
 * exist for (`exercises`): group 1's cases for the `schema` checks, groups 2 to 5 each for its own, group 6 (the
 * properties, which mix every kind of input) for any check of groups 2 to 5, group 7 (the request envelope: updates,
 * refusals and bad credentials in other shapes) for any check of groups 2, 3 or 5. Skipping the others is safe: every case
 * reads the job before it relies on its state, and a selected check's own group always runs. Group 1's checks judge
 * every response of whichever groups run, so selecting group-1 checks alone runs group 1's cases alone, as
 * `--checks schema` always has. A shard (`--shard i/n`) keeps every n-th case of the whole plan,
 * so that the shards together run exactly the unsharded plan; a replay (LILT_REPLAY_PATH) keeps its one property.
 */
import type { RunConfig } from '../config/run-config';
import type { CheckSelection } from '../checks/selection';
import type { CheckGroup } from '../checks/types';
import type { ConformanceFacts } from '../checks/facts';
import type { CaseDef } from '../case/case';
import { AUTH_CASES } from '../cases/auth';
import { ENVELOPE_CASES } from '../cases/envelope';
import { ID_CASES } from '../cases/ids';
import { NEGATIVE_CASES } from '../cases/negative';
import { propertyId, propertyCases } from '../cases/properties';
import { SCHEMA_CASES } from '../cases/schema';
import { SEMANTIC_CASES } from '../cases/semantics';

export type GroupId = 'schema' | 'semantics' | 'negative' | 'ids' | 'auth' | 'properties' | 'envelope';

export interface GroupDef {
  readonly id: GroupId;
  /** The group it covers. */
  readonly title: string;
  /** The check groups its cases are there for: it runs when a selected check belongs to one of them. */
  readonly exercises: readonly CheckGroup[];
  cases(requestFields: readonly string[]): readonly CaseDef[];
}

export const GROUPS: readonly GroupDef[] = [
  { id: 'schema', title: 'group 1: response conformance', exercises: ['schema'], cases: () => SCHEMA_CASES },
  { id: 'semantics', title: 'group 2: semantics', exercises: ['semantics'], cases: () => SEMANTIC_CASES },
  { id: 'negative', title: 'group 3: negative data', exercises: ['negative'], cases: () => NEGATIVE_CASES },
  { id: 'ids', title: 'group 4: ids', exercises: ['ids'], cases: () => ID_CASES },
  { id: 'auth', title: 'group 5: auth', exercises: ['auth'], cases: () => AUTH_CASES },
  {
    id: 'properties',
    title: 'group 6: properties (fast-check)',
    exercises: ['semantics', 'negative', 'ids', 'auth'],
    cases: (fields) => propertyCases(fields),
  },
  {
    id: 'envelope',
    title: 'group 7: the request envelope',
    exercises: ['semantics', 'negative', 'auth'],
    cases: () => ENVELOPE_CASES,
  },
];

/** The groups a check selection runs (`schema`, or group-1 checks alone: group 1 alone). */
export function groupsFor(checks: Pick<CheckSelection, 'groups'>): readonly GroupDef[] {
  return GROUPS.filter((suite) => suite.exercises.some((group) => checks.groups.includes(group)));
}

export interface PlannedCase {
  readonly group: GroupId;
  readonly def: CaseDef;
  /** Requests it sends, about. */
  readonly requests: number;
}

export interface PlannedGroup {
  readonly id: GroupId;
  readonly title: string;
  readonly cases: readonly PlannedCase[];
}

/**
 * `otherJobIds`: the jobs read besides the run's own (the fixture jobs for the reference provider). `unwritable`:
 * updatable fields the job does not have (the API cannot unset one); their properties are left out (every example
 * would be withheld). Sharding counts the whole plan, so the shards of one job stay complementary.
 */
export function planOf(config: RunConfig, facts: ConformanceFacts, otherJobIds: readonly number[], unwritable: readonly string[] = []): PlannedGroup[] {
  const fields = Object.keys(facts.requestFields);
  let index = 0;
  const keep = (def: CaseDef, suite: GroupId): boolean => {
    if (config.replay !== undefined) return suite === 'properties' && propertyId(def) === config.replay.property;
    const mine = config.shard === undefined || index % config.shard.count === config.shard.index - 1;
    index += 1;
    return mine;
  };
  return groupsFor(config.checks)
    .map((suite) => ({
      id: suite.id,
      title: suite.title,
      cases: suite
        .cases(fields)
        .filter((def) => keep(def, suite.id))
        .filter((def) => !unwritable.includes(propertyId(def) ?? ''))
        .map((def) => ({ group: suite.id, def, requests: def.estimate(facts, { config, otherJobIds }) })),
    }))
    .filter((suite) => suite.cases.length > 0);
}

export function caseCount(plan: readonly PlannedGroup[]): number {
  return plan.reduce((n, suite) => n + suite.cases.length, 0);
}

export function requestEstimate(plan: readonly PlannedGroup[]): number {
  return plan.reduce((sum, suite) => sum + suite.cases.reduce((s, c) => s + c.requests, 0), 0);
}

/**
 * Requests outside the plan's cases when the target answers: the first read of the job and of each other job, the
 * run's marker on the job (`suites`: the plan's groups), and the restore's write and read-back with a read of each
 * other job, and a write and read-back of each other job that was a lane (`lanes`: written by the run, lanes.ts; more
 * only when one has to be put back, or a blip is retried). Not counted: the probe sections' read-backs (one a round,
 * as many rounds as the timing makes).
 */
export function startAndRestoreRequests(otherJobIds: readonly number[], suites = 0, lanes = 0): number {
  // With a plan, the run's marker (src/engine/job-marker.ts): once before the first case and after each group, and a
  // read before the restore that the job still shows it (when the job has a name to carry it).
  const marker = suites > 0 ? suites + 2 : 0;
  return 3 + 2 * otherJobIds.length + marker + (suites > 0 ? 2 * lanes : 0);
}
