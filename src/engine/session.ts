/**
 * A run's session with its target: start the reference provider when there is no --target; open the run's one
 * transport; the first read (PUT {} by Basic auth, then the key query parameter if Basic is refused), which decides
 * whether the run can start at all (exit 2 or 3 if not) and is itself judged; the snapshot of the job, which decides
 * what the run may write (never a field the job lacks) and whether another run is on the job (src/engine/job-marker.ts);
 * the marker the job rests on while the run works; and the restore at the end (through the job guard: retried within
 * --restore-timeout, outside the run's limiter and its pauses), judged too.
 */
import { concurrencyFor, type RunConfig } from '../config/run-config';
import { FALLBACK_QUOTA } from '../contract/model';
import { ExitCode, UserError } from '../errors';
import type { ApiRequest, Exchange, ValidAuth } from '../http/request';
import { createRateLimiter } from '../http/rate-limiter';
import { shownUrl } from '../http/curl';
import { tlsCause, type NetworkErrorContext } from '../http/network-errors';
import type { Route } from '../http/target-url';
import { createTransport, type ThrottleWait, type Transport, type TransportCounters } from '../http/transport';
import type { Check, JobState } from '../conformance/checks/types';
import { jobOf } from '../conformance/checks/values';
import type { ConformanceFacts } from '../conformance/facts';
import { redactFinding } from '../conformance/finding';
import { evaluate, type Evaluation } from '../conformance/oracle';
import { addVerdicts, type ActiveRun, type CaseRecord } from '../conformance/records';
import { mayWrite } from '../conformance/harness';
import { redactor } from '../reports/key-scan';
import {
  describeOriginal,
  restoreJob,
  sameFields,
  snapshotOf,
  type JobPut,
  type OriginalState,
  type RestoreOutcome,
  type RestorePolicy,
  type RestoreStep,
} from './job-guard';
import { MARKER_FIELD, newRunMarker, runValuesIn, shownValue, type RunMarker } from './job-marker';
import { startReferenceTarget } from './reference-target';

export const START_UP_SUITE = 'start-up';
const FIRST_READ = 'the first read (PUT {}) returns the job';

export interface Session {
  readonly active: ActiveRun;
  /** The key the run sends (the reference fixture's when there is no --target). */
  readonly apiKey: string;
  readonly route: Route;
  /** The run's one transport: every request of the run goes through it. */
  readonly transport: Transport;
  /** Requests in flight at most: --concurrency, or what the first reads' latency called for (`concurrencyFor`). */
  readonly concurrency: number;
  /** Removes every form of the key from a text a target sent back. */
  readonly redact: (text: string) => string;
  /** Undefined when the first read did not return a Job: then nothing may be written. */
  readonly original: OriginalState | undefined;
  /** Updatable fields the job does not have: no request of the run names them. */
  readonly unwritable: readonly string[];
  /** The value the job rests on while the run works; undefined when nothing is written or the job has no name. */
  readonly marker: RunMarker | undefined;
  /**
   * The jobs the run may write, one lane each (lanes.ts): the run's job first, then each other job whose first read
   * showed every updatable field (the restore can put such a job back exactly; a field a job lacks could not be
   * taken away again, so such a job is only read).
   */
  readonly lanes: readonly number[];
  /** The first read, judged. */
  readonly startUp: CaseRecord;
  /** The Job the first read returned (the state before the run's first write), if it returned one. */
  readonly firstJob: JobState | undefined;
  /**
   * Puts the original values back and reads them back (once; later calls return the first outcome). `parkedLast`:
   * the run's last write was its marker, so a job not showing it had another writer.
   */
  restore(parkedLast: boolean): Promise<SessionRestore>;
  close(): Promise<void>;
}

export interface SessionRestore {
  readonly outcome: RestoreOutcome;
  readonly record: CaseRecord | undefined;
  /** Set when the job did not show the run's marker before the restore: another writer was on it. */
  readonly otherWriter: string | undefined;
}

export interface SessionOptions {
  readonly config: RunConfig;
  /** Undefined for the reference target: its fixture key is used. */
  readonly apiKey: string | undefined;
  readonly facts: ConformanceFacts;
  readonly checks: readonly Check[];
  readonly log: (line: string) => void;
  /** A 429 wait begins (for the progress line). */
  readonly onWait?: (wait: ThrottleWait) => void;
  /** A request ended (answered or not): the counters so far (for the progress heartbeat). */
  readonly onCounters?: (counters: Readonly<TransportCounters>) => void;
  /** What the restore is doing (a second signal prints it). */
  readonly onRestoreStep?: (step: RestoreStep) => void;
  /** Aborted (a signal, the deadline): the transport stops issuing at once, the first read included; its reason says why. */
  readonly stop?: AbortSignal;
}

function caseOf(scenario: string, judged: readonly Evaluation[], redact: (text: string) => string, requests: number): CaseRecord {
  return {
    suite: START_UP_SUITE,
    scenario,
    tallies: addVerdicts({}, judged.flatMap((j) => j.verdicts)),
    findings: judged.flatMap((j) => j.findings).map((f) => redactFinding(f, redact)),
    requests,
  };
}

export async function openSession(options: SessionOptions): Promise<Session> {
  const { config, facts, checks, log } = options;
  let targetUrl: string;
  let targetLabel: string;
  let apiKey: string;
  let jobId: number;
  let otherJobIds: readonly number[];
  let missingJobId: number;
  let closeProvider: () => Promise<void> = async () => undefined;
  if (config.target.kind === 'reference') {
    const reference = await startReferenceTarget();
    targetUrl = reference.provider.url;
    targetLabel = `the reference provider (in-process, ${reference.provider.url})`;
    // Its fixture key and jobs: a staging key or job id left in the environment must not point it elsewhere.
    apiKey = reference.apiKey;
    jobId = reference.jobId;
    otherJobIds = reference.jobIds.filter((id) => id !== jobId);
    missingJobId = reference.missingJobId;
    const ignored = [
      options.apiKey !== undefined ? 'the API key' : undefined,
      config.jobId !== undefined ? 'the job id' : undefined,
      config.missingJobId !== undefined ? 'the missing job id' : undefined,
    ].filter((what) => what !== undefined);
    if (ignored.length > 0) log(`no --target: ${ignored.join(', ')} given are ignored; the reference provider uses its fixture key and jobs`);
    closeProvider = () => reference.provider.close();
  } else {
    targetUrl = config.target.url;
    targetLabel = config.target.url;
    if (options.apiKey === undefined || config.jobId === undefined || config.missingJobId === undefined) {
      throw new UserError('a --target needs --api-key and --job-id');
    }
    apiKey = options.apiKey;
    jobId = config.jobId;
    otherJobIds = config.jobIds.filter((id) => id !== jobId);
    missingJobId = config.missingJobId;
  }

  const route: Route = { baseUrl: targetUrl, pathTemplate: facts.operation.path, keyParameter: facts.keyParameter, headers: config.headers };
  const throttleWaitMs = (facts.model.quota ?? FALLBACK_QUOTA).waitMs;
  const limiter = createRateLimiter({
    perMinute: config.rate.kind === 'per-minute' ? config.rate.perMinute : undefined,
    concurrency: config.concurrency,
  });
  const transport = createTransport({
    route,
    apiKey,
    timeoutMs: config.timeoutMs,
    limiter,
    throttleWaitMs,
    maxWaitMs: config.maxWaitMs,
    // Any id: a leading zero or + may still name the run's job.
    isWrite: mayWrite,
    ...(options.onWait ? { onWait: options.onWait } : {}),
    ...(options.onCounters ? { onCounters: options.onCounters } : {}),
    log,
    proxy: config.proxy,
  });
  const stopTransport = () => void transport.stop(String(options.stop?.reason ?? 'the run is stopping'));
  if (options.stop?.aborted) stopTransport();
  options.stop?.addEventListener('abort', stopTransport, { once: true });
  // The key, and the values of secret headers, removed from whatever the target echoes back.
  const redact = redactor(apiKey, secretHeaderValues(config.headers));
  const close = async () => {
    options.stop?.removeEventListener('abort', stopTransport);
    await transport.close();
    await closeProvider();
  };

  try {
    const read = (auth: ValidAuth, id = jobId): ApiRequest => ({
      method: facts.method,
      idSegment: String(id),
      body: '{}',
      contentType: 'application/json',
      auth,
    });
    const network = { target: targetLabel, extraCaCerts: config.extraCaCerts };
    const first = await firstRead(transport, read({ kind: 'basic' }), network);
    let exchange: Exchange = first;
    let preferredAuth: ValidAuth['kind'] = 'basic';
    if (first.response.status === 401) {
      const byQuery = await firstRead(transport, read({ kind: 'query' }), network);
      if (byQuery.response.status === 401) {
        throw new UserError(
          `${targetLabel} refuses the API key by Basic auth and by the ${facts.keyParameter} query parameter (401 both ways); check --api-key or LILT_API_KEY`,
        );
      }
      exchange = byQuery;
      preferredAuth = 'query';
    }
    if (exchange.response.status === 404) throw new UserError(notFoundOnFirstRead(route, exchange, jobId, targetLabel));

    const where = (scenario: string) => ({ route, suite: START_UP_SUITE, scenario });
    const firstExchanges: Exchange[] = [exchange];
    const firstReads: Evaluation[] = [evaluate(checks, exchange, { facts, expect: { kind: 'update', jobId, changes: {} } }, where(FIRST_READ))];
    const job = exchange.response.status === 200 ? jobOf(exchange.response) : undefined;
    const original = job === undefined ? undefined : snapshotOf(facts, jobId, job);
    if (original) log(redact(`job ${jobId} before the run: ${describeOriginal(original)}`));

    // One run per job: values this tool writes, found before the first write, mean another run (or a killed one).
    const foreign = job === undefined ? [] : runValuesIn(facts, job);
    if (foreign.length > 0 && !config.allowSharedJob) {
      const shown = foreign.map((f) => `${f.field}=${shownValue(f.value)}`).join(', ');
      throw new UserError(
        `job ${jobId} holds ${shown}, which lilt-conformance writes while testing: another run is working on it, or one was killed ` +
          'before it put the job back; nothing was written. Wait for that run, or put the job\'s own values back by hand (the killed ' +
          "run's output lists them), or pass --allow-shared-job if these are the job's own values",
      );
    }
    if (foreign.length > 0) log(`--allow-shared-job: job ${jobId} holds values this tool writes; they are taken as the job's own`);

    const unwritable = original?.absent ?? [];
    if (unwritable.length > 0) {
      const fields = unwritable.join(', ');
      log(
        `job ${jobId} has no ${fields}, and the API cannot unset a field: no request of this run names ${fields} ` +
          `(its values are left out of groups 2 and 3, its property is not run); to test ${fields}, use a job that has one`,
      );
    }
    const marker = original !== undefined && !unwritable.includes(MARKER_FIELD) && facts.updatableFields.includes(MARKER_FIELD) ? newRunMarker() : undefined;

    // The other jobs: read (and judged) once now; each must exist. One with every updatable field is a lane of its
    // own (written by the property examples, see lanes.ts); at the end each is read and put back if it is not as it was.
    const others: OriginalState[] = [];
    for (const id of otherJobIds) {
      const otherRead = await firstRead(transport, read({ kind: preferredAuth }, id), network);
      if (otherRead.response.status === 404) {
        throw new UserError(`job ${id} does not exist on ${targetLabel} (404 on its first read); --job-id must name existing jobs`);
      }
      firstExchanges.push(otherRead);
      firstReads.push(evaluate(checks, otherRead, { facts, expect: { kind: 'update', jobId: id, changes: {} } }, where(FIRST_READ)));
      const otherJob = otherRead.response.status === 200 ? jobOf(otherRead.response) : undefined;
      if (otherJob !== undefined) others.push(snapshotOf(facts, id, otherJob));
    }
    const startUp = caseOf(FIRST_READ, firstReads, redact, transport.counters.sent);
    let concurrency = config.concurrency;
    if (config.concurrencySource === 'target') {
      // Enough in flight to reach the rate at the latency the first reads measured (the fastest: the first one also
      // opened the connection).
      const latencyMs = Math.min(...firstExchanges.map((e) => e.durationMs));
      concurrency = concurrencyFor(config.rate, latencyMs);
      limiter.setConcurrency(concurrency);
      log(`${concurrency} requests in flight at most: the first reads took ${Math.round(latencyMs)} ms (--concurrency sets it)`);
    }
    const complete = (state: OriginalState) => facts.updatableFields.every((field) => state.fields[field] !== undefined);
    const lanes = original === undefined ? [] : [jobId, ...others.filter(complete).map((other) => other.jobId)];

    const active: ActiveRun = { config, targetUrl, targetLabel, jobId, otherJobIds, missingJobId, preferredAuth };
    const jobRequest = (body: Readonly<Record<string, unknown>>, id = jobId): ApiRequest => ({
      method: facts.method,
      idSegment: String(id),
      body: JSON.stringify(body),
      contentType: 'application/json',
      auth: { kind: preferredAuth },
    });

    // The restore's PUTs go through the restore's own lane (outside the run's limiter and its pauses), each within
    // what is left of --restore-timeout; the answers are kept (the 200s are judged).
    const scenario = 'the restore of the job, and its read-back';
    const putTo = (id: number, answered: Exchange[]): JobPut => async (body, limits) => {
      const outcome = await transport.sendOnce(jobRequest(body, id), limits.timeoutMs);
      if (outcome.kind !== 'response') {
        return { kind: 'no-answer', reason: outcome.kind === 'network-error' ? outcome.message : outcome.kind === 'timeout' ? `no answer within ${outcome.timeoutMs} ms` : outcome.reason };
      }
      const { response } = outcome.exchange;
      if (response.status === 200) answered.push(outcome.exchange);
      return { kind: 'answered', status: response.status, job: response.status === 200 ? jobOf(response) : undefined, retryAfter: response.headers['retry-after'] };
    };
    // The restore of the job and of any other job that changed share one budget.
    const policyUntil = (deadline: number): RestorePolicy => ({
      budgetMs: Math.max(1, deadline - Date.now()),
      attemptTimeoutMs: config.timeoutMs,
      throttleWaitMs,
      settleMs: transport.unansweredWrites > 0 ? config.timeoutMs : 0,
      unanswered: transport.unansweredWrites,
      ...(options.onRestoreStep ? { onStep: options.onRestoreStep } : {}),
    });

    // The restore's own responses are judged too (group 1 on every response; the write must round-trip): the last
    // write and read-back that were answered 200 (a retried blip is the restore's business, not a finding).
    const restore = async (state: OriginalState, parkedLast: boolean): Promise<SessionRestore> => {
      const sentBefore = transport.counters.sent;
      const deadline = Date.now() + config.restoreTimeoutMs;
      let otherWriter: string | undefined;
      if (marker !== undefined && parkedLast) {
        const seen = await transport.sendOnce(jobRequest({}), config.timeoutMs);
        const now = seen.kind === 'response' && seen.exchange.response.status === 200 ? jobOf(seen.exchange.response) : undefined;
        if (now !== undefined && now[MARKER_FIELD] !== marker.value) {
          otherWriter = `another writer changed job ${jobId} during this run (${MARKER_FIELD} was ${shownValue(now[MARKER_FIELD])}, not this run's marker): the values it started from may not be the job's own`;
          log(redact(otherWriter));
        }
      }
      const exchanges: Exchange[] = [];
      let outcome = await restoreJob(putTo(jobId, exchanges), facts, state, policyUntil(deadline));
      const write = exchanges.filter((e) => e.request.body !== '{}').at(-1);
      const readBack = exchanges.filter((e) => e.request.body === '{}').at(-1);
      const judged = [
        ...(write ? [evaluate(checks, write, { facts, expect: { kind: 'update', jobId, changes: state.fields } }, where(scenario))] : []),
        ...(readBack ? [evaluate(checks, readBack, { facts, expect: { kind: 'update', jobId, changes: {} } }, where(scenario))] : []),
      ];
      // The other jobs were never written: read each, and put it back only if it is not as it was.
      const failures: string[] = [];
      for (const other of others) {
        const reads: Exchange[] = [];
        const now = await putTo(other.jobId, reads)({}, { timeoutMs: config.timeoutMs });
        const same = now.kind === 'answered' && now.job !== undefined && sameFields(facts, other, now.job);
        if (same) continue;
        const restored = await restoreJob(putTo(other.jobId, reads), facts, other, policyUntil(deadline));
        const why = lanes.includes(other.jobId) ? '(a lane of the run)' : 'had changed during the run:';
        log(redact(`job ${other.jobId} ${why} ${restored.kind === 'restored' ? 'put back' : 'NOT put back'} (${describeOriginal(other)})`));
        if (restored.kind === 'failed') failures.push(`job ${other.jobId} (${describeOriginal(other)}): ${restored.reason}`);
      }
      if (failures.length > 0) {
        const reason = [...(outcome.kind === 'failed' ? [outcome.reason] : []), ...failures].join('; ');
        outcome = { kind: 'failed', reason, retries: outcome.retries };
      }
      // Every request of the restore, the other jobs' reads included (judged or not).
      return { outcome, record: caseOf(scenario, judged, redact, transport.counters.sent - sentBefore), otherWriter };
    };
    let restoring: Promise<SessionRestore> | undefined;
    return {
      active,
      apiKey,
      route,
      transport,
      concurrency,
      redact,
      original,
      unwritable,
      marker,
      lanes,
      startUp,
      firstJob: job,
      restore: (parkedLast) =>
        (restoring ??=
          original === undefined
            ? Promise.resolve({ outcome: { kind: 'restored', retries: 0 }, record: undefined, otherWriter: undefined })
            : restore(original, parkedLast)),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * The 404 of the first read: the URL it asked for, and when the target's base path already ends with the operation's
 * first segment (`--target http://host/v2` -> /v2/v2/jobs/241), that the base path is probably doubled.
 */
export function notFoundOnFirstRead(route: Route, exchange: Exchange, jobId: number, targetLabel: string): string {
  const asked = `${exchange.request.method} ${shownUrl(route, exchange.request)}`;
  const base = new URL(route.baseUrl);
  const basePath = base.pathname.replace(/\/+$/, '');
  const first = /^\/[^/]+/.exec(route.pathTemplate)?.[0];
  if (first !== undefined && basePath.endsWith(first)) {
    const suggested = `${base.origin}${basePath.slice(0, -first.length)}`;
    return (
      `job ${jobId} does not exist on ${targetLabel} (404 on the first read of ${asked}): the base path of --target already ends in ` +
      `${first}, which the operation's path ${route.pathTemplate} starts with, so ${first} is probably doubled; try --target ${suggested}`
    );
  }
  return `job ${jobId} does not exist on ${targetLabel} (404 on the first read of ${asked}); pass the id of an existing job with --job-id, or check the base path of --target`;
}

function secretHeaderValues(headers: RunConfig['headers']): Array<{ readonly value: string; readonly label: string }> {
  return headers.flatMap((h) => (h.secret ? [{ value: h.value.reveal(), label: `header ${h.name}` }] : []));
}

async function firstRead(transport: Transport, request: ApiRequest, network: NetworkErrorContext): Promise<Exchange> {
  const targetLabel = network.target;
  const outcome = await transport.send(request);
  if (outcome.kind === 'target-down' && transport.stopped !== undefined) {
    throw new UserError(`${transport.stopped} before the first read of ${targetLabel} ended; nothing was written`, ExitCode.unreachable);
  }
  switch (outcome.kind) {
    case 'response':
      return outcome.exchange;
    case 'timeout':
      throw new UserError(
        `${targetLabel} did not answer the first read within ${outcome.timeoutMs} ms; check the URL, or raise --timeout-ms`,
        ExitCode.unreachable,
      );
    case 'network-error': {
      if (outcome.cause === 'headers-too-large') {
        throw new UserError(`${targetLabel} answered the first read with ${outcome.message}; check --target`, ExitCode.unreachable);
      }
      const tls = tlsCause(outcome.code, outcome.message, network);
      throw new UserError(tls ?? `cannot reach ${targetLabel}: ${outcome.message}; check --target`, ExitCode.unreachable);
    }
    case 'target-down':
      throw new UserError(`${targetLabel} stopped answering: ${outcome.reason}`, ExitCode.unreachable);
  }
}
