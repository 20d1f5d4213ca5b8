/**
 * `lilt-conformance` (also `npm run conformance --`): parse -> resolve -> runConformance -> reports -> exit code.
 * Against a target, or against the reference provider started in-process when there is no --target. Exit codes:
 * 0 conformant, 1 a check failed (or the restore or the key scan did), 2 usage or configuration error, 3 no verdict
 * (the target could not be reached, stopped answering, or cases were cut short); 130/143 interrupted.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from '../config/flags';
import { resolveRunConfig, type RunConfig } from '../config/run-config';
import { loadContract } from '../contract/load';
import { ExitCode, runMain } from '../errors';
import { createValidators } from '../validation/validators';
import { conformanceFacts } from '../conformance/facts';
import { loudRestoreFailure } from '../engine/job-guard';
import { caseCount, planOf, requestEstimate, startAndRestoreRequests } from '../engine/plan';
import { referenceDefaults } from '../engine/reference-target';
import { runConformance, type RunResult } from '../engine/run';
import { shownHeader } from '../http/headers';
import { describeProxy } from '../http/proxy';
import { baselineFileText } from '../reports/baseline-file';
import { writeReports } from '../reports/files';
import { scanPaths, scanSecret, scanText } from '../reports/key-scan';
import { progressPrinter } from '../reports/progress';
import { describeBaseline, describeChecks, describeRate, describeTarget } from '../reports/settings';
import { summaryOf, verdictText } from '../reports/summary';
import { formatTerminalReport } from '../reports/terminal';

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

async function printPlan(config: RunConfig, out: Write): Promise<number> {
  const facts = conformanceFacts(createValidators(await loadContract()));
  const otherJobIds = config.target.kind === 'reference' ? referenceDefaults().jobIds.slice(1) : config.jobIds.slice(1);
  const plan = planOf(config, facts, otherJobIds);
  const requests = requestEstimate(plan);
  const lines = [
    'Plan (dry run: nothing is sent)',
    `  target:      ${describeTarget(config)}`,
    config.target.kind === 'reference'
      ? "  job:         the reference fixture's job and missing id (its key and jobs; --api-key and --job-id are ignored)"
      : `  job:         ${config.jobId ?? '(none)'}${otherJobIds.length > 0 ? ` (read: ${otherJobIds.join(', ')})` : ''}, missing id ${config.missingJobId ?? '(none)'}`,
    `  checks:      ${describeChecks(config)}`,
    `  rate:        ${describeRate(config)}, ${config.concurrency} in flight at most, timeout ${config.timeoutMs} ms per request`,
    `  properties:  ${config.runs} runs each, seed ${config.seed}`,
    `  reports:     ${config.reportDir ?? 'terminal only'}`,
    `  network:     ${config.headers.length === 0 ? 'no extra headers' : `headers ${config.headers.map(shownHeader).join(', ')}`}; proxy ${describeProxy(config.proxy)}`,
    `  baseline:    ${describeBaseline(config)}${config.maxFailures === undefined ? '' : `; stops after ${config.maxFailures} failing checks`}`,
    '',
  ];
  for (const suite of plan) {
    lines.push(`  ${suite.title} (${suite.cases.length} cases)`);
    for (const c of suite.cases) lines.push(`    - ${c.def.name} (~${c.requests} requests)`);
  }
  lines.push('', `  about ${requests} requests in ${caseCount(plan)} cases, plus the first reads and the restore (${startAndRestoreRequests(otherJobIds)})`);
  if (config.rate.kind === 'per-minute') {
    lines.push(`  at ${config.rate.perMinute} a minute: at least ${Math.ceil((requests * 60) / config.rate.perMinute)} s`);
  }
  out(`${lines.join('\n')}\n`);
  return ExitCode.ok;
}

/** The exit code a run's result comes to (before the key scan, which can only make it 1). */
export function exitCodeOf(result: RunResult): number {
  if (result.interrupted !== undefined) {
    if (result.restore.kind === 'failed') return ExitCode.findings;
    return result.interrupted === 'SIGTERM' ? 143 : 130;
  }
  let code: number;
  switch (result.verdict.kind) {
    case 'conformant':
      code = ExitCode.ok;
      break;
    case 'not-conformant':
      code = ExitCode.findings;
      break;
    case 'no-verdict':
      code = ExitCode.unreachable;
      break;
  }
  if (result.restore.kind === 'failed' && code === ExitCode.ok) code = ExitCode.findings;
  return code;
}

export async function main(argv: readonly string[], io: CliIo = PROCESS_IO): Promise<number> {
  const parsed = parseArgs(argv, { out: io.out, err: io.err });
  if (parsed.kind === 'printed') return ExitCode.ok;
  const contract = await loadContract();
  const { config, secrets } = resolveRunConfig(parsed.raw, io.env, contract);
  if (config.dryRun) return printPlan(config, io.out);

  // Everything the run prints goes through these two, and is kept for the key scan at the end.
  const printed: string[] = [];
  const out: Write = (text) => {
    printed.push(text);
    io.out(text);
  };
  const err: Write = (text) => {
    printed.push(text);
    io.err(text);
  };

  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      err(`\n${signal}: still restoring the job; it is put back before the run exits\n`);
      return;
    }
    err(`\n${signal}: stopping; the cases in flight end, then the job is restored...\n`);
    controller.abort(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const progress = progressPrinter(err, io.tty);
  let result: RunResult;
  try {
    const baseline = config.baseline === undefined ? '' : `; baseline ${describeBaseline(config)}`;
    const headers = config.headers.length === 0 ? '' : `; headers ${config.headers.map(shownHeader).join(', ')}`;
    const proxy = config.proxy === undefined ? '' : `; proxy ${describeProxy(config.proxy)}`;
    err(`lilt-conformance: ${describeTarget(config)}; ${describeChecks(config)}; seed ${config.seed}; rate ${describeRate(config)}${baseline}${headers}${proxy}\n`);
    result = await runConformance({ config, apiKey: secrets.apiKey, contract }, { onProgress: progress.onProgress, signal: controller.signal });
  } finally {
    progress.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }

  const summary = summaryOf(result);
  out(formatTerminalReport(summary));
  if (result.restore.kind === 'failed') err(loudRestoreFailure(result.target, result.restore.original, result.restore.reason));
  const written = config.reportDir !== undefined ? writeReports(path.resolve(config.reportDir), summary) : [];
  if (written.length > 0) err(`reports: ${written.join(', ')}\n`);
  if (config.writeBaseline !== undefined) {
    const file = path.resolve(config.writeBaseline);
    fs.writeFileSync(file, baselineFileText(summary.findingGroups, config.baseline));
    written.push(file);
    err(`baseline: ${summary.findingGroups.length === 0 ? 'no finding; an empty baseline' : 'the findings'} written to ${file}; review each entry's reason before you use it\n`);
  }

  let code = exitCodeOf(result);
  if (result.verdict.kind === 'no-verdict' && result.interrupted === undefined) {
    err(`error: ${result.verdict.reason}; no verdict is possible. Check that the target is up, or raise --timeout-ms\n`);
  }

  // Last: the key must appear nowhere the run wrote (its reports, its own output); nor a secret header's value.
  const apiKey = secrets.apiKey;
  if (apiKey !== undefined) {
    const leaks = [...scanPaths(apiKey, written), ...scanText(apiKey, printed.join(''), "the run's own output")];
    if (leaks.length > 0) {
      err(`error: the API key was found in what this run wrote (${leaks.map((l) => `${l.where}: ${l.form}`).join('; ')}); treat the key as leaked and rotate it\n`);
      if (code === ExitCode.ok) code = ExitCode.findings;
    }
  }
  const everything = [...written.map((file) => ({ text: fs.readFileSync(file, 'utf8'), where: file })), { text: printed.join(''), where: "the run's own output" }];
  for (const header of config.headers) {
    if (!header.secret) continue;
    const leaks = everything.flatMap(({ text, where }) => scanSecret(header.value.reveal(), `header ${header.name}`, text, where));
    if (leaks.length > 0) {
      err(`error: the value of the ${header.name} header was found in what this run wrote (${leaks.map((l) => l.where).join('; ')}); treat it as leaked\n`);
      if (code === ExitCode.ok) code = ExitCode.findings;
    }
  }
  const shown = result.interrupted !== undefined ? `interrupted (${result.interrupted})` : verdictText(summary);
  out(`verdict: ${shown} (exit ${code})\n`);
  return code;
}

if (require.main === module) runMain(() => main(process.argv.slice(2)));
