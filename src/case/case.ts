/**
 * A case: one named test of a group, run on a lane's job. `Case` turns the requests a case definition sends into
 * exchanges, judges each with the registry's checks against what the request expects (through its ledger), keeps
 * the lane's knowledge of the job up to date, and `runCase` returns what it came to as a CaseRecord (values, never
 * files). In a probe section, a request to the job waits for the section's read-back instead of a read of its own.
 */
import type { ApiRequest, ApiResponse, Exchange, ValidAuth } from '../http/request';
import type { Priority } from '../http/rate-limiter';
import type { Expectation, JobState, Oracle } from '../checks/types';
import { jobOf } from '../checks/values';
import type { ConformanceFacts } from '../checks/facts';
import type { Evaluation } from './judge';
import { CaseAborted, mayWrite, RequestWithheld, withheldField } from './errors';
import { reach, step } from './clock';
import type { Judgement, Lane, RunServices, Section } from './context';
import { CaseLedger } from './ledger';
import { readRequest } from './reads';
import type { ActiveRun, CaseRecord } from './record';
import type { RunConfig } from '../config/run-config';

/** How a request is judged: what it expects, and what else the run knows. */
export interface Judging {
  readonly expect: Expectation;
  /** The state before; defaults to the last known (read first if unknown) where the expectation needs it. */
  readonly before?: JobState;
  readonly earlier?: Exchange;
  readonly otherMethod?: Exchange;
  /** Read the job back after a refusal (default true for refusals of a request to the lane's job). */
  readonly readBack?: boolean;
}

/** What a request to the job needs: the state before, a read-back after. */
interface Needs {
  readonly toJob: boolean;
  readonly state: boolean;
  readonly refusal: boolean;
}

export class Case {
  readonly ledger: CaseLedger;
  /** Requests this case sent (others may run concurrently on the same transport). */
  private sent = 0;
  /** Whether the case sent a request that may have changed a job (a body other than `{}`). */
  wrote = false;

  constructor(
    readonly services: RunServices,
    readonly lane: Lane,
    readonly group: string,
    readonly name: string,
    /** The probe section it runs in: its requests to the job wait for the section's read-back. */
    readonly section?: Section,
    /** A fork counts its requests and records its findings in its parent (a property example's own Case). */
    private readonly parent?: Case,
  ) {
    const where = { route: services.route, group, case: name, failOnAdvisory: services.run.config.failOnAdvisory };
    this.ledger = parent?.ledger.fork() ?? new CaseLedger(services.checks, where, services.redact);
  }

  /** A Case of the same case with its own capture, counted in this one (a property example beside others). */
  fork(section?: Section, lane: Lane = this.lane): Case {
    return new Case(this.services, lane, this.group, this.name, section, this);
  }

  get facts(): ConformanceFacts {
    return this.services.facts;
  }
  get run(): ActiveRun {
    return this.services.run;
  }
  get config(): RunConfig {
    return this.services.run.config;
  }
  /** The lane's job: the one this case writes. */
  get jobId(): number {
    return this.lane.jobId;
  }
  get otherJobIds(): readonly number[] {
    return this.lane.otherJobIds;
  }
  get missingJobId(): number {
    return this.services.run.missingJobId;
  }
  /** The valid auth that read the job at start-up. */
  get auth(): ValidAuth {
    return { kind: this.services.run.preferredAuth };
  }
  get jobSegment(): string {
    return String(this.lane.jobId);
  }
  get requests(): number {
    return this.sent;
  }
  /** The request fields the run may send: the contract's, less those the job does not have. */
  get requestFields(): ReadonlyArray<readonly [string, ConformanceFacts['requestFields'][string]]> {
    return Object.entries(this.facts.requestFields).filter(([field]) => !this.lane.unwritable.includes(field));
  }
  /** The updatable fields the run may write: the contract's, less those the job does not have. */
  get updatableFields(): readonly string[] {
    return this.facts.updatableFields.filter((field) => !this.lane.unwritable.includes(field));
  }

  /**
   * Runs `body` for each input: one after another, or, in a probe section, all at once (each waits for the section's
   * read-back). An aborted input aborts the case (after the others in flight have ended).
   */
  async forEach<T>(items: readonly T[], body: (item: T) => Promise<void>): Promise<void> {
    if (this.section) return this.section.fanOut(items, body);
    for (const item of items) await body(item);
  }

  private count(wrote: boolean): void {
    this.sent += 1;
    if (wrote) this.wrote = true;
    this.parent?.count(wrote);
  }

  /**
   * Sends once. No answer (a connection closed or reset, a timeout) is a finding of schema.answered, recorded at
   * once, and the case cannot go on; a target already declared down aborts the case without sending; a body naming a
   * field the job lacks is not sent at all (RequestWithheld).
   */
  async exchange(request: ApiRequest, priority: Priority = this.section ? 'batch' : 'chain'): Promise<Exchange> {
    const field = withheldField(request.body, this.lane.unwritable);
    if (field !== undefined) {
      this.services.withheld.count += 1;
      throw new RequestWithheld(field);
    }
    const writes = mayWrite(request);
    this.count(writes);
    step();
    const started = performance.now();
    const { live, transport, writers } = this.services;
    if (writes) writers.sent(request.body);
    const ticket = live.sent(request);
    const outcome = await transport.send(request, { priority });
    const answeredJob = outcome.kind === 'response' && outcome.exchange.response.status === 200 ? jobOf(outcome.exchange.response) : undefined;
    live.answered(ticket, answeredJob);
    writers.seen(request.idSegment, answeredJob);
    switch (outcome.kind) {
      case 'response':
        return outcome.exchange;
      case 'timeout':
        this.noAnswer(request, `no answer within ${outcome.timeoutMs} ms`, started);
        throw new CaseAborted(`no answer within ${outcome.timeoutMs} ms to ${request.method} .../${request.idSegment}`);
      case 'network-error':
        this.noAnswer(request, outcome.message, started);
        throw new CaseAborted(`no answer to ${request.method} .../${request.idSegment}: ${outcome.message}`);
      case 'target-down':
        throw new CaseAborted(`nothing sent: ${outcome.reason}`);
    }
  }

  /** Records the request that got no answer (never into a property's capture: it stands whatever the property decides). */
  private noAnswer(request: ApiRequest, why: string, started: number): void {
    // Sent but not answered: it may have been carried out. The job's state is unknown until it is read again.
    if (request.idSegment === this.jobSegment && this.section === undefined) this.lane.known = undefined;
    const response: ApiResponse = { status: 0, headers: {}, contentType: undefined, text: '', noAnswer: why };
    const exchange: Exchange = { request, response, durationMs: performance.now() - started };
    this.ledger.record(this.evaluate(exchange, { facts: this.facts, expect: { kind: 'observe', rule: 'response.every-request-answered' } }));
  }

  /** The run's read of its job: PUT `{}` with the valid auth. */
  readRequest(): ApiRequest {
    return readRequest(this.facts, this.jobId, this.auth);
  }

  /** Reads the job with PUT `{}` (itself judged as a no-op update). */
  async readJob(): Promise<JobState> {
    const before = this.lane.known;
    const exchange = await this.exchange(this.readRequest(), 'chain');
    this.assess(exchange, { facts: this.facts, expect: { kind: 'update', jobId: this.jobId, changes: {} }, ...(before ? { before } : {}) });
    const job = exchange.response.status === 200 ? jobOf(exchange.response) : undefined;
    this.lane.known = job;
    if (job === undefined) {
      throw new CaseAborted(`could not read job ${this.jobId} (status ${exchange.response.status}): the case cannot judge state`);
    }
    return job;
  }

  /** Sends a request and judges it with every check against its expectation. */
  async send(request: ApiRequest, judging: Judging): Promise<Exchange> {
    const needs = this.needsOf(request, judging.expect);
    if (this.section) return this.sendInSection(this.section, request, judging, needs);
    let before = judging.before;
    if (before === undefined && needs.state) before = this.lane.known ?? (await this.readJob());
    const exchange = await this.exchange(request);
    let after: JobState | undefined;
    if (needs.refusal && needs.toJob && (judging.readBack ?? true)) {
      this.lane.known = undefined; // whatever happened, re-read
      after = await this.readJob();
    }
    this.assess(exchange, this.oracleOf(judging, before, after));
    this.learn(exchange, judging.expect, needs);
    return exchange;
  }

  private needsOf(request: ApiRequest, expect: Expectation): Needs {
    const toJob = request.idSegment === this.jobSegment;
    const kind = expect.kind;
    const state = toJob && (kind === 'update' || kind === 'reject' || kind === 'unauthorized' || (kind === 'observe' && expect.ifAccepted !== undefined));
    return { toJob, state, refusal: kind === 'reject' || kind === 'unauthorized' };
  }

  private oracleOf(judging: Judging, before: JobState | undefined, after: JobState | undefined): Oracle {
    return {
      facts: this.facts,
      expect: judging.expect,
      ...(before ? { before } : {}),
      ...(after ? { after } : {}),
      ...(judging.earlier ? { earlier: judging.earlier } : {}),
      ...(judging.otherMethod ? { otherMethod: judging.otherMethod } : {}),
    };
  }

  /**
   * What the lane knows of its job after a request: after an accepted update (or an open input the target accepted)
   * the Job returned is the new state; after anything else, read before trusting it.
   */
  private learn(exchange: Exchange, expect: Expectation, needs: Needs): void {
    if (needs.toJob && !needs.refusal) {
      const accepted = expect.kind === 'update' || (expect.kind === 'observe' && expect.ifAccepted?.jobId === this.jobId);
      this.lane.known = accepted && exchange.response.status === 200 ? jobOf(exchange.response) : undefined;
    }
    if (!needs.toJob && exchange.response.status === 200) this.lane.known = undefined; // another id was updated: maybe ours
  }

  /**
   * In a probe section: a request to the job waits for the round's read-back (its state after, for a refusal) and is
   * judged then, with its replay if the round was replayed; the section keeps the lane's knowledge of the job.
   */
  private async sendInSection(section: Section, request: ApiRequest, judging: Judging, needs: Needs): Promise<Exchange> {
    if (!needs.toJob) {
      const exchange = await this.exchange(request);
      this.assess(exchange, this.oracleOf(judging, judging.before, undefined));
      if (exchange.response.status === 200) section.touchedElsewhere();
      return exchange;
    }
    const state = judging.before ?? (await section.state());
    const exchange = await this.exchange(request);
    const refusal = needs.refusal && (judging.readBack ?? true);
    const { judgements, endedAt } = await section.park({ request, exchange, before: state, refusal }, (again) => this.replay(again, refusal));
    reach(endedAt); // this flow waited for the round: it goes on from where the round ended
    for (const { exchange: judged, before, after } of judgements) {
      this.assess(judged, this.oracleOf(judging, judging.before ?? (needs.state ? before : undefined), after));
    }
    return exchange;
  }

  /** The request again, alone, and a read-back after it (a probe section's replay of a round that changed the job). */
  private async replay(request: ApiRequest, refusal: boolean): Promise<{ judgement: Judgement; after: JobState | undefined }> {
    const ahead = this.lane.known;
    const again = await this.exchange(request, 'chain');
    const back = await this.exchange(this.readRequest(), 'chain');
    this.assess(back, { facts: this.facts, expect: { kind: 'update', jobId: this.jobId, changes: {} } });
    const after = back.response.status === 200 ? jobOf(back.response) : undefined;
    this.lane.known = after;
    return { judgement: { exchange: again, before: ahead, after: refusal ? after : undefined }, after };
  }

  /**
   * Judges without recording (for a property's examples, which are recorded only if they fail). What the run has
   * seen move on its own on the job compared is left out of every comparison (Oracle.drifting).
   */
  evaluate(exchange: Exchange, given: Oracle): Evaluation {
    const compared = given.expect.kind === 'other-job' ? given.expect.jobId : this.jobId;
    return this.ledger.evaluate(exchange, { ...given, drifting: this.services.live.movingOn(compared) });
  }

  /** Judges and records (or, inside `capture`, collects). */
  assess(exchange: Exchange, oracle: Oracle): Evaluation {
    const compared = oracle.expect.kind === 'other-job' ? oracle.expect.jobId : this.jobId;
    return this.ledger.assess(exchange, { ...oracle, drifting: this.services.live.movingOn(compared) });
  }

  /** Runs `body`, returning the evaluations it produced instead of recording them (a property decides). */
  capture(body: () => Promise<void>): Promise<Evaluation[]> {
    return this.ledger.capture(body);
  }
}

/** What one case does: its name, what it sends, and how it may be scheduled. */
export interface CaseDef {
  readonly name: string;
  /**
   * Requests it sends (for --dry-run and progress), counted as it sends them when the job's state is known at its
   * start: a refusal is read back, an accepted update's Job is the new state, an open answer is read before the next
   * request that needs the state. A case after one that left the state unknown sends one read more; a property's
   * count depends on the examples its seed draws (tests/run/plan-estimate.test.ts holds a run to the estimate).
   */
  estimate(facts: ConformanceFacts, run: Pick<ActiveRun, 'config' | 'otherJobIds'>): number;
  /**
   * Up to this many requests more than the estimate, by the sides the provider takes: a read-back after each open
   * input it refuses (the estimate counts the accepting side).
   */
  readonly openReads?: number;
  /** True when it never touches the lane's job: it may run concurrently with others. */
  readonly independent?: boolean;
  /**
   * True when every request it sends must leave the job as it is (refusals, reads, probes): it runs concurrently with
   * the other probes of its lane in a probe section, with one read-back per round instead of one per request.
   */
  readonly probe?: boolean;
  /** True when it reads jobs other than its own (the cross-job check): it runs first in its group, alone. */
  readonly readsOtherJobs?: boolean;
  /** True when it spreads its own work over every lane (a property's examples): it runs alone, on the first lane. */
  readonly allLanes?: boolean;

  run(c: Case): Promise<void>;
}

/** A case's record and whether it may have written (the run marks the job again after a group that wrote). */
export interface CaseRun {
  readonly record: CaseRecord;
  readonly wrote: boolean;
}

/**
 * Runs one case to its end (or until it is cut short) and returns what it came to. A bug is thrown, not recorded; a
 * withheld request ends the case where it was (what it judged before stands).
 */
export async function runCase(services: RunServices, lane: Lane, group: string, def: CaseDef, section?: Section): Promise<CaseRun> {
  const c = new Case(services, lane, group, def.name, section);
  let error: string | undefined;
  try {
    await def.run(c);
  } catch (caught) {
    if (caught instanceof CaseAborted) error = caught.message;
    else if (!(caught instanceof RequestWithheld)) throw caught;
  }
  const { tallies, findings } = c.ledger;
  return {
    record: { group: group, case: def.name, tallies, findings, ...(error === undefined ? {} : { error }), requests: c.requests },
    wrote: c.wrote,
  };
}
