/**
 * The properties group: fast-check arbitraries derived from the contract (src/arbitraries/), mixed valid, invalid and
 * open inputs, each judged by the oracle of the check groups through its expectation. A field the coverage group
 * already covers with curated values (a stored string, date-time or enum of integers) draws a share of `--runs`
 * (COVERED_SHARE), the others all of them. A failing example is shrunk to the
 * minimal counterexample; its findings carry the seed and path that replay it (`--seed`, and LILT_REPLAY_PATH for
 * the exact path). Only the counterexample's findings are reported, not every failing shrink step.
 */
import fc from 'fast-check';
import { buildArbitraries, type AuthCase, type BodyCase, type ContractArbitraries, type FieldCase, type IdCase } from '../arbitraries';
import type { Contract } from '../contract/load';
import type { RuleId } from '../contract/rules';
import type { AuthSpec } from '../http/request';
import { REPLAY_ENV } from '../config/run-config';
import type { Expectation } from '../checks/types';
import type { Case, CaseDef } from '../case/case';
import type { Lane } from '../case/context';
import { CaseAborted, RequestWithheld } from '../case/errors';
import type { Evaluation } from '../case/judge';
import { expectedJobValue, type ConformanceFacts } from '../checks/facts';
import { jsonRequest, request, textBody } from './common';

/** The share of `--runs` a property draws when the coverage group covers its field (at least one example). */
export const COVERED_SHARE = 0.6;

/** The examples a property draws at `runs`. */
function examplesOf(spec: Pick<PropertySpec<unknown>, 'covered'>, runs: number): number {
  return spec.covered === true ? Math.max(1, Math.round(runs * COVERED_SHARE)) : runs;
}

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
   * seeds 1-6 at 100 runs (the estimate does not depend on the count); tests/run/plan-estimate.test.ts holds a run to it.
   */
  readonly perExample: number;
  /** Whether the coverage group covers what it draws (then it draws COVERED_SHARE of the runs). */
  readonly covered?: boolean;
  arbitrary(s: Case, all: ContractArbitraries): fc.Arbitrary<T>;
  example(s: Case, value: T): Promise<void>;
  /**
   * True when the example must leave the job as it is (a refusal, a read, another id): its oracle does not depend on
   * the other examples, so it runs concurrently with them in a probe section. The others (updates, open inputs that
   * may be accepted) run one after another, in their order.
   */
  probe(value: T): boolean;
}

/** What one example came to: its evaluations (recorded if the property passes), or the abort that cut it short. */
type Outcome =
  | { readonly kind: 'judged'; readonly evaluations: Evaluation[] }
  | { readonly kind: 'aborted'; readonly error: CaseAborted }
  /** It names a field the job does not have: not sent (RequestWithheld). */
  | { readonly kind: 'withheld' };

async function outcomeOf<T>(spec: PropertySpec<T>, s: Case, value: T): Promise<Outcome> {
  try {
    return { kind: 'judged', evaluations: await s.capture(() => spec.example(s, value)) };
  } catch (error) {
    if (error instanceof CaseAborted) return { kind: 'aborted', error };
    if (error instanceof RequestWithheld) return { kind: 'withheld' };
    throw error;
  }
}

/**
 * Whether an example failed: a finding that fails something. An advisory fails nothing; a change of a property that
 * may be a live job's own movement is recorded and settled at the run's end (live.ts), not shrunk.
 */
const failed = (c: Case, outcome: Outcome | undefined): boolean =>
  outcome !== undefined &&
  outcome.kind === 'judged' &&
  outcome.evaluations.some((e) => e.findings.some((f) => f.advisory === undefined && !c.services.live.maybeLive(f)));

interface Ahead {
  /** Each example's outcome by its index (undefined: not run, fast-check stops before it). */
  readonly outcomes: Array<Outcome | undefined>;
  /** The values as fast-check prints them (a value drawn differently is run again, live). */
  readonly texts: readonly string[];
  /** The lane (job) each example ran on. */
  readonly lanes: Array<Lane | undefined>;
}

/**
 * Runs the examples fast-check will draw (the same values, in the same order, for this seed and number of runs)
 * before it draws them, as the run's scheduler places them: the probes side by side in a probe section of the first
 * lane, the others (they write) over the lanes, each taking the next in order when it has its job to itself, up to
 * the first that fails (fast-check consumes no example after it).
 */
async function runAhead<T>(spec: PropertySpec<T>, c: Case, arbitrary: fc.Arbitrary<T>): Promise<Ahead> {
  const { config } = c;
  const values: T[] = [];
  fc.check(
    fc.property(arbitrary, (value) => {
      values.push(value);
      return true;
    }),
    { seed: config.seed, numRuns: examplesOf(spec, config.runs) },
  );
  const outcomes: Array<Outcome | undefined> = new Array<Outcome | undefined>(values.length);
  const lanes: Array<Lane | undefined> = new Array<Lane | undefined>(values.length);
  let first = -1;
  await c.services.scheduler.examples(values.length, {
    owner: c,
    probe: (i) => spec.probe(values[i] as T),
    more: (i) => first < 0 || i < first,
    run: async (i, lane, section) => {
      lanes[i] = lane;
      const outcome = await outcomeOf(spec, c.fork(section, lane), values[i] as T);
      outcomes[i] = outcome;
      if ((failed(c, outcome) || outcome.kind === 'aborted') && (first < 0 || i < first)) first = i;
    },
  });
  return { outcomes, texts: values.map((value) => fc.stringify(value)), lanes };
}

/** `jobId`: the job the failing example ran on (a replay runs on it alone). */
function replayCommand(s: Case, jobId: number, id: string, path: string): string {
  const target = s.config.target.kind === 'url' ? ` --target ${s.config.target.url} --job-id ${jobId}` : '';
  return `${REPLAY_ENV}=${id}=${path} npx lilt-conformance${target} --seed ${s.config.seed} --runs ${s.config.runs}`;
}

const PROPERTY_PREFIX = 'property ';

/** The property id of a property case (what LILT_REPLAY_PATH names), undefined for other cases. */
export function propertyId(def: Pick<CaseDef, 'name'>): string | undefined {
  if (!def.name.startsWith(PROPERTY_PREFIX)) return undefined;
  return def.name.slice(PROPERTY_PREFIX.length).split(':')[0];
}

function property<T>(spec: PropertySpec<T>): CaseDef {
  return {
    name: `${PROPERTY_PREFIX}${spec.id}: ${spec.title}`,
    estimate: (_facts, run) => Math.ceil(examplesOf(spec, run.config.runs) * spec.perExample),
    allLanes: true,
    run: async (c) => {
      const { config } = c;
      let failure: { evaluations: Evaluation[] } | undefined;
      let aborted: CaseAborted | undefined;
      const arbitrary = spec.arbitrary(c, arbitraries(c.facts.contract));
      // A replay follows its path alone, one example at a time; a run draws its examples ahead, concurrently.
      const ahead = config.replay ? undefined : await runAhead(spec, c, arbitrary);
      let calls = 0;
      let shrinking = false;
      // Shrinking runs live on the lane (job) the failing example ran on.
      let lane = c.lane;
      const predicate = fc.asyncProperty(arbitrary, async (value) => {
        const index = calls++;
        if (aborted) return true; // the target is gone: stop spending requests; the case reports the abort
        const early = ahead !== undefined && !shrinking && ahead.texts[index] === fc.stringify(value) ? ahead.outcomes[index] : undefined;
        if (early !== undefined && ahead !== undefined) lane = ahead.lanes[index] ?? c.lane;
        const on = lane;
        const outcome = early ?? (await c.services.scheduler.alone(on, () => outcomeOf(spec, c.fork(undefined, on), value)));
        if (outcome.kind === 'aborted') {
          aborted = outcome.error;
          return true;
        }
        // It names a field the job does not have: not sent, so nothing to judge (the example does not count).
        if (outcome.kind === 'withheld') return true;
        if (failed(c, outcome)) {
          shrinking = true;
          failure = { evaluations: outcome.evaluations };
          return false;
        }
        for (const evaluation of outcome.evaluations) c.ledger.record(evaluation);
        return true;
      });
      const details = await fc.check(predicate, {
        seed: config.seed,
        numRuns: examplesOf(spec, config.runs),
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
          command: replayCommand(c, lane.jobId, spec.id, path),
        };
        for (const evaluation of failure.evaluations) c.ledger.record(evaluation, replay);
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
  if (c.expectation === 'open') return { kind: 'observe', rule: openRule(c), ifAccepted: { jobId, changes: {}, unjudged: [field] } };
  const changes = facts.updatableFields.includes(field) ? { [field]: expectedJobValue(facts, field, c.value) } : {};
  return { kind: 'update', jobId, changes };
}

function fieldExpectation(s: Case, field: string, c: FieldCase<unknown>): Expectation {
  return fieldCaseExpectation(s.facts, s.jobId, field, c);
}

function fieldProperty(field: string, covered: boolean): PropertySpec<FieldCase<unknown>> {
  return {
    id: field,
    covered,
    title: `${field} values (valid, invalid and open) meet the contract`,
    // One request an example: a refusal's read-back is its probe section's (one a round), not its own.
    perExample: 1.05,
    arbitrary: (_s, all) => all.fields[field] ?? fc.constant({ value: null, expectation: 'reject', label: 'no such field' }),
    probe: (c) => c.expectation === 'reject',
    example: async (s, c) => {
      await s.send(jsonRequest(s, { [field]: c.value }), { expect: fieldExpectation(s, field, c) });
    },
  };
}

function bodyExpectation(s: Case, c: BodyCase): Expectation {
  const changes = Object.fromEntries(Object.entries(c.expectedChanges).filter(([, v]) => v !== undefined));
  if (c.expectation === 'reject') return { kind: 'reject' };
  if (c.expectation === 'open') {
    // If accepted, the accepted fields round-trip, the open ones are not judged, and the rest stay as they were.
    return { kind: 'observe', rule: openRule(c), ifAccepted: { jobId: s.jobId, changes, unjudged: c.unjudgedFields } };
  }
  return { kind: 'update', jobId: s.jobId, changes };
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

function idExpectation(s: Case, c: IdCase): Expectation {
  switch (c.expectation) {
    case 'existing':
      return { kind: 'update', jobId: s.jobId, changes: {} };
    case 'missing':
      return { kind: 'not-found' };
    case 'invalid':
      return { kind: 'invalid-id' };
    case 'open':
      return { kind: 'observe', rule: openRule(c) };
  }
}

/** The open rule an open value names (each generator of open values names one: a value without is a bug). */
function openRule(c: { readonly rule?: RuleId; readonly label?: string; readonly labels?: readonly string[] }): RuleId {
  if (c.rule === undefined) throw new Error(`an open value without the rule that leaves it open: ${c.label ?? c.labels?.join(', ') ?? ''}`);
  return c.rule;
}

/** `covered`: the fields the coverage group covers with curated values (see `coveredFields`). */
export function propertyCases(fieldNames: readonly string[], covered: readonly string[] = []): CaseDef[] {
  return [
    ...fieldNames.map((field) => property(fieldProperty(field, covered.includes(field)))),
    property<{ key: string; value: unknown }>({
      id: 'read-only',
      title: 'read-only and unknown fields change nothing',
      perExample: 1,
      arbitrary: (_s, all) => all.readOnlyField,
      probe: () => true,
      example: async (s, extra) => {
        await s.send(jsonRequest(s, { [extra.key]: extra.value }), {
          expect: { kind: 'update', jobId: s.jobId, changes: {}, readOnlySent: { [extra.key]: extra.value } },
        });
      },
    }),
    property<BodyCase>({
      id: 'body',
      title: 'whole bodies (mixed fields, malformed and non-object JSON, empty, absent) meet the contract',
      perExample: 1,
      arbitrary: (_s, all) => all.body,
      probe: (c) => c.expectation === 'reject',
      example: async (s, c) => {
        await s.send(request(s, c.text), { expect: bodyExpectation(s, c) });
      },
    }),
    property<IdCase>({
      id: 'job-id',
      title: 'path ids (existing, missing, invalid, near 2^31, 2^53, 2^63) meet the contract',
      perExample: 1.05,
      arbitrary: (s, all) => all.jobId({ existing: s.jobId, missing: s.missingJobId }),
      probe: () => true,
      example: async (s, c) => {
        await s.send(jsonRequest(s, {}, s.auth, c.segment), { expect: idExpectation(s, c) });
      },
    }),
    property<AuthCase>({
      id: 'auth',
      title: 'credentials (valid both ways, none, wrong, malformed) meet the contract',
      perExample: 1,
      arbitrary: (_s, all) => all.auth,
      probe: () => true,
      example: async (s, c) => {
        const auth = authSpecOf(c);
        if (c.expectation === 'authorized') {
          await s.send(jsonRequest(s, {}, auth), { expect: { kind: 'update', jobId: s.jobId, changes: {} } });
        } else {
          await s.send(jsonRequest(s, textBody(s, 'lilt-conformance must not stick'), auth), { expect: { kind: 'unauthorized' } });
        }
      },
    }),
  ];
}
