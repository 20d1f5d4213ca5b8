/**
 * `lilt-conformance` (also `npm run conformance --`): runs the conformance suites against a target, or against the
 * reference provider started in-process when there is no --target. Exit codes: 0 conformant, 1 a check failed (or the
 * restore or the key scan did), 2 usage or configuration error, 3 the target could not be reached or stopped answering.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCLI } from 'jest';
import { parseArgs } from '../config/flags';
import { resolveRunConfig, type RunConfig } from '../config/run-config';
import { loadContract, PROJECT_ROOT } from '../contract/load';
import { ExitCode, runMain } from '../errors';
import { loadValidators } from '../validation/validators';
import { conformanceFacts } from '../conformance/facts';
import { conformanceJestConfig } from '../conformance/jest-config';
import { planOf, suitesFor } from '../conformance/plan';
import { fileHealth, KEY_ENV, readCases, RUN_ENV, sumCounters, targetDownReason, writtenRunPaths } from '../conformance/run-channel';
import { describeChecks, openSession, type Session } from '../conformance/session';
import { describeOriginal, type RestoreOutcome } from '../conformance/target-state';
import { writeReports } from '../reports/files';
import { scanPaths, scanText } from '../reports/key-scan';
import { summarize } from '../reports/summary';
import { formatTerminalReport } from '../reports/terminal';

type Write = (text: string) => void;

function describeRate(config: RunConfig): string {
  if (config.rate.kind === 'unlimited') return 'unlimited (loopback target)';
  return `${config.rate.perMinute} requests a minute${config.rate.source === 'documented-quota' ? " (the document's quota)" : ''}`;
}

function describeTarget(config: RunConfig): string {
  return config.target.kind === 'reference' ? 'the reference provider, started in-process on a free port' : config.target.url;
}

async function printPlan(config: RunConfig, out: Write): Promise<number> {
  const facts = conformanceFacts(await loadValidators());
  const plan = planOf(config, facts);
  const requests = plan.reduce((sum, suite) => sum + suite.cases.reduce((s, c) => s + c.requests, 0), 0);
  const lines = [
    'Plan (dry run: nothing is sent)',
    `  target:      ${describeTarget(config)}`,
    config.target.kind === 'reference'
      ? "  job:         the reference fixture's job and missing id (its key and jobs; --api-key and --job-id are ignored)"
      : `  job:         ${config.jobId ?? '(none)'}, missing id ${config.missingJobId ?? '(none)'}`,
    `  checks:      ${describeChecks(config.checks)}`,
    `  rate:        ${describeRate(config)}, ${config.concurrency} in flight at most, timeout ${config.timeoutMs} ms per request`,
    `  properties:  ${config.runs} runs each, seed ${config.seed}`,
    `  reports:     ${config.reportDir ?? 'terminal only'}`,
    '',
  ];
  for (const suite of plan) {
    lines.push(`  ${suite.title} (${suite.cases.length} cases)`);
    for (const c of suite.cases) lines.push(`    - ${c.name} (~${c.requests} requests)`);
  }
  lines.push('', `  about ${requests} requests in ${plan.reduce((n, s) => n + s.cases.length, 0)} cases, plus the first read and the restore (3)`);
  if (config.rate.kind === 'per-minute') {
    lines.push(`  at ${config.rate.perMinute} a minute: at least ${Math.ceil((requests * 60) / config.rate.perMinute)} s`);
  }
  out(`${lines.join('\n')}\n`);
  return ExitCode.ok;
}

/** Tees the process's own output, for the key scan at the end. */
function captureOutput(): { text(): string; stop(): void } {
  const chunks: string[] = [];
  const originals = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
  const tee = (original: typeof process.stdout.write) =>
    ((chunk: unknown, ...rest: unknown[]) => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stdout.write;
  process.stdout.write = tee(originals.out);
  process.stderr.write = tee(originals.err);
  return {
    text: () => chunks.join(''),
    stop: () => {
      process.stdout.write = originals.out;
      process.stderr.write = originals.err;
    },
  };
}

function restoreMessage(session: Session, outcome: RestoreOutcome): string {
  if (session.original === undefined) return 'nothing written, nothing to restore';
  return outcome.kind === 'restored'
    ? `restored (${describeOriginal(session.original)}) and read back`
    : `RESTORE FAILED (${outcome.reason})`;
}

function loudRestoreFailure(session: Session, outcome: RestoreOutcome): string {
  const reason = outcome.kind === 'failed' ? outcome.reason : '';
  return [
    '',
    '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
    `!! RESTORE FAILED: job ${session.active.jobId} on ${session.active.targetLabel} may still hold test values.`,
    `!! ${reason}`,
    `!! Put these original values back by hand: ${session.original ? describeOriginal(session.original) : '(unknown)'}`,
    '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
    '',
  ].join('\n');
}

export async function main(argv: readonly string[]): Promise<number> {
  const out: Write = (text) => process.stdout.write(text);
  const err: Write = (text) => process.stderr.write(text);
  const parsed = parseArgs(argv, { out, err });
  if (parsed.kind === 'printed') return ExitCode.ok;
  const contract = await loadContract();
  const { config, secrets } = resolveRunConfig(parsed.raw, process.env, contract);
  if (config.dryRun) return printPlan(config, out);

  const started = Date.now();
  const capture = captureOutput();
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lilt-conformance-'));
  try {
    err(`lilt-conformance: ${describeTarget(config)}; ${describeChecks(config.checks)}; seed ${config.seed}; rate ${describeRate(config)}\n`);
    const session = await openSession(config, secrets, runDir, (line) => err(`${line}\n`));
    return await runWithSession(session, config, runDir, started, capture.text, out, err);
  } finally {
    capture.stop();
    fs.rmSync(runDir, { recursive: true, force: true });
  }
}

async function runWithSession(
  session: Session,
  config: RunConfig,
  runDir: string,
  started: number,
  capturedText: () => string,
  out: Write,
  err: Write,
): Promise<number> {
  const { active } = session;
  let interrupted: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = signal;
    err(`\n${signal}: stopping, restoring job ${active.jobId}...\n`);
    fileHealth(runDir).markDown(`interrupted by ${signal}`); // the suites stop sending
    void session.restore().then(
      async (outcome) => {
        err(outcome.kind === 'restored' ? `job ${active.jobId}: ${restoreMessage(session, outcome)}\n` : loudRestoreFailure(session, outcome));
        await session.close();
        process.exit(outcome.kind === 'restored' ? (signal === 'SIGINT' ? 130 : 143) : ExitCode.findings);
      },
      () => process.exit(ExitCode.findings),
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let restore: RestoreOutcome = { kind: 'restored' };
  let runtimeErrors: string[] = [];
  try {
    if (session.original !== undefined) {
      const suites = suitesFor(config);
      const plan = planOf(config, session.facts);
      const total = plan.reduce((n, s) => n + s.cases.length, 0);
      // A case may not outlast jest's test timeout: at a slow --rate, the largest case needs its pace, twice over.
      const largestCase = Math.max(...plan.flatMap((s) => s.cases.map((c) => c.requests)));
      const paceMs = config.rate.kind === 'per-minute' ? 60_000 / config.rate.perMinute : 0;
      const testTimeoutMs = Math.max(30 * 60_000, Math.ceil(2 * largestCase * paceMs) + 10 * 60_000);
      process.env[RUN_ENV] = JSON.stringify(active);
      process.env[KEY_ENV] = session.apiKey;
      const reporters: NonNullable<Parameters<typeof conformanceJestConfig>[0]>['reporters'] = [
        [path.join(PROJECT_ROOT, 'src', 'reports', 'progress-reporter.ts'), { total, runDir }],
      ];
      if (config.reportDir !== undefined) {
        reporters.push([
          'jest-junit',
          {
            outputDirectory: path.resolve(config.reportDir),
            outputName: 'junit.xml',
            suiteName: 'lilt-conformance',
            classNameTemplate: '{classname}',
            titleTemplate: '{title}',
            ancestorSeparator: ' › ',
          },
        ]);
      }
      const jestConfig = conformanceJestConfig({
        suites: suites.map((s) => s.id),
        concurrency: config.concurrency,
        testTimeoutMs,
        reporters,
      });
      const { results } = await runCLI(
        {
          _: [],
          $0: 'lilt-conformance',
          config: JSON.stringify(jestConfig),
          runInBand: true,
          silent: true,
          ci: true,
          watchman: false,
        } as unknown as Parameters<typeof runCLI>[0],
        [PROJECT_ROOT],
      );
      runtimeErrors = results.testResults
        .filter((r) => r.testExecError !== undefined)
        .map((r) => `${path.basename(r.testFilePath)}: ${r.testExecError?.message ?? ''}`);
    } else {
      err(`the first read of job ${active.jobId} did not return a Job: no write is sent (staging safety); see the finding below\n`);
    }
  } finally {
    if (!interrupted) restore = await session.restore();
    if (!interrupted) await session.close();
  }
  if (interrupted) return new Promise<number>(() => undefined); // the signal handler exits

  const cases = readCases(runDir);
  const counters = sumCounters(runDir);
  const targetDown = targetDownReason(runDir);
  const summary = summarize(cases, {
    target: active.targetLabel,
    jobId: active.jobId,
    checks: config.checks,
    seed: config.seed,
    runs: config.runs,
    durationMs: Date.now() - started,
    requests: {
      sent: counters.sent + session.requestsSent(),
      throttled: counters.throttled,
      timeouts: counters.timeouts,
    },
    targetDown,
    restore: restoreMessage(session, restore),
  });
  out(formatTerminalReport(summary));
  if (restore.kind === 'failed') err(loudRestoreFailure(session, restore));

  const written = config.reportDir !== undefined ? writeReports(path.resolve(config.reportDir), summary) : [];
  if (written.length > 0) err(`reports: ${[...written, path.join(path.resolve(config.reportDir ?? '.'), 'junit.xml')].join(', ')}\n`);

  let code: number = summary.findings.length > 0 ? ExitCode.findings : ExitCode.ok;
  if (runtimeErrors.length > 0) {
    err(`internal error: ${runtimeErrors.length} suite(s) could not run:\n${runtimeErrors.join('\n')}\n`);
    code = ExitCode.internal;
  }
  if (restore.kind === 'failed' && code === ExitCode.ok) code = ExitCode.findings;
  if (targetDown !== undefined) {
    err(`error: the target stopped answering (${targetDown}); no verdict is possible. Check that it is up, or raise --timeout-ms\n`);
    code = ExitCode.unreachable;
  }

  // Last: the key must appear nowhere the run wrote.
  const scanned = [...(config.reportDir !== undefined ? [path.resolve(config.reportDir)] : []), ...writtenRunPaths(runDir)];
  const leaks = [...scanPaths(session.apiKey, scanned), ...scanText(session.apiKey, capturedText(), 'the run\'s own output')];
  if (leaks.length > 0) {
    err(`error: the API key was found in what this run wrote (${leaks.map((l) => `${l.where}: ${l.form}`).join('; ')}); treat the key as leaked and rotate it\n`);
    if (code === ExitCode.ok) code = ExitCode.findings;
  }
  out(`verdict: ${code === ExitCode.ok ? 'conformant' : code === ExitCode.findings ? 'NOT conformant' : code === ExitCode.unreachable ? 'no verdict (target unreachable)' : 'error'} (exit ${code})\n`);
  return code;
}

if (require.main === module) runMain(() => main(process.argv.slice(2)));
