/**
 * A jest reporter for the conformance run: progress while it runs (cases done of total, requests sent, 429s), on one
 * rewritten line on a terminal, one line per suite otherwise (CI logs). Suites that fail to run at all are printed
 * with their error (that is a bug or a broken set-up, not a finding).
 */
import type { AggregatedResult, Test, TestCaseResult, TestResult } from '@jest/test-result';
import { sumCounters } from '../conformance/run-channel';

export interface ProgressOptions {
  readonly total: number;
  readonly runDir: string;
}

export default class ProgressReporter {
  private done = 0;
  private failed = 0;
  private readonly tty = process.stderr.isTTY === true;

  private readonly ticker: NodeJS.Timeout | undefined;

  constructor(
    _globalConfig: unknown,
    private readonly options: ProgressOptions,
  ) {
    // A property case runs for seconds: keep the request count moving on a terminal.
    this.ticker = this.tty ? setInterval(() => process.stderr.write(`\r\x1b[K${this.line()}`), 500).unref() : undefined;
  }

  private line(): string {
    const c = sumCounters(this.options.runDir);
    return `checks ${this.done}/${this.options.total} done, ${this.failed} failing · ${c.sent} requests sent · ${c.throttled} throttled`;
  }

  onTestCaseResult(_test: Test, result: TestCaseResult): void {
    this.done += 1;
    if (result.status === 'failed') this.failed += 1;
    if (this.tty) process.stderr.write(`\r\x1b[K${this.line()}`);
  }

  onTestFileResult(test: Test, result: TestResult): void {
    const suite = test.path.replace(/^.*[\\/]/, '').replace(/\.conformance\.ts$/, '').replace(/^\d+-/, '');
    if (result.testExecError) {
      process.stderr.write(`${this.tty ? '\n' : ''}suite ${suite} could not run: ${result.testExecError.message}\n`);
    }
    if (!this.tty) process.stderr.write(`${suite}: ${this.line()}\n`);
  }

  onRunComplete(_contexts: unknown, _results: AggregatedResult): void {
    if (this.ticker) clearInterval(this.ticker);
    if (this.tty) process.stderr.write(`\r\x1b[K${this.line()}\n`);
  }

  getLastError(): void {
    return undefined;
  }
}
