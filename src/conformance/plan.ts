/**
 * The suites of a run, in order, and what each will send: the one list the jest suite files, --dry-run and the
 * progress total share.
 */
import type { RunConfig } from '../config/run-config';
import type { ConformanceFacts } from './facts';
import type { ScenarioDef } from './harness';
import { AUTH_SCENARIOS } from './scenarios/auth';
import { ID_SCENARIOS } from './scenarios/ids';
import { NEGATIVE_SCENARIOS } from './scenarios/negative';
import { propertyScenarios } from './scenarios/properties';
import { SCHEMA_SCENARIOS } from './scenarios/schema';
import { SEMANTIC_SCENARIOS } from './scenarios/semantics';

export type SuiteId = 'schema' | 'semantics' | 'negative' | 'ids' | 'auth' | 'properties';

export interface SuiteDef {
  readonly id: SuiteId;
  /** The groups of the issue it covers. */
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
];

export function suitesFor(config: Pick<RunConfig, 'checks'>): readonly SuiteDef[] {
  return config.checks === 'schema' ? SUITES.filter((suite) => suite.id === 'schema') : SUITES;
}

export interface PlannedSuite {
  readonly id: SuiteId;
  readonly title: string;
  readonly cases: ReadonlyArray<{ readonly name: string; readonly requests: number }>;
}

export function planOf(config: RunConfig, facts: ConformanceFacts): PlannedSuite[] {
  const fields = Object.keys(facts.requestFields);
  return suitesFor(config).map((suite) => ({
    id: suite.id,
    title: suite.title,
    cases: suite.scenarios(fields).map((def) => ({ name: def.name, requests: def.estimate(facts, { config }) })),
  }));
}

/** Suite files are numbered in the groups' order, which the test sequencer follows. */
export function suiteFile(id: SuiteId): string {
  return `${SUITES.findIndex((suite) => suite.id === id) + 1}-${id}.conformance.ts`;
}
