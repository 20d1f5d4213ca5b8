/**
 * The plan of a run: its groups in order, and each group's cases with what they will send. The one list the engine,
 * --dry-run, progress and the jest adapter share. A group's cases run when a selected check belongs to a group they
 * exist for (`exercises`): group 1's cases for the `schema` checks, groups 2 to 5 each for its own, the coverage and
 * properties groups (which mix every kind of input) for any check of groups 2 to 5, the request envelope group
 * (updates, refusals and bad credentials in other shapes) for any check of groups 2, 3 or 5. Skipping the others is safe: every case
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
import { coverageCases } from '../cases/coverage';
import { coveredFields, unreadFields } from '../coverage';
import type { OperationModel } from '../contract/model';
import { referenceDefaults } from './session/reference';

export type GroupId = 'schema' | 'semantics' | 'negative' | 'ids' | 'auth' | 'coverage' | 'properties' | 'envelope';

export interface GroupDef {
  readonly id: GroupId;
  /** What it covers; its title is `group <n>: <name>`, numbered in plan order. */
  readonly name: string;
  /** `group <n>: <name>`, as progress, --dry-run, reports and the jest adapter show it. */
  readonly title: string;
  /** The check groups its cases are there for: it runs when a selected check belongs to one of them. */
  readonly exercises: readonly CheckGroup[];
  cases(facts: ConformanceFacts, ids: PlanIds): readonly CaseDef[];
}

/** The ids the plan's cases are built for (the coverage group spells the run's job id). */
export interface PlanIds {
  readonly jobId: number;
  readonly missingJobId: number;
}

const GROUP_DEFS: ReadonlyArray<Omit<GroupDef, 'title'>> = [
  { id: 'schema', name: 'response conformance', exercises: ['schema'], cases: () => SCHEMA_CASES },
  { id: 'semantics', name: 'semantics', exercises: ['semantics'], cases: () => SEMANTIC_CASES },
  { id: 'negative', name: 'negative data', exercises: ['negative'], cases: () => NEGATIVE_CASES },
  { id: 'ids', name: 'ids', exercises: ['ids'], cases: () => ID_CASES },
  { id: 'auth', name: 'auth', exercises: ['auth'], cases: () => AUTH_CASES },
  {
    id: 'coverage',
    name: 'coverage (curated values and request combinations)',
    exercises: ['semantics', 'negative', 'ids', 'auth'],
    cases: (facts, ids) => coverageCases(facts, { existing: ids.jobId, missing: ids.missingJobId }),
  },
  {
    id: 'properties',
    name: 'properties (fast-check)',
    exercises: ['semantics', 'negative', 'ids', 'auth'],
    cases: (facts) => propertyCases(Object.keys(facts.requestFields), coveredFields(facts.model)),
  },
  {
    id: 'envelope',
    name: 'the request envelope',
    exercises: ['semantics', 'negative', 'auth'],
    cases: () => ENVELOPE_CASES,
  },
];

export const GROUPS: readonly GroupDef[] = GROUP_DEFS.map((group, index) => ({ ...group, title: `group ${index + 1}: ${group.name}` }));

/** The groups a check selection runs (`schema`, or group-1 checks alone: group 1 alone). */
export function groupsFor(checks: Pick<CheckSelection, 'groups'>): readonly GroupDef[] {
  return GROUPS.filter((suite) => suite.exercises.some((group) => checks.groups.includes(group)));
}

export interface PlannedCase {
  readonly group: GroupId;
  readonly def: CaseDef;
  /** Requests it sends, about. */
  readonly requests: number;
  /** Up to this many more, by the sides of open choices the provider takes. */
  readonly openReads: number;
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
  let index = 0;
  const keep = (def: CaseDef, group: GroupId): boolean => {
    if (config.replay !== undefined) return group === 'properties' && propertyId(def) === config.replay.property;
    const mine = config.shard === undefined || index % config.shard.count === config.shard.index - 1;
    index += 1;
    return mine;
  };
  const reference = referenceDefaults();
  const ids: PlanIds = { jobId: config.jobId ?? reference.jobId, missingJobId: config.missingJobId ?? reference.missingJobId };
  return groupsFor(config.checks)
    .map((group) => ({
      id: group.id,
      title: group.title,
      cases: group
        .cases(facts, ids)
        .filter((def) => keep(def, group.id))
        .filter((def) => !unwritable.includes(propertyId(def) ?? ''))
        .map((def) => ({ group: group.id, def, requests: def.estimate(facts, { config, otherJobIds }), openReads: def.openReads ?? 0 })),
    }))
    .filter((group) => group.cases.length > 0);
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
  // With a plan, the run's marker (src/run/marker.ts): once before the first case and after each group, and a
  // read before the restore that the job still shows it (when the job has a name to carry it).
  const marker = suites > 0 ? suites + 2 : 0;
  return 3 + 2 * otherJobIds.length + marker + (suites > 0 ? 2 * lanes : 0);
}

/**
 * What the run does with the document's unclear fields, as lines for the plan and the run's log: each field that
 * contradicts itself and how the run treats it (or, when the run does not send it, why). Empty for a document with
 * none.
 */
export function documentNotes(model: OperationModel): string[] {
  const withheld = new Map(unreadFields(model).withheld.map(({ field, reason }) => [field.name, reason]));
  return model.contradictions.map(({ where, field }) => {
    const what = field.contradiction?.contradictions.map((c) => c.message).join('; ') ?? '';
    const reason = where === 'request' ? withheld.get(field.name) : undefined;
    const treatment = reason === undefined ? (field.contradiction?.treatment.text ?? '') : `it is not sent: ${reason}`;
    return `${where === 'request' ? 'request field' : 'Job property'} ${field.name} contradicts itself (${what}): ${treatment}`;
  });
}
