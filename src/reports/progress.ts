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

export function progressPrinter(write: (text: string) => void, tty: boolean, options: ProgressOptions = {}): ProgressPrinter {
  let lastWrite = Date.now();
  const print = (text: string) => {
    lastWrite = Date.now();
    write(text);
  };
  let waitUntil = 0;
  let waitSaid = '';
  const waitLeft = () => Math.max(0, Math.ceil((waitUntil - Date.now()) / 1000));
  let done = 0;
  let total = 0;
  let failing = 0;
  let findings = 0;
  let counters: Readonly<TransportCounters> = { sent: 0, throttled: 0, timeouts: 0 };
  /** When the plan started (after the first reads), the requests sent by then, and the requests it plans. */
  let started: { readonly at: number; readonly sent: number; readonly planned: number } | undefined;
  let group: string | undefined;
  let casesOver = false;
  let restoring: string | undefined;
  let ticker: NodeJS.Timeout | undefined;
  let heartbeat: NodeJS.Timeout | undefined;

  const line = () =>
    `cases ${done}/${total} done, ${failing} failing · ${counters.sent} requests sent · ${counters.throttled} throttled` +
    (waitLeft() > 0 ? ` · waiting out a 429: ${waitLeft()} s left` : '');
  const rewrite = () => write(`\r\x1b[K${line()}`);

  /** The heartbeat's line: where the run is, what it waits on, how long it has left at its pace so far. */
  const heartbeatLine = (): string => {
    if (restoring !== undefined) return `still ${restoring}`;
    if (started === undefined) return `starting: the first reads of the job (${counters.sent} requests sent)`;
    const now = Date.now();
    const planned = started.sent + started.planned;
    const parts = [`${counters.sent} of about ${planned} requests sent`, `cases ${done}/${total}`, `${findings} ${findings === 1 ? 'finding' : 'findings'} so far`];
    const sentSince = counters.sent - started.sent;
    const elapsed = now - started.at;
    const perMinute = sentSince > 0 && elapsed > 0 ? (sentSince * 60_000) / elapsed : undefined;
    if (waitLeft() > 0) parts.push(`waiting out a 429 (${waitSaid}): ${waitLeft()} s left`);
    else if (options.perMinute !== undefined && perMinute !== undefined && perMinute >= 0.8 * options.perMinute) {
      parts.push(`waiting on the quota (paced to ${options.perMinute} a minute)`);
    }
    const remaining = Math.max(0, planned - counters.sent);
    if (perMinute !== undefined && perMinute > 0) {
      const left = (remaining * 60_000) / perMinute + waitLeft() * 1000;
      parts.push(remaining === 0 ? 'finishing' : `about ${duration(left)} left`);
    }
    return parts.join(', ');
  };
  if (!tty) {
    heartbeat = setInterval(() => {
      if (Date.now() - lastWrite >= HEARTBEAT_EVERY_MS - HEARTBEAT_SLACK_MS) print(`progress: ${heartbeatLine()}\n`);
    }, HEARTBEAT_LOOK_MS).unref();
  }

  /** The case progress is over (the restore began): the rewritten line is ended, the last group's line printed. */
  const endCases = () => {
    if (casesOver) return;
    casesOver = true;
    waitUntil = 0;
    if (ticker) clearInterval(ticker);
    ticker = undefined; // the line is ended: later log lines need not clear it
    if (tty && total > 0) print(`\r\x1b[K${line()}\n`);
    else if (group !== undefined) print(`${group}: ${line()}\n`);
  };
  const stop = () => {
    endCases();
    if (heartbeat) clearInterval(heartbeat);
    heartbeat = undefined;
  };
  return {
    onProgress(event) {
      switch (event.kind) {
        case 'log':
          print(`${tty && ticker ? '\r\x1b[K' : ''}${event.line}\n`);
          return;
        case 'started':
          total = event.cases;
          started = { at: Date.now(), sent: counters.sent, planned: event.requests };
          if (tty) ticker = setInterval(rewrite, 500).unref();
          return;
        case 'counters':
          if (event.counters.sent >= counters.sent) counters = event.counters;
          return;
        case 'case':
          if (casesOver) return;
          if (!tty && group !== undefined && event.record.group !== group) print(`${group}: ${line()}\n`);
          ({ done, total, failing } = event);
          if (event.counters.sent >= counters.sent) counters = event.counters;
          findings += event.record.findings.length;
          group = event.record.group;
          if (tty) rewrite();
          return;
        case 'wait':
          if (Date.now() + event.ms >= waitUntil) {
            waitUntil = Date.now() + event.ms;
            waitSaid = event.said;
          }
          return;
        case 'stopping':
          waitUntil = 0;
          print(`${tty && ticker ? '\r\x1b[K' : ''}${event.reason}: stopping; nothing more is sent (a 429 wait is called off), ${event.inFlight} request(s) on the wire end first (within --timeout-ms), then the job is put back\n`);
          return;
        case 'restoring':
          endCases();
          restoring = `putting job ${event.jobId} back`;
          return;
        case 'restore-step':
          if (event.step.kind === 'retry-wait') {
            restoring = `putting the job back: ${event.step.what} got ${event.step.why}; trying again in a moment (${Math.round(event.step.leftMs / 1000)} s left of --restore-timeout)`;
            print(`restore: ${event.step.what} got ${event.step.why}; trying again in ${Math.round(event.step.waitMs / 100) / 10} s (${Math.round(event.step.leftMs / 1000)} s left of --restore-timeout)\n`);
          } else if (event.step.kind === 'settle-wait') {
            restoring = `putting the job back: waiting for ${event.step.unanswered} unanswered write(s) that may still land`;
            print(`restore: ${event.step.unanswered} write(s) of the run got no answer and may still land; reading the job again in ${Math.round(event.step.waitMs / 1000)} s\n`);
          } else {
            restoring = `putting the job back: ${event.step.what}, try ${event.step.attempt}`;
          }
          return;
      }
    },
    stop,
  };
}
