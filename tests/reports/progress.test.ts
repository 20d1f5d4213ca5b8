/**
 * Progress for a person: one line per group in CI logs, one rewritten line on a terminal; and no progress line once
 * the restore has begun (what follows is the restore's own output and the summary).
 */
import type { CaseRecord } from '../../src/conformance/records';
import type { ProgressEvent } from '../../src/engine/run';
import { progressPrinter } from '../../src/reports/progress';

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
