/**
 * A run's session with its target: the target (the reference provider when there is no --target), the run's one
 * transport, the first reads and the snapshot of the job (first-read.ts), the marker the job rests on while the run
 * works (src/run/marker.ts), the lanes, and the restore at the end (restore.ts), judged too.
 */
import { concurrencyFor, type RunConfig } from '../../config/run-config';
import type { Check, JobState } from '../../checks/types';
import type { ConformanceFacts } from '../../checks/facts';
import type { ActiveRun, CaseRecord } from '../../case/record';
import type { Route } from '../../http/target-url';
import type { ThrottleWait, Transport, TransportCounters } from '../../http/transport';
import type { OriginalState, RestoreStep } from '../job-guard';
import { MARKER_FIELD, newRunMarker, type RunMarker } from '../marker';
import { firstReads } from './first-read';
import { restoreAll, type RestoreGuard, type SessionRestore } from './restore';
import { openTarget, openWire, type Target, type Wire } from './target';

export { START_UP_GROUP, notFoundOnFirstRead } from './first-read';
export type { RestoreGuard, SessionRestore } from './restore';

export interface Session {
  readonly active: ActiveRun;
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
  /** The other jobs as first read. */
  readonly others: readonly OriginalState[];
  /** The value the job rests on while the run works; undefined when nothing is written or the job has no name. */
  readonly marker: RunMarker | undefined;
  /**
   * The jobs the run may write, one lane each: the run's job first, then each other job whose first read showed
   * every updatable field (the restore can put such a job back exactly; a field a job lacks could not be taken away
   * again, so such a job is only read).
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
  restore(parkedLast: boolean, guard: RestoreGuard): Promise<SessionRestore>;
  close(): Promise<void>;
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

/** The wire, or the target closed (the reference provider stopped) before the refusal goes on (a --har that cannot be written). */
async function openWireOrClose(target: Target, open: () => Wire): Promise<Wire> {
  try {
    return open();
  } catch (error) {
    await target.close();
    throw error;
  }
}

export async function openSession(options: SessionOptions): Promise<Session> {
  const { config, facts, checks, log } = options;
  const target = await openTarget(config, options.apiKey, log, options.facts.contract);
  const wire = await openWireOrClose(target, () =>
    openWire(config, facts, target, {
      log,
      ...(options.onWait ? { onWait: options.onWait } : {}),
      ...(options.onCounters ? { onCounters: options.onCounters } : {}),
    }),
  );
  const { transport } = wire;
  const stopTransport = () => void transport.stop(String(options.stop?.reason ?? 'the run is stopping'));
  if (options.stop?.aborted) stopTransport();
  options.stop?.addEventListener('abort', stopTransport, { once: true });
  const close = async () => {
    options.stop?.removeEventListener('abort', stopTransport);
    await transport.close();
    wire.har?.close();
    wire.releaseExcerpts();
    await target.close();
  };
  try {
    const first = await firstReads(config, facts, checks, target, wire, log);
    const { original, unwritable } = first;
    const marker = original !== undefined && !unwritable.includes(MARKER_FIELD) && facts.updatableFields.includes(MARKER_FIELD) ? newRunMarker() : undefined;
    let concurrency = config.concurrency;
    if (config.concurrencySource === 'target') {
      // Enough in flight to reach the rate at the latency the first reads measured.
      concurrency = concurrencyFor(config.rate, first.latencyMs);
      wire.limiter.setConcurrency(concurrency);
      log(`${concurrency} requests in flight at most: the first reads took ${Math.round(first.latencyMs)} ms (--concurrency sets it)`);
    }
    const complete = (state: OriginalState) => facts.updatableFields.every((field) => state.fields[field] !== undefined);
    const lanes = original === undefined ? [] : [target.jobId, ...first.others.filter(complete).map((other) => other.jobId)];
    const active: ActiveRun = {
      config,
      targetUrl: target.url,
      targetLabel: target.label,
      jobId: target.jobId,
      otherJobIds: target.otherJobIds,
      missingJobId: target.missingJobId,
      preferredAuth: first.preferredAuth,
    };
    let restoring: Promise<SessionRestore> | undefined;
    const restore = (parkedLast: boolean, guard: RestoreGuard): Promise<SessionRestore> => {
      if (original === undefined) return Promise.resolve({ outcome: { kind: 'restored', retries: 0 }, record: undefined, otherWriter: undefined });
      const scope = { config, facts, checks, wire, jobId: target.jobId, auth: first.preferredAuth, original, others: first.others, lanes, marker, firstJob: first.firstJob, otherJobs: first.otherJobs, guard, log, ...(options.onRestoreStep ? { onStep: options.onRestoreStep } : {}) };
      return (restoring ??= restoreAll(scope, parkedLast));
    };
    return {
      active,
      route: wire.route,
      transport,
      concurrency,
      redact: wire.redact,
      original,
      unwritable,
      others: first.others,
      marker,
      lanes,
      startUp: first.startUp,
      firstJob: first.firstJob,
      restore,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
