/**
 * Group 6, properties: fast-check arbitraries derived from the contract (src/arbitraries/), mixed valid, invalid and
 * open inputs, each judged by the oracle of groups 1-5 through its expectation. A failing example is shrunk to the
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
import { RequestWithheld, ScenarioAborted, type Context, type Scenario, type ScenarioDef } from '../case/case';
import type { Evaluation } from '../case/judge';
import { ProbeSection } from '../run/schedule/probe-section';
import { sideBySide } from '../run/schedule/clock';
import { expectedJobValue, type ConformanceFacts } from '../checks/facts';
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
  | { readonly kind: 'aborted'; readonly error: ScenarioAborted }
  /** It names a field the job does not have: not sent (RequestWithheld). */
  | { readonly kind: 'withheld' };

async function outcomeOf<T>(spec: PropertySpec<T>, s: Scenario, value: T): Promise<Outcome> {
  try {
    return { kind: 'judged', evaluations: await s.capture(() => spec.example(s, value)) };
  } catch (error) {
    if (error instanceof ScenarioAborted) return { kind: 'aborted', error };
    if (error instanceof RequestWithheld) return { kind: 'withheld' };
    throw error;
  }
}

const failed = (outcome: Outcome | undefined): boolean =>
  outcome !== undefined && outcome.kind === 'judged' && outcome.evaluations.some((e) => e.findings.length > 0);

interface Ahead {
  /** Each example's outcome by its index (undefined: not run, fast-check stops before it). */
  readonly outcomes: Array<Outcome | undefined>;
  /** The values as fast-check prints them (a value drawn differently is run again, live). */
  readonly texts: readonly string[];
  /** The lane (job) each example ran on. */
  readonly lanes: Array<Context | undefined>;
}

/**
 * Runs the examples fast-check will draw (the same values, in the same order, for this seed and number of runs)
 * before it draws them: the probes all at once in a probe section of the first lane, and the others (they write)
 * shared out over the lanes, each lane taking the next in order whenever it has its job to itself, up to the first
 * that fails (fast-check consumes no example after it).
 */
async function runAhead<T>(spec: PropertySpec<T>, s: Scenario, arbitrary: fc.Arbitrary<T>): Promise<Ahead> {
  const { config } = s.run;
  const values: T[] = [];
  fc.check(
    fc.property(arbitrary, (value) => {
      values.push(value);
      return true;
    }),
    { seed: config.seed, numRuns: config.runs },
  );
  const texts = values.map((value) => fc.stringify(value));
  const outcomes: Array<Outcome | undefined> = new Array<Outcome | undefined>(values.length);
  const lanes: Array<Context | undefined> = new Array<Context | undefined>(values.length);
  const indices = values.map((_value, i) => i);
  const probes = indices.filter((i) => spec.probe(values[i] as T));
  const writes = indices.filter((i) => !spec.probe(values[i] as T));
  const contexts = s.ctx.lanes !== undefined && s.ctx.lanes.length > 0 ? s.ctx.lanes : [s.ctx];
  let first = -1;
  const firstFailure = () => first;
  const run = async (i: number, ctx: Context, section?: ProbeSection) => {
    lanes[i] = ctx;
    const outcome = await outcomeOf(spec, s.fork(section, ctx), values[i] as T);
    outcomes[i] = outcome;
    if ((failed(outcome) || outcome.kind === 'aborted') && (first < 0 || i < first)) first = i;
  };
  const queue = [...writes];
  const alone = <R>(ctx: Context, work: () => Promise<R>): Promise<R> => (ctx.serial ? ctx.serial.run(work) : work());
  const settled = await sideBySide(
    contexts.map((ctx, lane) => ({ ctx, lane })),
    async ({ ctx, lane }) => {
      if (lane === 0 && probes.length > 0) {
        const section = new ProbeSection(ctx, s);
        await alone(ctx, () => section.run(probes, (i) => run(i, ctx, section)));
      }
      // Each lane takes the next write in order when it has its job to itself: a lane that is free sooner takes more.
      for (;;) {
        const more = await alone(ctx, async () => {
          const i = queue.shift();
          const failure = firstFailure();
          if (i === undefined || (failure >= 0 && failure < i)) return false;
          await run(i, ctx);
          return true;
        });
        if (!more) break;
      }
    },
  );
  const bug = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (bug) throw bug.reason;
  return { outcomes, texts, lanes };
}

/** `jobId`: the job the failing example ran on (a replay runs on it alone). */
function replayCommand(s: Scenario, jobId: number, id: string, path: string): string {
  const target = s.run.config.target.kind === 'url' ? ` --target ${s.run.config.target.url} --job-id ${jobId}` : '';
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
    allLanes: true,
    run: async (s) => {
      const { config } = s.run;
      let failure: { evaluations: Evaluation[] } | undefined;
      let aborted: ScenarioAborted | undefined;
      const arbitrary = spec.arbitrary(s, arbitraries(s.facts.contract));
      // A replay follows its path alone, one example at a time; a run draws its examples ahead, concurrently.
      const ahead = config.replay ? undefined : await runAhead(spec, s, arbitrary);
      let calls = 0;
      let shrinking = false;
      // Shrinking runs live on the lane (job) the failing example ran on.
      let lane = s.ctx;
      const predicate = fc.asyncProperty(arbitrary, async (value) => {
        const index = calls++;
        if (aborted) return true; // the target is gone: stop spending requests; the case reports the abort
        const early = ahead !== undefined && !shrinking && ahead.texts[index] === fc.stringify(value) ? ahead.outcomes[index] : undefined;
        if (early !== undefined && ahead !== undefined) lane = ahead.lanes[index] ?? s.ctx;
        const live = lane;
        const outcome = early ?? (await (live.serial ? live.serial.run(() => outcomeOf(spec, s.fork(undefined, live), value)) : outcomeOf(spec, s.fork(undefined, live), value)));
        if (outcome.kind === 'aborted') {
          aborted = outcome.error;
          return true;
        }
        // It names a field the job does not have: not sent, so nothing to judge (the example does not count).
        if (outcome.kind === 'withheld') return true;
        const { evaluations } = outcome;
        // An advisory fails nothing; a change of a property that may be a live job's own movement is recorded and
        // settled at the run's end (live.ts), not shrunk: neither ends the property.
        if (evaluations.some((e) => e.findings.some((f) => f.advisory === undefined && !live.live.maybeLive(f)))) {
          shrinking = true;
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
          command: replayCommand(s, lane.run.jobId, spec.id, path),
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
  if (c.expectation === 'open') return { kind: 'observe', rule: openRule(c), ifAccepted: { jobId, changes: {}, unjudged: [field] } };
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
    // One request an example: a refusal's read-back is its probe section's (one a round), not its own.
    perExample: 1.05,
    arbitrary: (_s, all) => all.fields[field] ?? fc.constant({ value: null, expectation: 'reject', label: 'no such field' }),
    probe: (c) => c.expectation === 'reject',
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
    return { kind: 'observe', rule: openRule(c), ifAccepted: { jobId: s.run.jobId, changes, unjudged: c.unjudgedFields } };
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
      return { kind: 'observe', rule: openRule(c) };
  }
}

/** The open rule an open value names (each generator of open values names one: a value without is a bug). */
function openRule(c: { readonly rule?: RuleId; readonly label?: string; readonly labels?: readonly string[] }): RuleId {
  if (c.rule === undefined) throw new Error(`an open value without the rule that leaves it open: ${c.label ?? c.labels?.join(', ') ?? ''}`);
  return c.rule;
}

export function propertyScenarios(fieldNames: readonly string[]): ScenarioDef[] {
  return [
    ...fieldNames.map((field) => property(fieldProperty(field))),
    property<{ key: string; value: unknown }>({
      id: 'read-only',
      title: 'read-only and unknown fields change nothing',
      perExample: 1,
      arbitrary: (_s, all) => all.readOnlyField,
      probe: () => true,
      example: async (s, extra) => {
        await s.send(putJson(s, { [extra.key]: extra.value }), {
          expect: { kind: 'update', jobId: s.run.jobId, changes: {}, readOnlySent: { [extra.key]: extra.value } },
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
        await s.send(put(s, c.text), { expect: bodyExpectation(s, c) });
      },
    }),
    property<IdCase>({
      id: 'job-id',
      title: 'path ids (existing, missing, invalid, near 2^31, 2^53, 2^63) meet the contract',
      perExample: 1.05,
      arbitrary: (s, all) => all.jobId({ existing: s.run.jobId, missing: s.run.missingJobId }),
      probe: () => true,
      example: async (s, c) => {
        await s.send(putJson(s, {}, s.auth, c.segment), { expect: idExpectation(s, c) });
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
          await s.send(putJson(s, {}, auth), { expect: { kind: 'update', jobId: s.run.jobId, changes: {} } });
        } else {
          await s.send(putJson(s, { name: 'lilt-conformance must not stick' }, auth), { expect: { kind: 'unauthorized' } });
        }
      },
    }),
  ];
}
