/**
 * A probe section: requests that must not change the job (refusals of invalid data, credentials and ids, reads, the
 * probes of groups 3-5 and the property examples that expect no change) sent concurrently, and ONE read-back of the
 * job proving that none of them wrote, instead of one read-back after each.
 *
 * It works like a group commit. Each member (a case, an item of a case's loop, a property example) sends its request
 * at once; a request to the job then parks until every member still running has parked too (or ended); the section
 * reads the job back once and hands each parked member what the sequential run would have had: the state before and,
 * for a refusal, the state after. When the read-back shows a change, the job is put back as it was before the round and
 * the round's requests are sent again one at a time, each read back after, so that the one that wrote is named by its
 * own finding (as the sequential run would have named it); if none writes on its own, every refusal of the round is
 * judged against the change seen. No write is ever in flight during a section: the engine runs sections between the
 * ordered cases of a lane, and a property runs its writes after its section.
 */
import type { ApiRequest, Exchange } from '../../http/request';
import { currentClock, sideBySide, within, type Clock } from './clock';
import { restoreBody, snapshotOf } from '../job-guard';
import type { JobState } from '../../checks/types';
import { changedFields, jobOf } from '../../checks/values';
import { ScenarioAborted, type Context, type Scenario } from '../../case/case';
import { changesOf } from '../../cases/common';

/** A request to the job, sent during a section, waiting for the round's read-back. */
export interface Parked {
  readonly scenario: Scenario;
  readonly request: ApiRequest;
  readonly exchange: Exchange;
  readonly before: JobState;
  /** A refusal is judged with the state read back after it. */
  readonly refusal: boolean;
}

/** An exchange to judge with the request's own expectation, and the states to judge it against. */
export interface Judgement {
  readonly exchange: Exchange;
  readonly before: JobState | undefined;
  readonly after: JobState | undefined;
}

interface Waiting {
  readonly parked: Parked;
  /** The member's clock (chain.ts): after the round it goes on from the round's end. */
  readonly clock: Clock | undefined;
  readonly resolve: (judgements: readonly Judgement[]) => void;
  readonly reject: (error: unknown) => void;
}

/** Counts, for the engine's progress and the tests. */
export interface SectionStats {
  /** Read-backs made (one per round). */
  rounds: number;
  /** Requests that parked for a read-back. */
  parked: number;
  /** Rounds whose read-back showed a change, replayed one at a time. */
  replayedRounds: number;
}

export class ProbeSection {
  private active = 0;
  private waiting: Waiting[] = [];
  private flushing = false;
  /** A 200 from another id (it may have been this job under another spelling): read the job again before trusting it. */
  private stale = false;
  private reading: Promise<JobState> | undefined;
  readonly stats: SectionStats = { rounds: 0, parked: 0, replayedRounds: 0 };

  /**
   * `ctx`: the lane's context (its job, its last known state). `owner`: the Scenario that sends and records the
   * section's own requests (the rounds' read-backs, the state read first, the put-back before a replay), so that each
   * case counts only what it sent itself; without one, the round's first member does.
   */
  constructor(
    private readonly ctx: Context,
    private readonly owner?: Scenario,
  ) {}

  /**
   * Runs every item as a member, all at once (the transport caps what is in flight), and settles when all have
   * ended; the first error (a case cut short) is thrown after the others have ended.
   */
  async run<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
    this.active += items.length;
    const settled = await sideBySide(items, async (item) => {
      try {
        await work(item);
      } finally {
        this.active -= 1;
        this.maybeFlush();
      }
    });
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /**
   * A member that fans out (a case's loop over its inputs) stops counting while its items run: they count instead.
   * Items end as members do; the first error is thrown after all have ended.
   */
  async fanOut<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
    this.active -= 1;
    try {
      await this.run(items, work);
    } finally {
      this.active += 1;
    }
  }

  /** The state of the job before this round's requests (read once, shared by the members that need it). */
  async state(scenario: Scenario): Promise<JobState> {
    if (this.ctx.known !== undefined && !this.stale) return this.ctx.known;
    this.reading ??= (async () => {
      try {
        this.stale = false;
        this.ctx.known = undefined;
        return await (this.owner ?? scenario).readJob();
      } finally {
        this.reading = undefined;
      }
    })();
    return this.reading;
  }

  /** A request to another id answered 200: the job's state is read again before the next member relies on it. */
  touchedElsewhere(): void {
    this.stale = true;
  }

  /** Waits for the round's read-back; returns what to judge the exchange with (and, after a replay, its replay). */
  park(parked: Parked): Promise<readonly Judgement[]> {
    this.stats.parked += 1;
    return new Promise((resolve, reject) => {
      const clock = currentClock();
      // Called from the round's flush: the member goes on from where the round (its read-back, its replay) ended.
      const catchUp = () => {
        const end = currentClock()?.t ?? 0;
        if (clock && clock.t < end) clock.t = end;
      };
      this.waiting.push({
        parked,
        clock,
        resolve: (judgements) => (catchUp(), resolve(judgements)),
        reject: (error) => (catchUp(), reject(error)),
      });
      this.maybeFlush();
    });
  }

  private maybeFlush(): void {
    if (this.flushing || this.waiting.length === 0 || this.waiting.length < this.active) return;
    this.flushing = true;
    const round = this.waiting.splice(0);
    // The read-back (and any replay) comes after the latest request of the round; each member goes on from its end.
    const clock: Clock = { t: Math.max(0, ...round.map((w) => w.clock?.t ?? 0)) };
    void within(clock, () => this.flush(round)).finally(() => {
      this.flushing = false;
      this.maybeFlush();
    });
  }

  private readRequest(scenario: Scenario): ApiRequest {
    return scenario.readRequest();
  }

  /** Reads the job back for a round, through one of its members (who records the read and its judgement). */
  private async readBack(round: Waiting[]): Promise<{ job: JobState | undefined; by: Waiting } | undefined> {
    const { owner } = this;
    if (owner !== undefined && round.length > 0) {
      // Twice at most: a read-back that got no answer is tried once more (its finding is the owner's); then the round's
      // members are cut short.
      for (let attempt = 1; ; attempt += 1) {
        try {
          const exchange = await owner.exchange(this.readRequest(owner), 'chain');
          owner.judge(exchange, { facts: owner.facts, expect: { kind: 'update', jobId: owner.run.jobId, changes: {} } });
          return { job: exchange.response.status === 200 ? jobOf(exchange.response) : undefined, by: round[0] as Waiting };
        } catch (error) {
          if (!(error instanceof ScenarioAborted) || attempt >= 2) {
            for (const w of round.splice(0)) w.reject(error);
            return undefined;
          }
        }
      }
    }
    while (round.length > 0) {
      const by = round[0] as Waiting;
      const { scenario } = by.parked;
      try {
        const exchange = await scenario.exchange(this.readRequest(scenario), 'chain');
        scenario.judge(exchange, { facts: scenario.facts, expect: { kind: 'update', jobId: scenario.run.jobId, changes: {} } });
        return { job: exchange.response.status === 200 ? jobOf(exchange.response) : undefined, by };
      } catch (error) {
        // No answer to the read-back: the member that sent it is cut short (its finding is recorded); the next reads.
        round.shift();
        by.reject(error);
      }
    }
    return undefined;
  }

  private async flush(round: Waiting[]): Promise<void> {
    try {
      this.stats.rounds += 1;
      const first = round[0]?.parked;
      const roundBefore = this.ctx.known ?? first?.before;
      const read = await this.readBack(round);
      if (read === undefined) return;
      if (read.job === undefined || roundBefore === undefined) {
        this.ctx.known = undefined;
        const why = new ScenarioAborted(`could not read job ${this.ctx.run.jobId} back: the case cannot judge state`);
        for (const w of round) w.reject(why);
        return;
      }
      const { facts } = this.ctx;
      if (changedFields(facts, facts.updatableFields, roundBefore, read.job).length === 0) {
        this.ctx.known = read.job;
        for (const w of round) {
          w.resolve([{ exchange: w.parked.exchange, before: w.parked.before, after: w.parked.refusal ? read.job : undefined }]);
        }
        return;
      }
      this.stats.replayedRounds += 1;
      await this.replay(round, roundBefore, read.job);
    } catch (error) {
      for (const w of round) w.reject(error);
    }
  }

  /** The round changed the job: put it back, then each request again, alone, read back after. */
  private async replay(round: Waiting[], before: JobState, seen: JobState): Promise<void> {
    const { facts } = this.ctx;
    const restorer = this.owner ?? (round[0] as Waiting).parked.scenario;
    const body = restoreBody(facts, snapshotOf(facts, this.ctx.run.jobId, before));
    let restored = false;
    try {
      const put = await restorer.exchange({ ...this.readRequest(restorer), body: JSON.stringify(body) }, 'chain');
      restorer.judge(put, {
        facts,
        expect: { kind: 'update', jobId: this.ctx.run.jobId, changes: changesOf(facts, body) },
        before: seen,
      });
      const job = put.response.status === 200 ? jobOf(put.response) : undefined;
      restored = job !== undefined && changedFields(facts, facts.updatableFields, before, job).length === 0;
      this.ctx.known = job;
    } catch (error) {
      if (!(error instanceof ScenarioAborted)) throw error;
    }
    const replays: Array<Judgement | undefined> = [];
    let named = false;
    for (const w of round) {
      if (!restored) {
        replays.push(undefined);
        continue;
      }
      const { scenario, request, refusal } = w.parked;
      const ahead = this.ctx.known ?? before;
      try {
        const again = await scenario.exchange(request, 'chain');
        const back = await scenario.exchange(this.readRequest(scenario), 'chain');
        scenario.judge(back, { facts, expect: { kind: 'update', jobId: this.ctx.run.jobId, changes: {} } });
        const after = back.response.status === 200 ? jobOf(back.response) : undefined;
        this.ctx.known = after;
        if (after !== undefined && changedFields(facts, facts.updatableFields, ahead, after).length > 0) named = true;
        replays.push({ exchange: again, before: ahead, after: refusal ? after : undefined });
      } catch (error) {
        if (!(error instanceof ScenarioAborted)) throw error;
        replays.push(undefined);
      }
    }
    round.forEach((w, i) => {
      const replay = replays[i];
      const { parked } = w;
      // Named: the original exchanges are judged by what they showed themselves, the replays by the states around them.
      // Not named (or the job could not be put back): every refusal of the round answers for the change seen.
      const original: Judgement = named
        ? { exchange: parked.exchange, before: parked.before, after: undefined }
        : { exchange: parked.exchange, before, after: parked.refusal ? seen : undefined };
      w.resolve(replay === undefined ? [original] : [original, replay]);
    });
  }
}
