/**
 * `lilt-conformance` (also `npm run conformance --`): parse -> resolve -> probe the report directory ->
 * runConformance -> reports -> key scan -> exit code. Against a target, or against the reference provider started
 * in-process when there is no --target. Exit codes: 0 conformant, 1 a check failed (or the restore or the key scan
 * did), 2 usage or configuration error (the reports included, before or after the run), 3 no verdict (the target could
 * not be reached, stopped answering, asked to wait beyond --max-wait, the run reached --max-duration, or cases were
 * cut short); 130/143 interrupted.
 *
 * Every line it prints and every report it writes passes through one redaction of the key (src/reports/key-scan.ts).
 * The first SIGINT/SIGTERM stops the run and restores the job; later ones say what the restore is doing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from '../config/flags';
import { DEFAULTS, resolveRunConfig, type RunConfig } from '../config/run-config';
import { shownSource, type Contract } from '../contract/load';
import { loadContractOption } from '../config/options';
import { ExitCode, runMain, UserError } from '../errors';
import { createValidators } from '../validation/validators';
import { conformanceFacts } from '../checks/facts';
import { loudRestoreFailure, type RestoreStep } from '../run/job-guard';
import { caseCount, documentNotes, planOf, requestEstimate, startAndRestoreRequests } from '../run/plan';
import { referenceDefaults } from '../run/session/reference';
import { runConformance, type RunResult } from '../run/run';
import { shownHeader } from '../http/headers';
import { describeProxy } from '../http/proxy';
import { baselineFileText } from '../reports/baseline-file';
import { prepareReportDir, writeReports, type ReportsWritten } from '../reports/files';
import { redactor, scanPaths, scanSecret, scanText } from '../http/key-scan';
import { progressPrinter } from '../reports/progress';
import { inputHints } from './input-hints';
import { restoreCommand } from './restore-command';
import { describeBaseline, describeChecks, describeRate, describeTarget } from '../reports/settings';
import { summaryOf, verdictText } from '../reports/summary';
import { formatTerminalReport } from '../reports/terminal';
import { workflowAnnotations } from '../reports/annotations';

type Write = (text: string) => void;

export interface CliIo {
  readonly out: Write;
  readonly err: Write;
  readonly env: NodeJS.ProcessEnv;
  /** Whether stderr is a terminal (progress rewrites one line). */
  readonly tty: boolean;
}

const PROCESS_IO: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  env: process.env,
  tty: process.stderr.isTTY === true,
};

function describeConcurrency(config: RunConfig): string {
  return config.concurrencySource === 'flag'
    ? `${config.concurrency} in flight at most`
    : `in flight: rate x the latency of the first reads (${DEFAULTS.concurrency} to ${DEFAULTS.maxConcurrency})`;
}

/** The plan of a dry run (LILT_DRY_RUN, --dry-run), as lines for a person; nothing is sent. */
export async function printPlan(config: RunConfig, out: Write, contract: Contract): Promise<number> {
  const facts = conformanceFacts(createValidators(contract));
  const otherJobIds = config.target.kind === 'reference' ? referenceDefaults().jobIds.slice(1) : config.jobIds.slice(1);
  const plan = planOf(config, facts, otherJobIds);
  const requests = requestEstimate(plan);
  const lines = [
    'Plan (dry run: nothing is sent)',
    `  target:      ${describeTarget(config)}`,
    `  contract:    ${shownSource(contract.file)}, ${facts.model.operationId} (${facts.model.method} ${facts.model.fullPath}), ${facts.model.format.spec === 'swagger' ? 'Swagger 2.0 (converted to OpenAPI 3.0)' : `OpenAPI ${facts.model.format.version}`}`,
    config.target.kind === 'reference'
      ? "  job:         the reference fixture's job and missing id (its key and jobs; --api-key and --job-id are ignored)"
      : `  job:         ${config.jobId ?? '(none)'}${otherJobIds.length > 0 ? ` (read: ${otherJobIds.join(', ')})` : ''}, missing id ${config.missingJobId ?? '(none)'}`,
    `  checks:      ${describeChecks(config)}`,
    `  rate:        ${describeRate(config)}, ${describeConcurrency(config)}, timeout ${config.timeoutMs} ms per request`,
    `  bounds:      a 429 wait of ${config.maxWaitMs / 1000} s at most, the run ${config.maxDurationMs / 1000} s at most, the restore ${config.restoreTimeoutMs / 1000} s at most`,
    `  properties:  ${config.runs} runs each, seed ${config.seed}`,
    `  reports:     ${config.reportDir ?? 'terminal only'}`,
    `  network:     ${config.headers.length === 0 ? 'no extra headers' : `headers ${config.headers.map(shownHeader).join(', ')}`}; proxy ${describeProxy(config.proxy)}`,
    `  baseline:    ${describeBaseline(config)}${config.maxFailures === undefined ? '' : `; stops after ${config.maxFailures} failing checks`}`,
    ...documentNotes(facts.model).map((note, i) => `  ${i === 0 ? 'document:   ' : '            '} ${note}`),
    '',
  ];
  for (const group of plan) {
    lines.push(`  ${group.title} (${group.cases.length} cases)`);
    for (const c of group.cases) lines.push(`    - ${c.def.name} (~${c.requests}${c.openReads > 0 ? ` to ${c.requests + c.openReads}` : ''} requests)`);
  }
  lines.push('', `  about ${requests} requests in ${caseCount(plan)} cases, plus the first reads, the run's marker and the restore (${startAndRestoreRequests(otherJobIds, plan.length, otherJobIds.length)}, if every other job is a lane), and a read-back a round of the probe sections`);
  if (config.rate.kind === 'per-minute') {
    lines.push(`  at ${config.rate.perMinute} a minute: at least ${Math.ceil((requests * 60) / config.rate.perMinute)} s`);
  }
  out(`${lines.join('\n')}\n`);
  return ExitCode.ok;
}

/** The exit code a run's result comes to (before the key scan, which can only make it 1); `reports`: how writing them went. */
export function exitCodeOf(result: RunResult, reports?: ReportsWritten): number {
  if (result.interrupted !== undefined) {
    if (result.restore.kind === 'failed') return ExitCode.findings;
    return result.interrupted === 'SIGTERM' ? 143 : 130;
  }
  if (result.restore.kind === 'failed') return result.verdict.kind === 'no-verdict' ? ExitCode.unreachable : ExitCode.findings;
  if (reports?.kind === 'failed') return ExitCode.usage;
  switch (result.verdict.kind) {
    case 'conformant':
      return ExitCode.ok;
    case 'not-conformant':
      return ExitCode.findings;
    case 'no-verdict':
      return ExitCode.unreachable;
  }
}

const secondsLeft = (ms: number) => `${Math.max(0, Math.round(ms / 1000))} s`;

/** What the restore is doing, in a line (a second signal prints it). */
function restoreStatus(jobId: number, step: RestoreStep): string {
  switch (step.kind) {
    case 'attempt':
      return `restoring job ${jobId}: ${step.what}, try ${step.attempt}, ${secondsLeft(step.leftMs)} left of --restore-timeout`;
    case 'retry-wait':
      return `restoring job ${jobId}: ${step.what} got ${step.why}; trying again in ${secondsLeft(step.waitMs)} (${secondsLeft(step.leftMs)} left of --restore-timeout)`;
    case 'settle-wait':
      return `restoring job ${jobId}: ${step.unanswered} write(s) got no answer and may still land; reading the job again in ${secondsLeft(step.waitMs)}`;
  }
}

export async function main(argv: readonly string[], io: CliIo = PROCESS_IO): Promise<number> {
  const parsed = parseArgs(argv, { out: io.out, err: io.err });
  if (parsed.kind === 'printed') return ExitCode.ok;
  const contract = await loadContractOption(parsed.raw, io.env);
  const { config, secrets } = resolveRunConfig(parsed.raw, io.env, contract);
  if (config.dryRun) return printPlan(config, io.out, contract);

  // Everything the run prints goes through these two: redacted first, and kept for the key scan at the end.
  const apiKey = secrets.apiKey;
  // The key (when there is one) and the values of secret headers: one redaction for everything printed and written.
  const secretHeaders = config.headers.flatMap((h) => (h.secret ? [{ value: h.value.reveal(), label: `header ${h.name}` }] : []));
  const redact = apiKey === undefined && secretHeaders.length === 0 ? (text: string) => text : redactor(apiKey ?? '', secretHeaders);
  const printed: string[] = [];
  const out: Write = (text) => {
    const shown = redact(text);
    printed.push(shown);
    io.out(shown);
  };
  const err: Write = (text) => {
    const shown = redact(text);
    printed.push(shown);
    io.err(shown);
  };

  try {
    return await runAndReport(config, apiKey, contract, io, { out, err, redact, printed });
  } catch (error) {
    // A refusal may quote the job's values, and a bug's message anything: the same redaction before runMain prints it.
    if (error instanceof UserError) throw new UserError(redact(error.message), error.exitCode);
    if (error instanceof Error) {
      error.message = redact(error.message);
      if (error.stack !== undefined) error.stack = redact(error.stack);
    }
    throw error;
  }
}

interface Output {
  readonly out: Write;
  readonly err: Write;
  readonly redact: (text: string) => string;
  readonly printed: string[];
}

async function runAndReport(
  config: RunConfig,
  apiKey: string | undefined,
  contract: Contract,
  io: CliIo,
  output: Output,
): Promise<number> {
  const { out, err } = output;
  // The report directory is made and probed before the first request: if it cannot be written, nothing is sent.
  const reportDir = config.reportDir !== undefined ? path.resolve(config.reportDir) : undefined;
  if (reportDir !== undefined) await prepareReportDir(reportDir);

  const watch = watchRun(config, err, io.tty);
  let result: RunResult;
  try {
    err(`lilt-conformance: ${startLine(config)}\n`);
    result = await runConformance({ config, apiKey, contract }, { onProgress: watch.onProgress, signal: watch.signal });
  } finally {
    watch.stop();
  }
  // A signal that came only while the job was put back: the run was still interrupted (130/143), as the docs say.
  if (result.interrupted === undefined && watch.signalled() !== undefined) result = { ...result, interrupted: watch.signalled() };

  const summary = summaryOf(result);
  out(formatTerminalReport(summary));
  // In a GitHub Actions job: the failures as workflow annotations too (through the same redaction as every line).
  if (io.env['GITHUB_ACTIONS'] === 'true') out(workflowAnnotations(summary));
  if (result.restore.kind === 'failed') {
    // A command that puts the values back, for a target a person can reach (the in-process provider is gone by now).
    const command =
      config.target.kind === 'url'
        ? restoreCommand(contract, { baseUrl: config.target.url, auth: 'basic', headers: config.headers }, result.restore.original)
        : undefined;
    err(loudRestoreFailure(result.target, result.restore.original, result.restore.reason, command));
  }
  const { reports, written } = await writeFiles(config, summary, reportDir, output);
  // The HAR (--har) the run wrote as it went: scanned with the rest.
  if (config.har !== undefined && fs.existsSync(config.har)) {
    written.push(config.har);
    err(`har: ${config.har}\n`);
  }
  let code = exitCodeOf(result, reports);
  code = explainInputs(result, code, err);
  code = scanForSecrets(config, apiKey, written, output, code);
  const shown = result.interrupted !== undefined ? `interrupted (${result.interrupted})` : verdictText(summary);
  out(`verdict: ${shown} (exit ${code})\n`);
  return code;
}

/** The run's settings in one line (target, checks, seed, rate, baseline, headers, proxy). */
function startLine(config: RunConfig): string {
  const baseline = config.baseline === undefined ? '' : `; baseline ${describeBaseline(config)}`;
  const headers = config.headers.length === 0 ? '' : `; headers ${config.headers.map(shownHeader).join(', ')}`;
  const proxy = config.proxy === undefined ? '' : `; proxy ${describeProxy(config.proxy)}`;
  return `${describeTarget(config)}; ${describeChecks(config)}; seed ${config.seed}; rate ${describeRate(config)}${baseline}${headers}${proxy}`;
}

interface RunWatch {
  readonly onProgress: ReturnType<typeof progressPrinter>['onProgress'];
  readonly signal: AbortSignal;
  /** The first signal, whenever it came: one during the restore does not stop the run, but the exit code says it. */
  signalled(): NodeJS.Signals | undefined;
  /** Stops the progress and lets go of the signals. */
  stop(): void;
}

/**
 * Progress on stderr, and SIGINT/SIGTERM: the first stops the run (which then restores the job); later ones say what
 * the run is doing (waiting for requests on the wire, or which step of the restore).
 */
function watchRun(config: RunConfig, err: Write, tty: boolean): RunWatch {
  const controller = new AbortController();
  let jobId = config.jobId;
  let status = 'starting';
  let stoppingShown = false;
  let restoring = false;
  const progress = progressPrinter(err, tty, { perMinute: config.rate.kind === 'per-minute' ? config.rate.perMinute : undefined });
  const onProgress: RunWatch['onProgress'] = (event) => {
    if (event.kind === 'started') {
      jobId = event.jobId;
      status = 'running';
    } else if (event.kind === 'stopping') {
      stoppingShown = true;
      status = `stopping: waiting for ${event.inFlight} request(s) on the wire (each ends within --timeout-ms), then job ${jobId ?? ''} is put back`;
    } else if (event.kind === 'restoring') {
      restoring = true;
      status = `restoring job ${event.jobId}: waiting for ${event.inFlight} request(s) on the wire first`;
    } else if (event.kind === 'restore-step') status = restoreStatus(jobId ?? 0, event.step);
    progress.onProgress(event);
  };
  let signalled: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    signalled ??= signal;
    if (!controller.signal.aborted && !restoring) {
      controller.abort(signal);
      if (!stoppingShown) err(`\n${signal}: stopping; nothing more is sent, then the job is put back (if anything was written)\n`);
      return;
    }
    err(`\n${signal}: ${status}. The run exits once the job is put back, or prints its original values if it cannot be\n`);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    onProgress,
    signal: controller.signal,
    signalled: () => signalled,
    stop() {
      progress.stop();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/** The reports (--report-dir) and the baseline (--write-baseline), through the run's redaction; the files written. */
async function writeFiles(
  config: RunConfig,
  summary: ReturnType<typeof summaryOf>,
  reportDir: string | undefined,
  { err, redact }: Output,
): Promise<{ reports: ReportsWritten | undefined; written: string[] }> {
  let reports: ReportsWritten | undefined;
  if (reportDir !== undefined) {
    reports = await writeReports(reportDir, summary, redact);
    if (reports.kind === 'failed') {
      err(`error: the reports could not be written to ${reportDir} after the run (${reports.reason}); the job was handled as the line above says. Check the directory and run again\n`);
    } else err(`reports: ${reports.files.join(', ')}\n`);
  }
  const written = [...(reports?.files ?? [])];
  if (config.writeBaseline !== undefined) {
    const file = path.resolve(config.writeBaseline);
    fs.writeFileSync(file, redact(baselineFileText(summary.findingPatterns, config.baseline)));
    written.push(file);
    err(`baseline: ${summary.findingPatterns.length === 0 ? 'no finding; an empty baseline' : 'the findings'} written to ${file}; review each entry's reason before you use it\n`);
  }
  return { reports, written };
}

/** What to do about a run with no verdict, by what stopped it. */
function noVerdictAdvice(result: RunResult): string {
  switch (result.stopped?.kind) {
    case 'deadline':
      return 'raise --max-duration, or check why the target is slow';
    case 'other-writer':
      return 'run again once nothing else writes the job (check its values first: the block above says what was left)';
    case 'memory':
      return 'check what the target answers (bodies that never end, or huge ones), or give Node more heap (NODE_OPTIONS=--max-old-space-size=4096)';
    default:
      return 'Check that the target is up, or raise --timeout-ms (or --max-wait)';
  }
}

/** What the findings say about the inputs (a web page as target, a --missing-job-id that exists), a line each; and why no verdict. */
function explainInputs(result: RunResult, code: number, err: Write): number {
  const hints = inputHints(result);
  for (const line of hints.lines) err(`${line}\n`);
  const explained = hints.badInput && code === ExitCode.findings && result.restore.kind !== 'failed' ? ExitCode.usage : code;
  if (result.verdict.kind === 'no-verdict' && result.interrupted === undefined) {
    err(`error: ${result.verdict.reason}; no verdict is possible. ${noVerdictAdvice(result)}\n`);
  }
  return explained;
}

/**
 * Last: the key must appear nowhere the run wrote (the files it wrote, never others; its own output), in any of its
 * forms; nor a secret header's value. Either found makes the exit 1.
 */
function scanForSecrets(config: RunConfig, apiKey: string | undefined, written: readonly string[], { err, printed }: Output, code: number): number {
  let scanned = code;
  if (apiKey !== undefined) {
    const leaks = [...scanPaths(apiKey, written), ...scanText(apiKey, printed.join(''), "the run's own output")];
    if (leaks.length > 0) {
      err(`error: the API key was found in what this run wrote (${leaks.map((l) => `${l.where}: ${l.form}`).join('; ')}); treat the key as leaked and rotate it\n`);
      if (scanned === ExitCode.ok) scanned = ExitCode.findings;
    }
  }
  const everything = [...written.map((file) => ({ text: fs.readFileSync(file, 'utf8'), where: file })), { text: printed.join(''), where: "the run's own output" }];
  for (const header of config.headers) {
    if (!header.secret) continue;
    const leaks = everything.flatMap(({ text, where }) => scanSecret(header.value.reveal(), `header ${header.name}`, text, where));
    if (leaks.length > 0) {
      err(`error: the value of the ${header.name} header was found in what this run wrote (${leaks.map((l) => l.where).join('; ')}); treat it as leaked\n`);
      if (scanned === ExitCode.ok) scanned = ExitCode.findings;
    }
  }
  return scanned;
}

if (require.main === module) runMain(() => main(process.argv.slice(2)));
