/**
 * Progress for a person: one line per group in CI logs and a heartbeat whenever nothing was printed for 10 s (so a
 * paced run never looks hung), one rewritten line on a terminal; and no case progress once the restore has begun (what
 * follows is the restore's own output and the summary). A 429 wait shows while it lasts; a stop and the restore's
 * retries are lines of their own.
 */
import type { CaseRecord } from '../../src/case/record';
import type { ProgressEvent } from '../../src/run/run';
import { HEARTBEAT_EVERY_MS, progressPrinter } from '../../src/reports/progress';

const record = (suite: string): CaseRecord => ({ group: suite, case: `a ${suite} case`, tallies: {}, findings: [], requests: 2 });
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

/** A paced run as the engine reports it: a request ended every `everyMs`, a case every `perCase` requests. */
function pacedRun(printer: ReturnType<typeof progressPrinter>, options: { requests: number; everyMs: number; perCase: number; failingAt?: number }) {
  printer.onProgress({ kind: 'counters', counters: counters(1) });
  printer.onProgress({ kind: 'started', target: 't', jobId: 241, cases: Math.ceil(options.requests / options.perCase), requests: options.requests });
  let sent = 1;
  let done = 0;
  const timer = setInterval(() => {
    sent += 1;
    printer.onProgress({ kind: 'counters', counters: counters(sent) });
    if ((sent - 1) % options.perCase === 0) {
      done += 1;
      const findings = done === options.failingAt ? [{ checkId: 'x' } as unknown as CaseRecord['findings'][number]] : [];
      printer.onProgress({ kind: 'case', record: { ...record('properties'), findings }, done, total: Math.ceil(options.requests / options.perCase), failing: findings.length, counters: counters(sent) });
    }
    if (sent - 1 >= options.requests) clearInterval(timer);
  }, options.everyMs);
  return () => clearInterval(timer);
}

test(`outside a terminal, a run paced to 120 a minute (fake clock): a line within 15 s, then one at least every ${HEARTBEAT_EVERY_MS / 1000} s`, () => {
  jest.useFakeTimers();
  const lines: { at: number; text: string }[] = [];
  const t0 = Date.now();
  const printer = progressPrinter((text) => lines.push({ at: Date.now() - t0, text }), false, { perMinute: 120 });
  // 350 requests at 2 a second, one case of 50: about 175 s, as the run that looked hung.
  const end = pacedRun(printer, { requests: 350, everyMs: 500, perCase: 50, failingAt: 2 });
  jest.advanceTimersByTime(180_000);
  end();
  printer.stop();
  expect(lines[0]!.at).toBeLessThanOrEqual(15_000);
  const gaps = lines.slice(1).map((line, i) => line.at - lines[i]!.at);
  expect(Math.max(...gaps)).toBeLessThanOrEqual(HEARTBEAT_EVERY_MS);
  expect(lines.length).toBeGreaterThanOrEqual(175 / 10);
  // What a heartbeat says: sent of planned, findings so far, what it waits on, the time left at its pace.
  const beat = lines.find((line) => line.at >= 60_000 && line.text.startsWith('progress: '))!.text;
  expect(beat).toMatch(/^progress: \d+ of about 351 requests sent, cases \d\/7, 1 finding so far, waiting on the quota \(paced to 120 a minute\), about (1 min \d+|\d+) s left\n$/);
  const sent = Number(/^progress: (\d+)/.exec(beat)![1]);
  const left = /about (?:(\d+) min )?(\d+) s left/.exec(beat)!;
  // At 2 requests a second: the time left is what is left to send at that pace (within a second or two).
  expect(Math.abs(Number(left[1] ?? 0) * 60 + Number(left[2]) - (351 - sent) / 2)).toBeLessThanOrEqual(2);
});

test('outside a terminal: the heartbeat says when the run waits out a 429, and how long is left of it', () => {
  jest.useFakeTimers();
  const lines: string[] = [];
  const printer = progressPrinter((text) => lines.push(text), false);
  printer.onProgress({ kind: 'started', target: 't', jobId: 241, cases: 3, requests: 9 });
  printer.onProgress({ kind: 'counters', counters: counters(3) });
  printer.onProgress({ kind: 'wait', ms: 60_000, said: 'Retry-After: "60"' });
  jest.advanceTimersByTime(HEARTBEAT_EVERY_MS);
  expect(lines.at(-1)).toMatch(/^progress: 3 of about 9 requests sent, cases 0\/3, 0 findings so far, waiting out a 429 \(Retry-After: "60"\): 5\d s left, about 1 min \d+ s left\n$/);
  printer.stop();
  const count = lines.length;
  jest.advanceTimersByTime(4 * HEARTBEAT_EVERY_MS);
  expect(lines.length).toBe(count); // stopped: silent
});

test('outside a terminal: while the job is put back, the heartbeat says what the restore is doing', () => {
  jest.useFakeTimers();
  const lines: string[] = [];
  const printer = progressPrinter((text) => lines.push(text), false);
  printer.onProgress({ kind: 'started', target: 't', jobId: 241, cases: 3, requests: 9 });
  printer.onProgress({ kind: 'restoring', jobId: 241, inFlight: 0 });
  jest.advanceTimersByTime(HEARTBEAT_EVERY_MS);
  expect(lines.at(-1)).toBe('progress: still putting job 241 back\n');
  printer.onProgress({ kind: 'restore-step', step: { kind: 'retry-wait', what: 'the restoring PUT', attempt: 1, waitMs: 60_000, why: 'status 429, Retry-After: "60"', leftMs: 110_000 } });
  jest.advanceTimersByTime(HEARTBEAT_EVERY_MS);
  expect(lines.at(-1)).toMatch(/^progress: still putting the job back: the restoring PUT got status 429, Retry-After: "60"; trying again/);
  printer.stop();
});

test('on a terminal: no heartbeat lines, only the rewritten line', () => {
  jest.useFakeTimers();
  let screen = '';
  const printer = progressPrinter((text) => (screen += text), true, { perMinute: 120 });
  const end = pacedRun(printer, { requests: 60, everyMs: 500, perCase: 20 });
  jest.advanceTimersByTime(40_000);
  end();
  printer.stop();
  expect(screen).not.toMatch(/progress: /);
  expect(screen.split('\r\x1b[K').length).toBeGreaterThan(40_000 / 500 / 2);
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
