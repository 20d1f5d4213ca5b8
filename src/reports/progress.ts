/**
 * Progress of a run for a person, from the engine's onProgress events: on a terminal one line rewritten every 500 ms
 * (a property case runs for seconds); elsewhere (CI logs) one line per group. Lines stop once the restore begins.
 */
import type { ProgressEvent } from '../engine/run';
import type { TransportCounters } from '../http/transport';

export interface ProgressPrinter {
  readonly onProgress: (event: ProgressEvent) => void;
  /** Ends the rewritten line, if any. */
  stop(): void;
}

export function progressPrinter(write: (text: string) => void, tty: boolean): ProgressPrinter {
  let done = 0;
  let total = 0;
  let failing = 0;
  let counters: Readonly<TransportCounters> = { sent: 0, throttled: 0, timeouts: 0 };
  let suite: string | undefined;
  let stopped = false;
  let ticker: NodeJS.Timeout | undefined;
  const line = () =>
    `cases ${done}/${total} done, ${failing} failing · ${counters.sent} requests sent · ${counters.throttled} throttled`;
  const rewrite = () => write(`\r\x1b[K${line()}`);
  const stop = () => {
    if (stopped) return;
    stopped = true;
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
        case 'restoring':
          stop();
          return;
      }
    },
    stop,
  };
}
