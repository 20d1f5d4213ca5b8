/**
 * Progress for a person: one line per group in CI logs, one rewritten line on a terminal; and no progress line once
 * the restore has begun (what follows is the restore's own output and the summary). A 429 wait shows while it lasts;
 * a stop and the restore's retries are lines of their own.
 */
import type { CaseRecord } from '../../src/case/record';
import type { ProgressEvent } from '../../src/run/run';
import { progressPrinter, WAIT_LINE_EVERY_MS } from '../../src/reports/progress';

const record = (suite: string): CaseRecord => ({ suite, scenario: `a ${suite} case`, tallies: {}, findings: [], requests: 2 });
const counters = (sent: number) => ({ sent, throttled: 0, timeouts: 0 });
const caseEvent = (suite: string, done: number): ProgressEvent => ({
  kind: 'case',
  record: record(suite),
  done,
  total: 3,
  failing: 0,
  counters: counters(done * 2),
});

const RUN: readonly ProgressEvent[] = [
  { kind: 'started', target: 'http://127.0.0.1:1', jobId: 241, cases: 3, requests: 6 },
  caseEvent('schema', 1),
  caseEvent('schema', 2),
  caseEvent('ids', 3),
  { kind: 'restoring', jobId: 241, inFlight: 0 },
];

/** Events a late case might still send after the restore began (a case in flight when the run was interrupted). */
const LATE: readonly ProgressEvent[] = [caseEvent('auth', 3), caseEvent('properties', 3)];

function printed(tty: boolean, events: readonly ProgressEvent[]): string {
  let text = '';
  const printer = progressPrinter((chunk) => (text += chunk), tty);
  for (const event of events) printer.onProgress(event);
  printer.stop();
  return text;
}

test('in a CI log: one line per group, counting cases, the last when the restore begins', () => {
  expect(printed(false, RUN)).toBe(
    'schema: cases 2/3 done, 0 failing · 4 requests sent · 0 throttled\n' +
      'ids: cases 3/3 done, 0 failing · 6 requests sent · 0 throttled\n',
  );
});

test.each([false, true])('no progress line once the restore has begun (terminal: %p)', (tty) => {
  const untilRestore = printed(tty, RUN);
  expect(printed(tty, [...RUN, ...LATE])).toBe(untilRestore);
  // Log lines (the restore's own) still print.
  expect(printed(tty, [...RUN, { kind: 'log', line: 'job 241: restored' }])).toBe(`${untilRestore}job 241: restored\n`);
});

afterEach(() => {
  jest.useRealTimers();
});

test('outside a terminal: a line every 15 s while a long 429 wait lasts, none once it is over', () => {
  jest.useFakeTimers();
  const lines: string[] = [];
  const printer = progressPrinter((text) => lines.push(text), false);
  printer.onProgress({ kind: 'started', target: 't', jobId: 241, cases: 3, requests: 9 });
  printer.onProgress({ kind: 'wait', ms: 60_000, said: 'Retry-After: "60"' });
  jest.advanceTimersByTime(WAIT_LINE_EVERY_MS);
  expect(lines.at(-1)).toBe('still waiting out a 429: 45 s left\n');
  jest.advanceTimersByTime(2 * WAIT_LINE_EVERY_MS);
  expect(lines.at(-1)).toBe('still waiting out a 429: 15 s left\n');
  const count = lines.length;
  jest.advanceTimersByTime(4 * WAIT_LINE_EVERY_MS);
  expect(lines.length).toBe(count); // the wait is over: silent again
  printer.stop();
});

test('on a terminal: the rewritten line counts the wait down', () => {
  jest.useFakeTimers();
  let screen = '';
  const printer = progressPrinter((text) => (screen += text), true);
  printer.onProgress({ kind: 'started', target: 't', jobId: 241, cases: 3, requests: 9 });
  printer.onProgress({ kind: 'wait', ms: 30_000, said: 'Retry-After: "30"' });
  jest.advanceTimersByTime(10_000);
  expect(screen.split('\r\x1b[K').at(-1)).toMatch(/waiting out a 429: 20 s left$/);
  printer.stop();
});

test('a stop and a restore retry are lines of their own', () => {
  const lines: string[] = [];
  const printer = progressPrinter((text) => lines.push(text), false);
  printer.onProgress({ kind: 'stopping', reason: 'the run reached --max-duration (4 s)', inFlight: 2 });
  printer.onProgress({ kind: 'restoring', jobId: 241, inFlight: 0 });
  printer.onProgress({ kind: 'restore-step', step: { kind: 'retry-wait', what: 'the restoring PUT', attempt: 1, waitMs: 1_000, why: 'status 503', leftMs: 119_000 } });
  expect(lines).toEqual([
    'the run reached --max-duration (4 s): stopping; nothing more is sent (a 429 wait is called off), 2 request(s) on the wire end first (within --timeout-ms), then the job is put back\n',
    'restore: the restoring PUT got status 503; trying again in 1 s (119 s left of --restore-timeout)\n',
  ]);
});
