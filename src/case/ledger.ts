/**
 * What a case comes to as it runs: each check's tally and the findings, redacted as they are recorded. A case judges
 * every exchange through its ledger; inside `capture` the ledger collects the evaluations instead of recording them
 * (a property decides afterwards which to keep). A fork's ledger records into its parent's.
 */
import type { Exchange } from '../http/request';
import type { Check, Oracle } from '../checks/types';
import { redactFinding, type Finding, type Replay } from './finding';
import { evaluate, type Evaluation, type Where } from './judge';
import { addVerdicts, type CheckTally } from './record';

export class CaseLedger {
  readonly tallies: Record<string, CheckTally> = {};
  readonly findings: Finding[] = [];
  private sink: Evaluation[] | undefined;

  constructor(
    private readonly checks: readonly Check[],
    private readonly where: Where,
    private readonly redact: (text: string) => string,
    /** A fork's: its records are its parent's. */
    private readonly parent?: CaseLedger,
  ) {}

  /** A ledger of the same case whose records are this one's (a property example run beside others). */
  fork(): CaseLedger {
    return new CaseLedger(this.checks, this.where, this.redact, this);
  }

  /** Every check's verdict on the exchange, without recording it. */
  evaluate(exchange: Exchange, oracle: Oracle): Evaluation {
    return evaluate(this.checks, exchange, oracle, this.where);
  }

  /** Judges and records (or, inside `capture`, collects). */
  assess(exchange: Exchange, oracle: Oracle): Evaluation {
    const evaluation = this.evaluate(exchange, oracle);
    if (this.sink) this.sink.push(evaluation);
    else this.record(evaluation);
    return evaluation;
  }

  /** Runs `body`, returning the evaluations it produced instead of recording them. */
  async capture(body: () => Promise<void>): Promise<Evaluation[]> {
    const outer = this.sink;
    const sink: Evaluation[] = [];
    this.sink = sink;
    try {
      await body();
    } finally {
      this.sink = outer;
    }
    return sink;
  }

  record(evaluation: Evaluation, replay?: Replay): void {
    if (this.parent) return this.parent.record(evaluation, replay);
    addVerdicts(this.tallies, evaluation.verdicts, evaluation.durationMs ?? 0);
    for (const finding of evaluation.findings) this.findings.push(redactFinding(replay ? { ...finding, replay } : finding, this.redact));
  }
}
