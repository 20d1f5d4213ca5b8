/**
 * A probe section: requests that must not change the job (refusals of invalid data, credentials and ids, reads, the
 * probes of groups 3-5 and the property examples that expect no change) sent concurrently, and ONE read-back of the
 * job proving that none of them wrote, instead of one read-back after each.
 *
 * It works like a group commit. Each member (a case, an input of a case's loop, a property example) sends its request
 * at once; a request to the job then parks until every member still running has parked too (or ended); the section
 * reads the job back once and hands each parked member what the sequential run would have had: the state before and,
 * for a refusal, the state after. When the read-back shows a change, the job is put back as it was before the round and
 * the round's requests are sent again one at a time, each read back after, so that the one that wrote is named by its
 * own finding (as the sequential run would have named it); if none writes on its own, every refusal of the round is
 * judged against the change seen. No write is ever in flight during a section: the run schedules sections between the
 * ordered cases of a lane, and a property runs its writes after its section.
 */
import type { JobState } from '../../checks/types';
import { changedFields, changesOf, jobOf } from '../../checks/values';
import { chainNow, sideBySide, within, type Clock } from '../../case/clock';
import type { Judgement, Lane, Parked, Replayer, Section, SectionOwner } from '../../case/context';
import { CaseAborted } from '../../case/errors';
import { restoreBody, snapshotOf } from '../job-guard';

interface Waiting {
  readonly parked: Parked;
  readonly replay: Replayer;
  /** Where the member's chain was when it parked: the round's read-back comes after the latest of them. */
  readonly at: number;
  readonly resolve: (outcome: { judgements: readonly Judgement[]; endedAt: number }) => void;
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

export class ProbeSection implements Section {
  private active = 0;
  private waiting: Waiting[] = [];
  private flushing = false;
  /** A 200 from another id (it may have been this job under another spelling): read the job again before trusting it. */
  private stale = false;
  private reading: Promise<JobState> | undefined;
  readonly stats: SectionStats = { rounds: 0, parked: 0, replayedRounds: 0 };

  /**
   * `lane`: the job the section's members probe (its last known state is the section's to keep). `owner`: the case
   * that sends and records the section's own requests (the rounds' read-backs, the put-back before a replay), so that
   * each member case counts only what it sent itself.
   */
  constructor(
    private readonly lane: Lane,
    private readonly owner: SectionOwner,
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

  /** A member that fans out (a case's loop over its inputs) stops counting while its inputs run: they count instead. */
  async fanOut<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
    this.active -= 1;
    try {
      await this.run(items, work);
    } finally {
      this.active += 1;
    }
  }

  async state(): Promise<JobState> {
    if (this.lane.known !== undefined && !this.stale) return this.lane.known;
    this.reading ??= (async () => {
      try {
        this.stale = false;
        this.lane.known = undefined;
        return await this.readState();
      } finally {
        this.reading = undefined;
      }
    })();
    return this.reading;
  }

  touchedElsewhere(): void {
    this.stale = true;
  }

  park(parked: Parked, replay: Replayer): Promise<{ judgements: readonly Judgement[]; endedAt: number }> {
    this.stats.parked += 1;
    return new Promise((resolve, reject) => {
      this.waiting.push({ parked, replay, at: chainNow(), resolve, reject });
      this.maybeFlush();
    });
  }

  private maybeFlush(): void {
    if (this.flushing || this.waiting.length === 0 || this.waiting.length < this.active) return;
    this.flushing = true;
    const round = this.waiting.splice(0);
    // The read-back (and any replay) comes after the latest request of the round; each member goes on from its end.
    const clock: Clock = { t: Math.max(0, ...round.map((w) => w.at)) };
    void within(clock, () => this.flush(round, clock)).finally(() => {
      this.flushing = false;
      this.maybeFlush();
    });
  }

  /** The job read by the owner (judged as a no-op update); undefined when it did not return a Job. */
  private async readOnce(): Promise<JobState | undefined> {
    const exchange = await this.owner.exchange(this.owner.readRequest(), 'chain');
    this.owner.assess(exchange, { facts: this.owner.facts, expect: { kind: 'update', jobId: this.lane.jobId, changes: {} } });
    return exchange.response.status === 200 ? jobOf(exchange.response) : undefined;
  }

  private async readState(): Promise<JobState> {
    const job = await this.readOnce();
    this.lane.known = job;
    if (job === undefined) throw new CaseAborted(`could not read job ${this.lane.jobId}: the case cannot judge state`);
    return job;
  }

  /** The round's read-back: tried twice (a read-back that got no answer has its finding); then the round is cut short. */
  private async readBack(round: readonly Waiting[]): Promise<JobState | undefined | 'failed'> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.readOnce();
      } catch (error) {
        if (!(error instanceof CaseAborted) || attempt >= 2) {
          for (const w of round) w.reject(error);
          return 'failed';
        }
      }
    }
  }

  private async flush(round: Waiting[], clock: Clock): Promise<void> {
    try {
      this.stats.rounds += 1;
      const roundBefore = this.lane.known ?? round[0]?.parked.before;
      const read = await this.readBack(round);
      if (read === 'failed') return;
      if (read === undefined || roundBefore === undefined) {
        this.lane.known = undefined;
        const why = new CaseAborted(`could not read job ${this.lane.jobId} back: the case cannot judge state`);
        for (const w of round) w.reject(why);
        return;
      }
      const { facts } = this.owner;
      if (changedFields(facts, facts.updatableFields, roundBefore, read).length === 0) {
        this.lane.known = read;
        for (const w of round) {
          const { exchange, before, refusal } = w.parked;
          w.resolve({ judgements: [{ exchange, before, after: refusal ? read : undefined }], endedAt: clock.t });
        }
        return;
      }
      this.stats.replayedRounds += 1;
      await this.replay(round, roundBefore, read, clock);
    } catch (error) {
      for (const w of round) w.reject(error);
    }
  }

  /** Puts the job back as it was before the round; whether the put-back shows it so. */
  private async putBack(before: JobState, seen: JobState): Promise<boolean> {
    const { facts } = this.owner;
    const body = restoreBody(facts, snapshotOf(facts, this.lane.jobId, before));
    try {
      const put = await this.owner.exchange({ ...this.owner.readRequest(), body: JSON.stringify(body) }, 'chain');
      this.owner.assess(put, { facts, expect: { kind: 'update', jobId: this.lane.jobId, changes: changesOf(facts, body) }, before: seen });
      const job = put.response.status === 200 ? jobOf(put.response) : undefined;
      this.lane.known = job;
      return job !== undefined && changedFields(facts, facts.updatableFields, before, job).length === 0;
    } catch (error) {
      if (!(error instanceof CaseAborted)) throw error;
      return false;
    }
  }

  /** The round changed the job: put it back, then each request again, alone, read back after. */
  private async replay(round: readonly Waiting[], before: JobState, seen: JobState, clock: Clock): Promise<void> {
    const { facts } = this.owner;
    const restored = await this.putBack(before, seen);
    const replays: Array<Judgement | undefined> = [];
    let named = false;
    for (const w of round) {
      if (!restored) {
        replays.push(undefined);
        continue;
      }
      const ahead = this.lane.known ?? before;
      try {
        const { judgement, after } = await w.replay(w.parked.request);
        if (after !== undefined && changedFields(facts, facts.updatableFields, ahead, after).length > 0) named = true;
        replays.push({ ...judgement, before: judgement.before ?? ahead });
      } catch (error) {
        if (!(error instanceof CaseAborted)) throw error;
        replays.push(undefined);
      }
    }
    round.forEach((w, i) => {
      const replayed = replays[i];
      const { parked } = w;
      // Named: the original exchanges are judged by what they showed themselves, the replays by the states around them.
      // Not named (or the job could not be put back): every refusal of the round answers for the change seen.
      const original: Judgement = named
        ? { exchange: parked.exchange, before: parked.before, after: undefined }
        : { exchange: parked.exchange, before, after: parked.refusal ? seen : undefined };
      w.resolve({ judgements: replayed === undefined ? [original] : [original, replayed], endedAt: clock.t });
    });
  }
}
