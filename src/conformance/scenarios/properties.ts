/**
 * Group 6, properties: fast-check arbitraries derived from the contract (src/arbitraries/), mixed valid, invalid and
 * open inputs, each judged by the oracle of groups 1-5 through its expectation. A failing example is shrunk to the
 * minimal counterexample; its findings carry the seed and path that replay it (`--seed`, and LILT_REPLAY_PATH for
 * the exact path). Only the counterexample's findings are reported, not every failing shrink step.
 */
import fc from 'fast-check';
import { buildArbitraries, type AuthCase, type BodyCase, type ContractArbitraries, type FieldCase, type IdCase } from '../../arbitraries';
import type { Contract } from '../../contract/load';
import type { AuthSpec } from '../../http/request';
import { REPLAY_ENV } from '../../config/run-config';
import type { Expectation } from '../checks/types';
import { RequestWithheld, ScenarioAborted, type Scenario, type ScenarioDef } from '../harness';
import type { Evaluation } from '../oracle';
import { expectedJobValue, type ConformanceFacts } from '../facts';
import { put, putJson } from './common';

const built = new WeakMap<Contract, ContractArbitraries>();
function arbitraries(contract: Contract): ContractArbitraries {
  let found = built.get(contract);
  if (!found) {
    found = buildArbitraries(contract);
    built.set(contract, found);
  }
  return found;
}

interface PropertySpec<T> {
  /** Short id, used by LILT_REPLAY_PATH. */
  readonly id: string;
  readonly title: string;
  /**
   * Requests per example, on average over the examples the arbitrary draws: 1 for an accepted update (its Job is the
   * new state), 2 for a refusal (read back after it) or an open answer (read before the next example). Measured over
   * seeds 1-6 at 100 runs; tests/engine/plan-estimate.test.ts holds a run to it.
   */
  readonly perExample: number;
  arbitrary(s: Scenario, all: ContractArbitraries): fc.Arbitrary<T>;
  example(s: Scenario, value: T): Promise<void>;
}

function replayCommand(s: Scenario, id: string, path: string): string {
  const target = s.run.config.target.kind === 'url' ? ` --target ${s.run.config.target.url} --job-id ${s.run.jobId}` : '';
  return `${REPLAY_ENV}=${id}=${path} npx lilt-conformance${target} --seed ${s.run.config.seed} --runs ${s.run.config.runs}`;
}

const PROPERTY_PREFIX = 'property ';

/** The property id of a property case (what LILT_REPLAY_PATH names), undefined for other cases. */
export function propertyId(def: Pick<ScenarioDef, 'name'>): string | undefined {
  if (!def.name.startsWith(PROPERTY_PREFIX)) return undefined;
  return def.name.slice(PROPERTY_PREFIX.length).split(':')[0];
}

function property<T>(spec: PropertySpec<T>): ScenarioDef {
  return {
    name: `${PROPERTY_PREFIX}${spec.id}: ${spec.title}`,
    estimate: (_facts, run) => Math.ceil(run.config.runs * spec.perExample),
    run: async (s) => {
      const { config } = s.run;
      let failure: { evaluations: Evaluation[] } | undefined;
      let aborted: ScenarioAborted | undefined;
      const predicate = fc.asyncProperty(spec.arbitrary(s, arbitraries(s.facts.contract)), async (value) => {
        if (aborted) return true; // the target is gone: stop spending requests; the case reports the abort
        let evaluations: Evaluation[];
        try {
          evaluations = await s.capture(() => spec.example(s, value));
        } catch (error) {
          if (error instanceof ScenarioAborted) {
            aborted = error;
            return true;
          }
          // It names a field the job does not have: not sent, so nothing to judge (the example does not count).
          if (error instanceof RequestWithheld) return true;
          throw error;
        }
        if (evaluations.some((e) => e.findings.length > 0)) {
          failure = { evaluations };
          return false;
        }
        for (const evaluation of evaluations) s.record(evaluation);
        return true;
      });
      const details = await fc.check(predicate, {
        seed: config.seed,
        numRuns: config.runs,
        ...(config.replay ? { path: config.replay.path, endOnFailure: true } : {}),
      });
      if (aborted) throw aborted;
      if (details.failed && failure) {
        const path = details.counterexamplePath ?? '';
        const replay = {
          property: spec.id,
          seed: details.seed,
          path,
          counterexample: fc.stringify(details.counterexample?.[0]),
          command: replayCommand(s, spec.id, path),
        };
        for (const evaluation of failure.evaluations) s.record(evaluation, replay);
      } else if (details.failed && details.errorInstance) {
        throw details.errorInstance;
      }
    },
  };
}

/**
 * What the run expects of one generated value of a field: a refusal, an open value (if accepted, the field is not
 * judged but nothing else may change), or a valid update showing the value as the Job holds it. Pure: the oracle's
 * consistency test (tests/proof/oracle-consistency.test.ts) uses this very function.
 */
export function fieldCaseExpectation(facts: ConformanceFacts, jobId: number, field: string, c: FieldCase<unknown>): Expectation {
  if (c.expectation === 'reject') return { kind: 'reject' };
  if (c.expectation === 'open') return { kind: 'observe', ifAccepted: { jobId, changes: {}, unjudged: [field] } };
  const changes = facts.updatableFields.includes(field) ? { [field]: expectedJobValue(facts, field, c.value) } : {};
  return { kind: 'update', jobId, changes };
}

function fieldExpectation(s: Scenario, field: string, c: FieldCase<unknown>): Expectation {
  return fieldCaseExpectation(s.facts, s.run.jobId, field, c);
}

function fieldProperty(field: string): PropertySpec<FieldCase<unknown>> {
  return {
    id: field,
    title: `${field} values (valid, invalid and open) meet the contract`,
    perExample: 1.4,
    arbitrary: (_s, all) => all.fields[field] ?? fc.constant({ value: null, expectation: 'reject', label: 'no such field' }),
    example: async (s, c) => {
      await s.send(putJson(s, { [field]: c.value }), { expect: fieldExpectation(s, field, c) });
    },
  };
}

function bodyExpectation(s: Scenario, c: BodyCase): Expectation {
  const changes = Object.fromEntries(Object.entries(c.expectedChanges).filter(([, v]) => v !== undefined));
  if (c.expectation === 'reject') return { kind: 'reject' };
  if (c.expectation === 'open') {
    // If accepted, the accepted fields round-trip, the open ones are not judged, and the rest stay as they were.
    return { kind: 'observe', ifAccepted: { jobId: s.run.jobId, changes, unjudged: c.unjudgedFields } };
  }
  return { kind: 'update', jobId: s.run.jobId, changes };
}

function authSpecOf(c: AuthCase): AuthSpec {
  switch (c.kind) {
    case 'basic':
      return { kind: 'basic' };
    case 'query':
      return { kind: 'query' };
    case 'none':
      return { kind: 'none' };
    case 'wrong-basic':
      return c.wrongKey === undefined ? { kind: 'wrong-basic' } : { kind: 'wrong-basic', key: c.wrongKey };
    case 'wrong-query':
      return c.wrongKey === undefined ? { kind: 'wrong-query' } : { kind: 'wrong-query', key: c.wrongKey };
    case 'malformed-header':
      return { kind: 'raw-header', header: c.header ?? '' };
  }
}

function idExpectation(s: Scenario, c: IdCase): Expectation {
  switch (c.expectation) {
    case 'existing':
      return { kind: 'update', jobId: s.run.jobId, changes: {} };
    case 'missing':
      return { kind: 'not-found' };
    case 'invalid':
      return { kind: 'invalid-id' };
    case 'open':
      return { kind: 'observe' };
  }
}

export function propertyScenarios(fieldNames: readonly string[]): ScenarioDef[] {
  return [
    ...fieldNames.map((field) => property(fieldProperty(field))),
    property<{ key: string; value: unknown }>({
      id: 'read-only',
      title: 'read-only and unknown fields change nothing',
      perExample: 1,
      arbitrary: (_s, all) => all.readOnlyField,
      example: async (s, extra) => {
        await s.send(putJson(s, { [extra.key]: extra.value }), {
          expect: { kind: 'update', jobId: s.run.jobId, changes: {}, readOnlySent: { [extra.key]: extra.value } },
        });
      },
    }),
    property<BodyCase>({
      id: 'body',
      title: 'whole bodies (mixed fields, malformed and non-object JSON, empty, absent) meet the contract',
      perExample: 1.6,
      arbitrary: (_s, all) => all.body,
      example: async (s, c) => {
        await s.send(put(s, c.text), { expect: bodyExpectation(s, c) });
      },
    }),
    property<IdCase>({
      id: 'job-id',
      title: 'path ids (existing, missing, invalid, near 2^31, 2^53, 2^63) meet the contract',
      perExample: 1.05,
      arbitrary: (s, all) => all.jobId({ existing: s.run.jobId, missing: s.run.missingJobId }),
      example: async (s, c) => {
        await s.send(putJson(s, {}, s.auth, c.segment), { expect: idExpectation(s, c) });
      },
    }),
    property<AuthCase>({
      id: 'auth',
      title: 'credentials (valid both ways, none, wrong, malformed) meet the contract',
      perExample: 1.7,
      arbitrary: (_s, all) => all.auth,
      example: async (s, c) => {
        const auth = authSpecOf(c);
        if (c.expectation === 'authorized') {
          await s.send(putJson(s, {}, auth), { expect: { kind: 'update', jobId: s.run.jobId, changes: {} } });
        } else {
          await s.send(putJson(s, { name: 'lilt-conformance must not stick' }, auth), { expect: { kind: 'unauthorized' } });
        }
      },
    }),
  ];
}
