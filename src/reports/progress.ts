/**
 * Progress of a run for a person, from the engine's onProgress events: on a terminal one line rewritten every 500 ms;
 * in a CI log one line per group and a heartbeat at least every 10 s.
 *
 * On a terminal the line is rewritten every 500 ms (a property case runs for seconds), a 429 wait counted down in it.
 * Elsewhere (a CI log, where a silent minute looks like a hang): one line per group as it ends, and a heartbeat line
 * whenever nothing was printed for HEARTBEAT_EVERY_MS: requests sent of those planned, findings so far, what the run
 * waits on (the quota it is paced to, a 429's Retry-After) and the time left at the pace so far; while the job is put
 * back, what the restore is doing.
 *
 * A stop (signal, deadline) and the restore's retries are lines of their own. Case lines stop once the restore begins.
 */
import type { ProgressEvent } from '../run/run';
import type { TransportCounters } from '../http/transport';

export interface ProgressPrinter {
  readonly onProgress: (event: ProgressEvent) => void;
  /** Ends the rewritten line, if any, and the heartbeat. */
  stop(): void;
}

export interface ProgressOptions {
  /** Requests a minute the run is paced to (--rate, or the documented quota); undefined when it is not paced. */
  readonly perMinute?: number | undefined;
}

/** Outside a terminal, a line at least this often (the heartbeat), whatever the run is doing. */
export const HEARTBEAT_EVERY_MS = 10_000;
/** How often the heartbeat looks; a line comes once the silence is within one look of HEARTBEAT_EVERY_MS. */
const HEARTBEAT_LOOK_MS = 500;
/** Slack kept below HEARTBEAT_EVERY_MS for a busy event loop (a timer can fire late). */
const HEARTBEAT_SLACK_MS = 2_000;

/** `2 min 5 s`, `40 s`. */
export function duration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** The run as the progress lines tell it: counts, the wait, the plan's start, the restore. */
class ProgressState {
  done = 0;
  total = 0;
  failing = 0;
  findings = 0;
  counters: Readonly<TransportCounters> = { sent: 0, throttled: 0, timeouts: 0 };
  /** When the plan started (after the first reads), the requests sent by then, and the requests it plans. */
  started: { readonly at: number; readonly sent: number; readonly planned: number } | undefined;
  /** The group of the last case that ended. */
  group: string | undefined;
  casesOver = false;
  /** What the restore is doing, once it began. */
  restoring: string | undefined;
  waitUntil = 0;
  waitSaid = '';

  waitLeft(): number {
    return Math.max(0, Math.ceil((this.waitUntil - Date.now()) / 1000));
  }

  counted(counters: Readonly<TransportCounters>): void {
    if (counters.sent >= this.counters.sent) this.counters = counters;
  }

  /** The live line, and a group's line in a log. */
  line(): string {
    const { done, total, failing, counters } = this;
    const wait = this.waitLeft();
    return `cases ${done}/${total} done, ${failing} failing · ${counters.sent} requests sent · ${counters.throttled} throttled` + (wait > 0 ? ` · waiting out a 429: ${wait} s left` : '');
  }

  /** The heartbeat's line: where the run is, what it waits on, how long it has left at its pace so far. */
  heartbeatLine(perMinuteAllowed: number | undefined): string {
    const { started, counters, findings } = this;
    if (this.restoring !== undefined) return `still ${this.restoring}`;
    if (started === undefined) return `starting: the first reads of the job (${counters.sent} requests sent)`;
    const planned = started.sent + started.planned;
    const parts = [`${counters.sent} of about ${planned} requests sent`, `cases ${this.done}/${this.total}`, `${findings} ${findings === 1 ? 'finding' : 'findings'} so far`];
    const sentSince = counters.sent - started.sent;
    const elapsed = Date.now() - started.at;
    const perMinute = sentSince > 0 && elapsed > 0 ? (sentSince * 60_000) / elapsed : undefined;
    if (this.waitLeft() > 0) parts.push(`waiting out a 429 (${this.waitSaid}): ${this.waitLeft()} s left`);
    else if (perMinuteAllowed !== undefined && perMinute !== undefined && perMinute >= 0.8 * perMinuteAllowed) {
      parts.push(`waiting on the quota (paced to ${perMinuteAllowed} a minute)`);
    }
    const remaining = Math.max(0, planned - counters.sent);
    if (perMinute !== undefined && perMinute > 0) {
      const left = (remaining * 60_000) / perMinute + this.waitLeft() * 1000;
      parts.push(remaining === 0 ? 'finishing' : `about ${duration(left)} left`);
    }
    return parts.join(', ');
  }

  /** What the restore is doing, for the heartbeat; and the line to print now, if any. */
  restoreStep(step: Extract<ProgressEvent, { kind: 'restore-step' }>['step']): string | undefined {
    if (step.kind === 'retry-wait') {
      this.restoring = `putting the job back: ${step.what} got ${step.why}; trying again in a moment (${Math.round(step.leftMs / 1000)} s left of --restore-timeout)`;
      return `restore: ${step.what} got ${step.why}; trying again in ${Math.round(step.waitMs / 100) / 10} s (${Math.round(step.leftMs / 1000)} s left of --restore-timeout)\n`;
    }
    if (step.kind === 'settle-wait') {
      this.restoring = `putting the job back: waiting for ${step.unanswered} unanswered write(s) that may still land`;
      return `restore: ${step.unanswered} write(s) of the run got no answer and may still land; reading the job again in ${Math.round(step.waitMs / 1000)} s\n`;
    }
    this.restoring = `putting the job back: ${step.what}, try ${step.attempt}`;
    return undefined;
  }
}

/** Prints a run's progress: on a terminal the live line; elsewhere a line per group and the heartbeat. */
class Printer implements ProgressPrinter {
  private readonly state = new ProgressState();
  private lastWrite = Date.now();
  private ticker: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    private readonly write: (text: string) => void,
    private readonly tty: boolean,
    private readonly options: ProgressOptions,
  ) {
    if (!tty) {
      this.heartbeat = setInterval(() => {
        if (Date.now() - this.lastWrite >= HEARTBEAT_EVERY_MS - HEARTBEAT_SLACK_MS) this.print(`progress: ${this.state.heartbeatLine(options.perMinute)}\n`);
      }, HEARTBEAT_LOOK_MS).unref();
    }
  }

  private print(text: string): void {
    this.lastWrite = Date.now();
    this.write(text);
  }

  /** A line of its own: on a terminal, the live line is cleared first. */
  private printLine(text: string): void {
    this.print(`${this.tty && this.ticker ? '\r\x1b[K' : ''}${text}\n`);
  }

  private rewrite(): void {
    this.write(`\r\x1b[K${this.state.line()}`);
  }

  /** The case progress is over (the restore began): the live line is ended, the last group's line printed. */
  private endCases(): void {
    const { state } = this;
    if (state.casesOver) return;
    state.casesOver = true;
    state.waitUntil = 0;
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined; // the line is ended: later log lines need not clear it
    if (this.tty && state.total > 0) this.print(`\r\x1b[K${state.line()}\n`);
    else if (state.group !== undefined) this.print(`${state.group}: ${state.line()}\n`);
  }

  stop(): void {
    this.endCases();
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  readonly onProgress = (event: ProgressEvent): void => {
    const { state } = this;
    switch (event.kind) {
      case 'log':
        return this.printLine(event.line);
      case 'started':
        state.total = event.cases;
        state.started = { at: Date.now(), sent: state.counters.sent, planned: event.requests };
        if (this.tty) this.ticker = setInterval(() => this.rewrite(), 500).unref();
        return;
      case 'counters':
        return state.counted(event.counters);
      case 'case':
        return this.caseEnded(event);
      case 'wait':
        if (Date.now() + event.ms >= state.waitUntil) {
          state.waitUntil = Date.now() + event.ms;
          state.waitSaid = event.said;
        }
        return;
      case 'stopping':
        state.waitUntil = 0;
        return this.printLine(
          `${event.reason}: stopping; nothing more is sent (a 429 wait is called off), ${event.inFlight} request(s) on the wire end first (within --timeout-ms), then the job is put back`,
        );
      case 'restoring':
        this.endCases();
        state.restoring = `putting job ${event.jobId} back`;
        return;
      case 'restore-step': {
        const line = state.restoreStep(event.step);
        if (line !== undefined) this.print(line);
        return;
      }
    }
  };

  private caseEnded(event: Extract<ProgressEvent, { kind: 'case' }>): void {
    const { state } = this;
    if (state.casesOver) return;
    if (!this.tty && state.group !== undefined && event.record.group !== state.group) this.print(`${state.group}: ${state.line()}\n`);
    ({ done: state.done, total: state.total, failing: state.failing } = event);
    state.counted(event.counters);
    state.findings += event.record.findings.length;
    state.group = event.record.group;
    if (this.tty) this.rewrite();
  }
}

export function progressPrinter(write: (text: string) => void, tty: boolean, options: ProgressOptions = {}): ProgressPrinter {
  return new Printer(write, tty, options);
}
