/**
 * Progress of a run for a person, from the engine's onProgress events: on a terminal one line rewritten every 500 ms
 * (a property case runs for seconds); elsewhere (CI logs) one line per group. A 429 wait shows while it lasts: on a
 * terminal as a countdown in the line, elsewhere a line every WAIT_LINE_EVERY_MS. A stop (signal, deadline) and the
 * restore's retries are lines of their own. Case lines stop once the restore begins.
 */
import type { ProgressEvent } from '../run/run';
import type { TransportCounters } from '../http/transport';

export interface ProgressPrinter {
  readonly onProgress: (event: ProgressEvent) => void;
  /** Ends the rewritten line, if any. */
  stop(): void;
}

/** Outside a terminal, a line this often while a 429 wait lasts. */
export const WAIT_LINE_EVERY_MS = 15_000;

export function progressPrinter(write: (text: string) => void, tty: boolean): ProgressPrinter {
  let waitUntil = 0;
  let waitTicker: NodeJS.Timeout | undefined;
  const waitLeft = () => Math.max(0, Math.ceil((waitUntil - Date.now()) / 1000));
  const endWait = () => {
    if (waitTicker) clearInterval(waitTicker);
    waitTicker = undefined;
  };
  let done = 0;
  let total = 0;
  let failing = 0;
  let counters: Readonly<TransportCounters> = { sent: 0, throttled: 0, timeouts: 0 };
  let suite: string | undefined;
  let stopped = false;
  let ticker: NodeJS.Timeout | undefined;
  const line = () =>
    `cases ${done}/${total} done, ${failing} failing · ${counters.sent} requests sent · ${counters.throttled} throttled` +
    (waitLeft() > 0 ? ` · waiting out a 429: ${waitLeft()} s left` : '');
  const rewrite = () => write(`\r\x1b[K${line()}`);
  const stop = () => {
    if (stopped) return;
    stopped = true;
    endWait();
    if (ticker) clearInterval(ticker);
    ticker = undefined; // the line is ended: later log lines need not clear it
    if (tty && total > 0) write(`\r\x1b[K${line()}\n`);
    else if (suite !== undefined) write(`${suite}: ${line()}\n`);
  };
  return {
    onProgress(event) {
      switch (event.kind) {
        case 'log':
          write(`${tty && ticker ? '\r\x1b[K' : ''}${event.line}\n`);
          return;
        case 'started':
          total = event.cases;
          if (tty) ticker = setInterval(rewrite, 500).unref();
          return;
        case 'case':
          if (stopped) return;
          if (!tty && suite !== undefined && event.record.suite !== suite) write(`${suite}: ${line()}\n`);
          ({ done, total, failing, counters } = event);
          suite = event.record.suite;
          if (tty) rewrite();
          return;
        case 'wait':
          waitUntil = Math.max(waitUntil, Date.now() + event.ms);
          if (!tty && waitTicker === undefined && event.ms > WAIT_LINE_EVERY_MS) {
            waitTicker = setInterval(() => {
              if (waitLeft() <= 0) return endWait();
              write(`still waiting out a 429: ${waitLeft()} s left\n`);
            }, WAIT_LINE_EVERY_MS).unref();
          }
          return;
        case 'stopping':
          endWait();
          waitUntil = 0;
          write(`${tty && ticker ? '\r\x1b[K' : ''}${event.reason}: stopping; nothing more is sent (a 429 wait is called off), ${event.inFlight} request(s) on the wire end first (within --timeout-ms), then the job is put back\n`);
          return;
        case 'restoring':
          stop();
          return;
        case 'restore-step':
          if (event.step.kind === 'retry-wait') {
            write(`restore: ${event.step.what} got ${event.step.why}; trying again in ${Math.round(event.step.waitMs / 100) / 10} s (${Math.round(event.step.leftMs / 1000)} s left of --restore-timeout)\n`);
          } else if (event.step.kind === 'settle-wait') {
            write(`restore: ${event.step.unanswered} write(s) of the run got no answer and may still land; reading the job again in ${Math.round(event.step.waitMs / 1000)} s\n`);
          }
          return;
      }
    },
    stop,
  };
}
