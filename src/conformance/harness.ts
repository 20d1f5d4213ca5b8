/**
 * What a conformance suite (a jest test file) runs on: the active run from the environment, the compiled contract
 * facts, one transport, the job's last known state, and `scenario()`, which turns one jest test into exchanges judged
 * by the registry's checks, recorded in the run directory as data, and thrown as one readable error if any failed.
 */
import type { ValidAuth, ApiRequest, Exchange } from '../http/request';
import { createRateLimiter } from '../http/rate-limiter';
import { createTransport, type Transport } from '../http/transport';
import type { Route } from '../http/target-url';
import { createValidators, loadValidators } from '../validation/validators';
import { checksFor } from './checks/registry';
import type { Check, CheckResult, Expectation, JobState, Oracle } from './checks/types';
import { jobOf } from './checks/values';
import { conformanceFacts, type ConformanceFacts } from './facts';
import { redactFinding, type Finding, type Replay } from './finding';
import { redactor } from '../reports/key-scan';
import { evaluate, type Evaluation } from './oracle';
import {
  appendCase,
  fileHealth,
  KEY_ENV,
  readActiveRun,
  readContract,
  countersWriter,
  type ActiveRun,
  type CheckTally,
} from './run-channel';
import { formatFinding } from '../reports/format';

/** The case cannot go on: the target did not answer, or the job could not be read. */
export class ScenarioAborted extends Error {
  override readonly name = 'ScenarioAborted';
}

export interface Context {
  readonly run: ActiveRun;
  readonly facts: ConformanceFacts;
  readonly route: Route;
  readonly checks: readonly Check[];
  readonly transport: Transport;
  /** Closes the transport and writes its final counters. */
  close(): Promise<void>;
  /** Removes the key from what a target echoed back, before anything is stored or shown. */
  readonly redact: (text: string) => string;
  /** The job's last known state (undefined: read it before relying on it). */
  known: JobState | undefined;
}

export interface SendOptions {
  readonly expect: Expectation;
  /** The state before; defaults to the last known (read first if unknown) where the expectation needs it. */
  readonly before?: JobState;
  readonly earlier?: Exchange;
  readonly otherMethod?: Exchange;
  /** Read the job back after a refusal (default true for refusals of a request to the run's job). */
  readonly readBack?: boolean;
}

/** One jest test: sends, judges, tallies. */
export class Scenario {
  readonly tallies: Record<string, CheckTally> = {};
  readonly findings: Finding[] = [];
  private readonly startedSent: number;

  constructor(
    readonly ctx: Context,
    readonly suite: string,
    readonly name: string,
  ) {
    this.startedSent = ctx.transport.counters.sent;
  }

  get facts(): ConformanceFacts {
    return this.ctx.facts;
  }
  get run(): ActiveRun {
    return this.ctx.run;
  }
  /** The valid auth that read the job at start-up. */
  get auth(): ValidAuth {
    return { kind: this.ctx.run.preferredAuth };
  }
  get jobSegment(): string {
    return String(this.ctx.run.jobId);
  }
  get requests(): number {
    return this.ctx.transport.counters.sent - this.startedSent;
  }

  /** Sends once; a timeout or a dead target aborts the case. */
  async exchange(request: ApiRequest): Promise<Exchange> {
    const outcome = await this.ctx.transport.send(request);
    switch (outcome.kind) {
      case 'response':
        return outcome.exchange;
      case 'timeout':
        throw new ScenarioAborted(`no answer within ${outcome.timeoutMs} ms to ${request.method} .../${request.idSegment}`);
      case 'network-error':
        throw new ScenarioAborted(`the target could not be reached: ${outcome.message}`);
      case 'target-down':
        throw new ScenarioAborted(`the target stopped answering earlier in the run (${outcome.reason}): nothing sent`);
    }
  }

  /** Reads the job with PUT `{}` (itself judged as a no-op update). */
  async readJob(): Promise<JobState> {
    const before = this.ctx.known;
    const request: ApiRequest = {
      method: this.facts.method,
      idSegment: this.jobSegment,
      body: '{}',
      contentType: 'application/json',
      auth: this.auth,
    };
    const exchange = await this.exchange(request);
    this.judge(exchange, { facts: this.facts, expect: { kind: 'update', jobId: this.run.jobId, changes: {} }, ...(before ? { before } : {}) });
    const job = exchange.response.status === 200 ? jobOf(exchange.response) : undefined;
    this.ctx.known = job;
    if (job === undefined) {
      throw new ScenarioAborted(`could not read job ${this.run.jobId} (status ${exchange.response.status}): the case cannot judge state`);
    }
    return job;
  }

  /** Sends a request and judges it with every check against its expectation. */
  async send(request: ApiRequest, options: SendOptions): Promise<Exchange> {
    const { expect } = options;
    const toJob = request.idSegment === this.jobSegment;
    const needsState =
      toJob &&
      (expect.kind === 'update' ||
        expect.kind === 'reject' ||
        expect.kind === 'unauthorized' ||
        (expect.kind === 'observe' && expect.ifAccepted !== undefined));
    let before = options.before;
    if (before === undefined && needsState) before = this.ctx.known ?? (await this.readJob());

    const exchange = await this.exchange(request);
    let after: JobState | undefined;
    const refusal = expect.kind === 'reject' || expect.kind === 'unauthorized';
    if (refusal && toJob && (options.readBack ?? true)) {
      this.ctx.known = undefined; // whatever happened, re-read
      after = await this.readJob();
    }
    this.judge(exchange, {
      facts: this.facts,
      expect,
      ...(before ? { before } : {}),
      ...(after ? { after } : {}),
      ...(options.earlier ? { earlier: options.earlier } : {}),
      ...(options.otherMethod ? { otherMethod: options.otherMethod } : {}),
    });
    if (toJob && !refusal) {
      // After an accepted update the Job returned is the new state; after anything else, read before trusting it.
      this.ctx.known = expect.kind === 'update' && exchange.response.status === 200 ? jobOf(exchange.response) : undefined;
    }
    if (!toJob && exchange.response.status === 200) this.ctx.known = undefined; // another id was updated: maybe ours
    return exchange;
  }

  /** Judges without recording (for a property's examples, which are recorded only if they fail). */
  evaluate(exchange: Exchange, oracle: Oracle): Evaluation {
    return evaluate(this.ctx.checks, exchange, oracle, { route: this.ctx.route, suite: this.suite, scenario: this.name });
  }

  private sink: Evaluation[] | undefined;

  /** Judges and records (or, inside capture(), collects). */
  judge(exchange: Exchange, oracle: Oracle): Evaluation {
    const evaluation = this.evaluate(exchange, oracle);
    if (this.sink) this.sink.push(evaluation);
    else this.record(evaluation);
    return evaluation;
  }

  /** Runs `body`, returning the evaluations it produced instead of recording them (a property decides). */
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
    for (const { checkId, result } of evaluation.verdicts) this.tally(checkId, result);
    for (const finding of evaluation.findings) {
      this.findings.push(redactFinding(replay ? { ...finding, replay } : finding, this.ctx.redact));
    }
  }

  tally(checkId: string, result: CheckResult): void {
    if (result.status === 'not-applicable') return;
    const tally = (this.tallies[checkId] ??= { pass: 0, fail: 0 });
    if (result.status === 'pass') tally.pass += 1;
    else tally.fail += 1;
  }
}

export interface ScenarioDef {
  readonly name: string;
  /** Requests it sends, about (for --dry-run and progress). */
  estimate(facts: ConformanceFacts, run: Pick<ActiveRun, 'config'>): number;
  /** True when it never touches the run's job: it may run concurrently with others. */
  readonly independent?: boolean;
  run(s: Scenario): Promise<void>;
}

async function openContext(): Promise<Context> {
  const run = readActiveRun();
  const apiKey = process.env[KEY_ENV];
  if (apiKey === undefined) throw new Error(`${KEY_ENV} is not set: the suites need the key in the environment`);
  const contract = readContract(run.runDir);
  const validators = contract === undefined ? await loadValidators() : createValidators(contract);
  const facts = conformanceFacts(validators);
  const route: Route = { baseUrl: run.targetUrl, pathTemplate: facts.operation.path, keyParameter: facts.keyParameter };
  const health = fileHealth(run.runDir);
  const suiteTag = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const counters = countersWriter(run.runDir, suiteTag);
  const transport = createTransport({
    route,
    apiKey,
    timeoutMs: run.config.timeoutMs,
    limiter: createRateLimiter({
      perMinute: run.config.rate.kind === 'per-minute' ? run.config.rate.perMinute : undefined,
      concurrency: run.config.concurrency,
    }),
    throttleWaitMs: run.throttleWaitMs,
    health,
    onCounters: (latest) => counters.update(latest),
  });
  const close = async () => {
    try {
      await transport.close();
    } finally {
      counters.flush();
    }
  };
  return { run, facts, route, checks: checksFor(run.config.checks), transport, close, redact: redactor(apiKey), known: undefined };
}

/** Registers a jest suite: one test per scenario, run against the active target. */
export function defineSuite(suite: string, scenarios: readonly ScenarioDef[]): void {
  // Opened lazily and shared: jest starts test.concurrent bodies before beforeAll hooks have run.
  let opening: Promise<Context> | undefined;
  const context = () => (opening ??= openContext());
  afterAll(async () => {
    if (opening) await (await opening).close();
  });
  describe(suite, () => {
    for (const def of scenarios) {
      const body = async () => runScenario(await context(), suite, def);
      if (def.independent) test.concurrent(def.name, body);
      else test(def.name, body);
    }
  });
}

export async function runScenario(ctx: Context, suite: string, def: ScenarioDef): Promise<void> {
  const scenario = new Scenario(ctx, suite, def.name);
  let error: string | undefined;
  try {
    await def.run(scenario);
  } catch (caught) {
    if (!(caught instanceof ScenarioAborted)) throw caught;
    error = caught.message;
  } finally {
    appendCase(ctx.run.runDir, {
      type: 'case',
      suite,
      scenario: def.name,
      tallies: scenario.tallies,
      findings: scenario.findings,
      ...(error === undefined ? {} : { error }),
      requests: scenario.requests,
    });
  }
  const parts: string[] = [];
  if (error !== undefined) parts.push(`aborted: ${error}`);
  if (scenario.findings.length > 0) {
    parts.push(`${scenario.findings.length} finding(s):`, ...scenario.findings.map((f) => formatFinding(f)));
  }
  if (parts.length > 0) throw new Error(parts.join('\n\n'));
}
