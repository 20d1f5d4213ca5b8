/**
 * A run's session with its target, around the suites: start the reference provider when there is no --target; the
 * first read (PUT {} by Basic auth, then the key query parameter if Basic is refused), which decides whether the run
 * can start at all (exit 2 or 3 if not) and is itself judged; the snapshot of the job; and the restore at the end.
 * Used by the CLI and by jest's global setup (so `npx jest -c src/conformance/jest.config.ts` works alone).
 */
import * as fs from 'node:fs';
import type { CheckSelection, RunConfig, Secrets } from '../config/run-config';
import { documentedQuotaWaitMs, FALLBACK_QUOTA_WAIT_MS } from '../config/run-config';
import { ExitCode, UserError } from '../errors';
import type { ApiRequest, Exchange, ValidAuth } from '../http/request';
import { createRateLimiter } from '../http/rate-limiter';
import type { Route } from '../http/target-url';
import { createTransport, type Transport } from '../http/transport';
import { loadValidators } from '../validation/validators';
import { checksFor } from './checks/registry';
import { jobOf } from './checks/values';
import { conformanceFacts, type ConformanceFacts } from './facts';
import { evaluate } from './oracle';
import { redactFinding } from './finding';
import { redactor } from '../reports/key-scan';
import { startReferenceTarget } from './reference-target';
import { appendCase, writeContract, type ActiveRun, type CaseRecord, type CheckTally } from './run-channel';
import { describeOriginal, restoreJob, snapshotOf, type OriginalState, type RestoreOutcome } from './target-state';

export const START_UP_SUITE = 'start-up';

export interface Session {
  readonly active: ActiveRun;
  readonly apiKey: string;
  readonly facts: ConformanceFacts;
  /** Undefined when the first read did not return a Job: then nothing may be written. */
  readonly original: OriginalState | undefined;
  /** The first read, judged. */
  readonly startUp: CaseRecord;
  /** Puts the original values back and reads them back (once; later calls return the first outcome). */
  restore(): Promise<RestoreOutcome>;
  /** Requests the session itself sent (the first read, the restore). */
  requestsSent(): number;
  close(): Promise<void>;
}

function tallies(verdicts: ReturnType<typeof evaluate>['verdicts']): Record<string, CheckTally> {
  const out: Record<string, CheckTally> = {};
  for (const { checkId, result } of verdicts) {
    if (result.status === 'not-applicable') continue;
    const t = (out[checkId] ??= { pass: 0, fail: 0 });
    if (result.status === 'pass') t.pass += 1;
    else t.fail += 1;
  }
  return out;
}

export async function openSession(
  config: RunConfig,
  secrets: Secrets,
  runDir: string,
  log: (line: string) => void = () => undefined,
): Promise<Session> {
  const validators = await loadValidators();
  const facts = conformanceFacts(validators);
  fs.mkdirSync(runDir, { recursive: true });
  writeContract(runDir, validators.contract);

  let targetUrl: string;
  let targetLabel: string;
  let apiKey: string;
  let jobId: number;
  let missingJobId: number;
  let closeProvider: () => Promise<void> = async () => undefined;
  if (config.target.kind === 'reference') {
    const reference = await startReferenceTarget();
    targetUrl = reference.provider.url;
    targetLabel = `the reference provider (in-process, ${reference.provider.url})`;
    // Its fixture key and jobs: a staging key or job id left in the environment must not point it elsewhere.
    apiKey = reference.apiKey;
    jobId = reference.jobId;
    missingJobId = reference.missingJobId;
    const ignored = [
      secrets.apiKey !== undefined ? 'the API key' : undefined,
      config.jobId !== undefined ? 'the job id' : undefined,
      config.missingJobId !== undefined ? 'the missing job id' : undefined,
    ].filter((what) => what !== undefined);
    if (ignored.length > 0) log(`no --target: ${ignored.join(', ')} given are ignored; the reference provider uses its fixture key and jobs`);
    closeProvider = () => reference.provider.close();
  } else {
    targetUrl = config.target.url;
    targetLabel = config.target.url;
    if (secrets.apiKey === undefined || config.jobId === undefined || config.missingJobId === undefined) {
      throw new UserError('a --target needs --api-key and --job-id');
    }
    apiKey = secrets.apiKey;
    jobId = config.jobId;
    missingJobId = config.missingJobId;
  }

  const route: Route = { baseUrl: targetUrl, pathTemplate: facts.operation.path, keyParameter: facts.keyParameter };
  const throttleWaitMs = documentedQuotaWaitMs(facts.contract) ?? FALLBACK_QUOTA_WAIT_MS;
  const transport: Transport = createTransport({
    route,
    apiKey,
    timeoutMs: config.timeoutMs,
    limiter: createRateLimiter({
      perMinute: config.rate.kind === 'per-minute' ? config.rate.perMinute : undefined,
      concurrency: 1,
    }),
    throttleWaitMs,
    // Its own health: the restore must be tried even when the suites gave up on the target.
    health: { downReason: () => undefined, markDown: () => undefined },
    log,
  });
  const close = async () => {
    await transport.close();
    await closeProvider();
  };

  try {
    const read = (auth: ValidAuth): ApiRequest => ({
      method: facts.method,
      idSegment: String(jobId),
      body: '{}',
      contentType: 'application/json',
      auth,
    });
    const first = await firstRead(transport, read({ kind: 'basic' }), targetLabel);
    let exchange: Exchange = first;
    let preferredAuth: ValidAuth['kind'] = 'basic';
    if (first.response.status === 401) {
      const byQuery = await firstRead(transport, read({ kind: 'query' }), targetLabel);
      if (byQuery.response.status === 401) {
        throw new UserError(
          `${targetLabel} refuses the API key by Basic auth and by the ${facts.keyParameter} query parameter (401 both ways); check --api-key or LILT_API_KEY`,
        );
      }
      exchange = byQuery;
      preferredAuth = 'query';
    }
    if (exchange.response.status === 404) {
      throw new UserError(`job ${jobId} does not exist on ${targetLabel} (404 on the first read); pass the id of an existing job with --job-id`);
    }

    const checks = checksFor(config.checks);
    const redact = redactor(apiKey);
    const judged = evaluate(
      checks,
      exchange,
      { facts, expect: { kind: 'update', jobId, changes: {} } },
      { route, suite: START_UP_SUITE, scenario: 'the first read (PUT {}) returns the job' },
    );
    const startUp: CaseRecord = {
      type: 'case',
      suite: START_UP_SUITE,
      scenario: 'the first read (PUT {}) returns the job',
      tallies: tallies(judged.verdicts),
      findings: judged.findings.map((f) => redactFinding(f, redact)),
      requests: transport.counters.sent,
    };
    appendCase(runDir, startUp);
    const job = exchange.response.status === 200 ? jobOf(exchange.response) : undefined;
    const original = job === undefined ? undefined : snapshotOf(facts, jobId, job);
    if (original) log(`job ${jobId} before the run: ${describeOriginal(original)}`);

    const active: ActiveRun = {
      config,
      targetUrl,
      targetLabel,
      jobId,
      missingJobId,
      preferredAuth,
      runDir,
      throttleWaitMs,
      requestFields: Object.keys(facts.requestFields),
    };
    let restoring: Promise<RestoreOutcome> | undefined;
    // The restore's own responses are judged too (group 1 on every response; the write must round-trip).
    const restore = async (state: OriginalState): Promise<RestoreOutcome> => {
      const exchanges: Exchange[] = [];
      const outcome = await restoreJob(
        async (request) => {
          const sent = await transport.send(request);
          if (sent.kind === 'response') exchanges.push(sent.exchange);
          return sent;
        },
        facts,
        state,
        { kind: preferredAuth },
      );
      const [write, read] = exchanges;
      const judged = [
        ...(write ? [evaluate(checks, write, { facts, expect: { kind: 'update', jobId, changes: state.fields } }, { route, suite: START_UP_SUITE, scenario: 'the restore (PUT of the original values)' })] : []),
        ...(read ? [evaluate(checks, read, { facts, expect: { kind: 'update', jobId, changes: {} } }, { route, suite: START_UP_SUITE, scenario: 'the restore read back (PUT {})' })] : []),
      ];
      appendCase(runDir, {
        type: 'case',
        suite: START_UP_SUITE,
        scenario: 'the restore of the job, and its read-back',
        tallies: tallies(judged.flatMap((j) => j.verdicts)),
        findings: judged.flatMap((j) => j.findings).map((f) => redactFinding(f, redact)),
        requests: exchanges.length,
      });
      return outcome;
    };
    return {
      active,
      apiKey,
      facts,
      original,
      startUp,
      restore: () => (restoring ??= original === undefined ? Promise.resolve<RestoreOutcome>({ kind: 'restored' }) : restore(original)),
      requestsSent: () => transport.counters.sent,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

async function firstRead(transport: Transport, request: ApiRequest, targetLabel: string): Promise<Exchange> {
  const outcome = await transport.send(request);
  switch (outcome.kind) {
    case 'response':
      return outcome.exchange;
    case 'timeout':
      throw new UserError(
        `${targetLabel} did not answer the first read within ${outcome.timeoutMs} ms; check the URL, or raise --timeout-ms`,
        ExitCode.unreachable,
      );
    case 'network-error':
      throw new UserError(`cannot reach ${targetLabel}: ${outcome.message}; check --target`, ExitCode.unreachable);
    case 'target-down':
      throw new UserError(`${targetLabel} stopped answering: ${outcome.reason}`, ExitCode.unreachable);
  }
}

export function describeChecks(selection: CheckSelection): string {
  return selection === 'schema' ? 'response conformance only (--checks schema)' : 'every group (1-6)';
}
