/**
 * The run's target and its one transport. Without --target, the reference provider is started in-process with its
 * fixture key and jobs (a key or job id left in the environment must not point it elsewhere); with one, the given
 * URL, key and jobs. Every request of the run goes through the transport opened here, and every text the target
 * sends back passes the redaction made here.
 */
import type { RunConfig } from '../../config/run-config';
import { FALLBACK_QUOTA } from '../../contract/model';
import type { Contract } from '../../contract/load';
import { UserError } from '../../errors';
import type { ConformanceFacts } from '../../checks/facts';
import { mayWrite } from '../../case/errors';
import { createRateLimiter, type RateLimiter } from '../../http/rate-limiter';
import type { Route } from '../../http/target-url';
import { createTransport, type AttemptLog, type ThrottleWait, type Transport, type TransportCounters } from '../../http/transport';
import { HarNotWritable, openHar, type HarWriter } from '../../http/har';
import { redactExcerpts, redactor } from '../../http/key-scan';
import { startReferenceTarget } from './reference';

/** Where the run goes, with what key, and on which jobs. */
export interface Target {
  readonly url: string;
  /** The target as shown (the URL, or the in-process reference provider). */
  readonly label: string;
  readonly apiKey: string;
  readonly jobId: number;
  readonly otherJobIds: readonly number[];
  readonly missingJobId: number;
  /** Stops the reference provider, if one was started. */
  close(): Promise<void>;
}

export async function openTarget(config: RunConfig, apiKey: string | undefined, log: (line: string) => void, contract: Contract): Promise<Target> {
  if (config.target.kind === 'reference') {
    const reference = await startReferenceTarget(contract);
    const ignored = [
      apiKey !== undefined ? 'the API key' : undefined,
      config.jobId !== undefined ? 'the job id' : undefined,
      config.missingJobId !== undefined ? 'the missing job id' : undefined,
    ].filter((what) => what !== undefined);
    if (ignored.length > 0) log(`no --target: ${ignored.join(', ')} given are ignored; the reference provider uses its fixture key and jobs`);
    return {
      url: reference.provider.url,
      label: `the reference provider (in-process, ${reference.provider.url})`,
      apiKey: reference.apiKey,
      jobId: reference.jobId,
      otherJobIds: reference.jobIds.filter((id) => id !== reference.jobId),
      missingJobId: reference.missingJobId,
      close: () => reference.provider.close(),
    };
  }
  if (apiKey === undefined || config.jobId === undefined || config.missingJobId === undefined) {
    throw new UserError('a --target needs --api-key and --job-id');
  }
  const jobId = config.jobId;
  return {
    url: config.target.url,
    label: config.target.url,
    apiKey,
    jobId,
    otherJobIds: config.jobIds.filter((id) => id !== jobId),
    missingJobId: config.missingJobId,
    close: async () => undefined,
  };
}

export interface Wire {
  readonly route: Route;
  readonly limiter: RateLimiter;
  readonly transport: Transport;
  /** Removes every form of the key (and of secret header values) from a text the target sent back. */
  readonly redact: (text: string) => string;
  /** The wait after a 429 without Retry-After (the document's). */
  readonly throttleWaitMs: number;
  /** --har: the record of every attempt, closed with the transport. */
  readonly har: HarWriter | undefined;
  /** Ends this run's redaction of excerpts (redactExcerpts), when the session closes. */
  readonly releaseExcerpts: () => void;
}

export interface WireHooks {
  readonly log: (line: string) => void;
  /** A 429 wait begins (for the progress line). */
  readonly onWait?: (wait: ThrottleWait) => void;
  /** A request ended (answered or not): the counters so far. */
  readonly onCounters?: (counters: Readonly<TransportCounters>) => void;
}

/** The HAR writer, or a UserError (exit 2) saying why the file cannot be written. */
function openHarOrRefuse(file: string, redact: (text: string) => string): HarWriter {
  try {
    return openHar(file, redact);
  } catch (error) {
    if (error instanceof HarNotWritable) throw new UserError(error.message);
    throw error;
  }
}

/** The run's one transport to the target, paced and bounded as the config says. */
export function openWire(config: RunConfig, facts: ConformanceFacts, target: Target, hooks: WireHooks): Wire {
  const route: Route = { baseUrl: target.url, pathTemplate: facts.model.fullPath, keyParameter: facts.keyParameter, headers: config.headers };
  const throttleWaitMs = (facts.model.quota ?? FALLBACK_QUOTA).waitMs;
  const secrets = config.headers.flatMap((h) => (h.secret ? [{ value: h.value.reveal(), label: `header ${h.name}` }] : []));
  const redact = redactor(target.apiKey, secrets);
  // Opened before the first request: a file that cannot be written costs nothing (exit 2, nothing sent).
  const har = config.har === undefined ? undefined : openHarOrRefuse(config.har, redact);
  const limiter = createRateLimiter({
    perMinute: config.rate.kind === 'per-minute' ? config.rate.perMinute : undefined,
    concurrency: config.concurrency,
  });
  const transport = createTransport({
    route,
    apiKey: target.apiKey,
    timeoutMs: config.timeoutMs,
    limiter,
    throttleWaitMs,
    maxWaitMs: config.maxWaitMs,
    // Any id: a leading zero or + may still name the run's job.
    isWrite: mayWrite,
    ...(hooks.onWait ? { onWait: hooks.onWait } : {}),
    ...(hooks.onCounters ? { onCounters: hooks.onCounters } : {}),
    log: hooks.log,
    proxy: config.proxy,
    ...(har ? { onAttempt: (attempt: AttemptLog) => har.record(attempt) } : {}),
  });
  return { route, limiter, transport, redact, throttleWaitMs, har, releaseExcerpts: redactExcerpts(redact) };
}
