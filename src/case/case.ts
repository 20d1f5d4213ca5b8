/**
 * What a case runs on: the active run, the compiled contract facts, the run's one transport, the job's last known
 * state, and `Scenario`, which turns one case into exchanges judged by the registry's checks and returns what they
 * said as a CaseRecord (values, never files).
 */
import type { ValidAuth, ApiRequest, ApiResponse, Exchange } from '../http/request';
import type { Priority } from '../http/rate-limiter';
import type { Transport } from '../http/transport';
import type { Route } from '../http/target-url';
import type { Check, CheckResult, Expectation, JobState, Oracle } from '../checks/types';
import { jobOf, sameFieldValue } from '../checks/values';
import type { ConformanceFacts } from '../checks/facts';
import type { LiveProperties } from './live';
import { redactFinding, type Finding, type Replay } from './finding';
import { evaluate, type Evaluation } from './judge';
import { step, type Serial } from '../run/schedule/clock';
import type { ProbeSection } from '../run/schedule/probe-section';
import { addVerdicts, type ActiveRun, type CaseRecord, type CheckTally } from './record';

/** The case cannot go on: the target did not answer, or the job could not be read. */
export class ScenarioAborted extends Error {
  override readonly name = 'ScenarioAborted';
}

/**
 * A request not sent because its body names a field the job does not have (the API cannot unset one, so the run
 * never writes it). The item or example is skipped, not failed: `each` and the properties move on.
 */
export class RequestWithheld extends Error {
  override readonly name = 'RequestWithheld';
  constructor(readonly field: string) {
    super(`not sent: the body names ${field}, which the job does not have (the API cannot unset it)`);
  }
}

/** The field of `unwritable` a body names, if any: anywhere in its text, in any case (a lenient parser included). */
export function withheldField(body: string | undefined, unwritable: readonly string[]): string | undefined {
  if (body === undefined || unwritable.length === 0) return undefined;
  const text = body.toLowerCase();
  return unwritable.find((field) => text.includes(field.toLowerCase()));
}

/** Whether a request may change a job: any body but none and `{}`. */
export function mayWrite(request: Pick<ApiRequest, 'body'>): boolean {
  return request.body !== undefined && request.body.trim() !== '{}' && request.body.trim() !== '';
}

export interface Context {
  readonly run: ActiveRun;
  readonly facts: ConformanceFacts;
  readonly route: Route;
  readonly checks: readonly Check[];
  readonly transport: Transport;
  /** Removes the key from what a target echoed back, before anything is stored or shown. */
  readonly redact: (text: string) => string;
  /** Updatable fields the job does not have: no request of the run names them (RequestWithheld). */
  readonly unwritable: readonly string[];
  /** The job's last known state (undefined: read it before relying on it). */
  known: JobState | undefined;
  /** The run's one watch of what moves on its own on each job (live.ts): every request of a case goes past it. */
  readonly live: LiveProperties;
  /** Requests withheld so far (for the run's output). */
  withheld: number;
  /**
   * Every lane's context, this one first (one lane per job given): on the run's first lane only, for a case that
   * spreads its work over the jobs (the properties' examples). Undefined or just this one: a single job.
   */
  lanes?: readonly Context[];
  /**
   * Runs one piece of work on this lane's job at a time (a property example, a probe section): the properties of a
   * group run side by side and share the lanes through it. Undefined: the caller has the lane to itself.
   */
  serial?: Serial;
}

export interface ScenarioOptions {
  /** The probe section it runs in: its requests to the job wait for the section's read-back instead of one each. */
  readonly section?: ProbeSection;
  /** A fork counts its requests in its parent (a property example's own Scenario). */
  readonly parent?: Scenario;
}

export interface SendOptions {
  readonly expect: Expectation;
  /** The state before; defaults to the last known (read first if unknown) where the expectation needs it. */
  readonly before?: JobState;
  readonly earlier?: Exchange;
  readonly otherMethod?: Exchange;
  /** Read the job back after a refusal (default true for refusals of a request to the run's job). */
  readonly readBack?: boolean;
}

/** One case: sends, judges, tallies. */
export class Scenario {
  readonly tallies: Record<string, CheckTally> = {};
  readonly findings: Finding[] = [];
  /** Requests this case sent (others may run concurrently on the same transport). */
  private sent = 0;
  /** Whether the case sent a request that may have changed a job (a body other than `{}`). */
  wrote = false;

  readonly section: ProbeSection | undefined;
  private readonly parent: Scenario | undefined;

  constructor(
    readonly ctx: Context,
    readonly suite: string,
    readonly name: string,
    options: ScenarioOptions = {},
  ) {
    this.section = options.section;
    this.parent = options.parent;
  }

  /**
   * A Scenario of the same case with its own tallies, findings and capture (a property example run concurrently with
   * others); its requests count in this one. `section`: the probe section it runs in, if any.
   */
  fork(section?: ProbeSection, ctx: Context = this.ctx): Scenario {
    return new Scenario(ctx, this.suite, this.name, { parent: this, ...(section ? { section } : {}) });
  }

  /**
   * Runs `body` for each item: one after another, or, in a probe section, all at once (each waits for the section's
   * read-back). An aborted item aborts the case (after the others in flight have ended).
   */
  async each<T>(items: readonly T[], body: (item: T) => Promise<void>): Promise<void> {
    if (this.section) return this.section.fanOut(items, body);
    for (const item of items) await body(item);
  }

  get facts(): ConformanceFacts {
    return this.ctx.facts;
  }
  get run(): ActiveRun {
    return this.ctx.run;
  }
  /** The valid auth that read the job at start-up. */
  get auth(): ValidAuth {
    return { kind: this.ctx.run.preferredAuth };
  }
  get jobSegment(): string {
    return String(this.ctx.run.jobId);
  }
  get requests(): number {
    return this.sent;
  }
  /** The request fields the run may send: the contract's, less those the job does not have. */
  get requestFields(): ReadonlyArray<readonly [string, ConformanceFacts['requestFields'][string]]> {
    return Object.entries(this.facts.requestFields).filter(([field]) => !this.ctx.unwritable.includes(field));
  }
  /** The updatable fields the run may write: the contract's, less those the job does not have. */
  get updatableFields(): readonly string[] {
    return this.facts.updatableFields.filter((field) => !this.ctx.unwritable.includes(field));
  }

  private count(wrote: boolean): void {
    this.sent += 1;
    if (wrote) this.wrote = true;
    this.parent?.count(wrote);
  }

  /**
   * Sends once. No answer (a connection closed or reset, a timeout) is a finding of response.answered, recorded at
   * once, and the case cannot go on; a target already declared down aborts the case without sending; a body naming a
   * field the job lacks is not sent at all (RequestWithheld).
   */
  async exchange(request: ApiRequest, priority: Priority = this.section ? 'batch' : 'chain'): Promise<Exchange> {
    const field = withheldField(request.body, this.ctx.unwritable);
    if (field !== undefined) {
      this.ctx.withheld += 1;
      throw new RequestWithheld(field);
    }
    this.count(mayWrite(request));
    step();
    const started = performance.now();
    const ticket = this.ctx.live.sent(request);
    const outcome = await this.ctx.transport.send(request, { priority });
    this.ctx.live.answered(ticket, outcome.kind === 'response' && outcome.exchange.response.status === 200 ? jobOf(outcome.exchange.response) : undefined);
    switch (outcome.kind) {
      case 'response':
        return outcome.exchange;
      case 'timeout':
        this.noAnswer(request, `no answer within ${outcome.timeoutMs} ms`, started);
        throw new ScenarioAborted(`no answer within ${outcome.timeoutMs} ms to ${request.method} .../${request.idSegment}`);
      case 'network-error':
        this.noAnswer(request, outcome.message, started);
        throw new ScenarioAborted(`no answer to ${request.method} .../${request.idSegment}: ${outcome.message}`);
      case 'target-down':
        throw new ScenarioAborted(`nothing sent: ${outcome.reason}`);
    }
  }

  /** Records the request that got no answer (never into a property's capture: it stands whatever the property decides). */
  private noAnswer(request: ApiRequest, why: string, started: number): void {
    // Sent but not answered: it may have been carried out. The job's state is unknown until it is read again.
    if (request.idSegment === this.jobSegment && this.section === undefined) this.ctx.known = undefined;
    const response: ApiResponse = { status: 0, headers: {}, contentType: undefined, text: '', noAnswer: why };
    const exchange: Exchange = { request, response, durationMs: performance.now() - started };
    this.record(this.evaluate(exchange, { facts: this.facts, expect: { kind: 'observe', rule: 'response.answered' } }));
  }

  /** Reads the job with PUT `{}` (itself judged as a no-op update). */
  async readJob(): Promise<JobState> {
    const before = this.ctx.known;
    const exchange = await this.exchange(this.readRequest(), 'chain');
    this.judge(exchange, { facts: this.facts, expect: { kind: 'update', jobId: this.run.jobId, changes: {} }, ...(before ? { before } : {}) });
    const job = exchange.response.status === 200 ? jobOf(exchange.response) : undefined;
    this.ctx.known = job;
    if (job === undefined) {
      throw new ScenarioAborted(`could not read job ${this.run.jobId} (status ${exchange.response.status}): the case cannot judge state`);
    }
    return job;
  }

  /** The run's read of its job: PUT `{}` with the valid auth. */
  readRequest(): ApiRequest {
    return { method: this.facts.method, idSegment: this.jobSegment, body: '{}', contentType: 'application/json', auth: this.auth };
  }

  /** Sends a request and judges it with every check against its expectation. */
  async send(request: ApiRequest, options: SendOptions): Promise<Exchange> {
    const { expect } = options;
    const toJob = request.idSegment === this.jobSegment;
    const needsState =
      toJob &&
      (expect.kind === 'update' ||
        expect.kind === 'reject' ||
        expect.kind === 'unauthorized' ||
        (expect.kind === 'observe' && expect.ifAccepted !== undefined));
    const refusal = expect.kind === 'reject' || expect.kind === 'unauthorized';
    if (this.section) return this.sendInSection(this.section, request, options, { toJob, needsState, refusal });
    let before = options.before;
    if (before === undefined && needsState) before = this.ctx.known ?? (await this.readJob());

    const exchange = await this.exchange(request);
    let after: JobState | undefined;
    if (refusal && toJob && (options.readBack ?? true)) {
      this.ctx.known = undefined; // whatever happened, re-read
      after = await this.readJob();
    }
    this.judge(exchange, {
      facts: this.facts,
      expect,
      ...(before ? { before } : {}),
      ...(after ? { after } : {}),
      ...(options.earlier ? { earlier: options.earlier } : {}),
      ...(options.otherMethod ? { otherMethod: options.otherMethod } : {}),
    });
    if (toJob && !refusal) {
      // After an accepted update (or an open input the target accepted) the Job returned is the new state; after
      // anything else, read before trusting it.
      const accepted = expect.kind === 'update' || (expect.kind === 'observe' && expect.ifAccepted?.jobId === this.run.jobId);
      this.ctx.known = accepted && exchange.response.status === 200 ? jobOf(exchange.response) : undefined;
    }
    if (!toJob && exchange.response.status === 200) this.ctx.known = undefined; // another id was updated: maybe ours
    return exchange;
  }

  /**
   * In a probe section: a request to the job waits for the round's read-back (its state after, for a refusal) and is
   * judged then, with its replay if the round was replayed; the last known state is the section's to keep.
   */
  private async sendInSection(
    section: ProbeSection,
    request: ApiRequest,
    options: SendOptions,
    kind: { readonly toJob: boolean; readonly needsState: boolean; readonly refusal: boolean },
  ): Promise<Exchange> {
    const { expect } = options;
    const extra = {
      ...(options.earlier ? { earlier: options.earlier } : {}),
      ...(options.otherMethod ? { otherMethod: options.otherMethod } : {}),
    };
    if (!kind.toJob) {
      const exchange = await this.exchange(request);
      this.judge(exchange, { facts: this.facts, expect, ...(options.before ? { before: options.before } : {}), ...extra });
      if (exchange.response.status === 200) section.touchedElsewhere();
      return exchange;
    }
    const state = options.before ?? (await section.state(this));
    const exchange = await this.exchange(request);
    const judgements = await section.park({
      scenario: this,
      request,
      exchange,
      before: state,
      refusal: kind.refusal && (options.readBack ?? true),
    });
    for (const { exchange: judged, before, after } of judgements) {
      const given = options.before ?? (kind.needsState ? before : undefined);
      this.judge(judged, { facts: this.facts, expect, ...(given ? { before: given } : {}), ...(after ? { after } : {}), ...extra });
    }
    return exchange;
  }

  /**
   * Judges without recording (for a property's examples, which are recorded only if they fail). What the run has
   * seen move on its own on the job compared is left out of every comparison (Oracle.drifting).
   */
  evaluate(exchange: Exchange, given: Oracle): Evaluation {
    const compared = given.expect.kind === 'other-job' ? given.expect.jobId : this.run.jobId;
    const oracle: Oracle = { ...given, drifting: this.ctx.live.movingOn(compared) };
    return evaluate(this.ctx.checks, exchange, oracle, {
      route: this.ctx.route,
      suite: this.suite,
      scenario: this.name,
      failOnAdvisory: this.ctx.run.config.failOnAdvisory,
    });
  }

  private sink: Evaluation[] | undefined;

  /** Judges and records (or, inside capture(), collects). */
  judge(exchange: Exchange, oracle: Oracle): Evaluation {
    const evaluation = this.evaluate(exchange, oracle);
    if (this.sink) this.sink.push(evaluation);
    else this.record(evaluation);
    return evaluation;
  }

  /** Runs `body`, returning the evaluations it produced instead of recording them (a property decides). */
  async capture(body: () => Promise<void>): Promise<Evaluation[]> {
    const outer = this.sink;
    const sink: Evaluation[] = [];
    this.sink = sink;
    try {
      await body();
    } finally {
      this.sink = outer;
    }
    return sink;
  }

  record(evaluation: Evaluation, replay?: Replay): void {
    if (this.parent) return this.parent.record(evaluation, replay); // a fork's records are its case's
    for (const { checkId, result } of evaluation.verdicts) this.tally(checkId, result);
    for (const finding of evaluation.findings) {
      this.findings.push(redactFinding(replay ? { ...finding, replay } : finding, this.ctx.redact));
    }
  }

  tally(checkId: string, result: CheckResult): void {
    addVerdicts(this.tallies, [{ checkId, result }]);
  }
}

export interface ScenarioDef {
  readonly name: string;
  /**
   * Requests it sends (for --dry-run and progress), counted as it sends them when the job's state is known at its
   * start: a refusal is read back, an accepted update's Job is the new state, an open answer is read before the next
   * request that needs the state. A case after one that left the state unknown sends one read more; a property's
   * count depends on the examples its seed draws (tests/engine/plan-estimate.test.ts holds a run to the estimate).
   */
  estimate(facts: ConformanceFacts, run: Pick<ActiveRun, 'config' | 'otherJobIds'>): number;
  /** True when it never touches the run's job: it may run concurrently with others. */
  readonly independent?: boolean;
  /**
   * True when every request it sends must leave the job as it is (refusals, reads, probes): it runs concurrently with
   * the other probes of its lane in a probe section, with one read-back per round instead of one per request.
   */
  readonly probe?: boolean;
  /** True when it reads jobs other than its own (the cross-job check): it runs first in its group, alone. */
  readonly quiet?: boolean;
  /** True when it spreads its own work over every lane (a property's examples): it runs alone, on the first lane. */
  readonly allLanes?: boolean;

  run(s: Scenario): Promise<void>;
}

/** A case's record and whether it may have written (the engine parks the job on its marker after such a case). */
export interface ScenarioRun {
  readonly record: CaseRecord;
  readonly wrote: boolean;
}

/**
 * Runs one case to its end (or until it is cut short) and returns what it came to. A bug is thrown, not recorded; a
 * withheld request ends the case where it was (what it judged before stands).
 */
export async function runScenario(ctx: Context, suite: string, def: ScenarioDef, section?: ProbeSection): Promise<ScenarioRun> {
  const scenario = new Scenario(ctx, suite, def.name, section ? { section } : {});
  let error: string | undefined;
  try {
    await def.run(scenario);
  } catch (caught) {
    if (caught instanceof ScenarioAborted) error = caught.message;
    else if (!(caught instanceof RequestWithheld)) throw caught;
  }
  return {
    record: {
      suite,
      scenario: def.name,
      tallies: scenario.tallies,
      findings: scenario.findings,
      ...(error === undefined ? {} : { error }),
      requests: scenario.requests,
    },
    wrote: scenario.wrote,
  };
}
