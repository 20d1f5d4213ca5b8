/**
 * The first read of the run's job (PUT {} by Basic auth, then the key query parameter if Basic is refused), which
 * decides whether the run can start at all (exit 2 or 3 if not) and is itself judged; then the snapshot of the job,
 * which decides what the run may write (never a field the job lacks) and whether another run is on it; then one read
 * of each other job (each must exist; one with every updatable field becomes a lane of its own).
 */
import type { RunConfig } from '../../config/run-config';
import { ExitCode, UserError } from '../../errors';
import type { Check, JobState } from '../../checks/types';
import { jobOf } from '../../checks/values';
import type { ConformanceFacts } from '../../checks/facts';
import { redactFinding } from '../../case/finding';
import { readRequest } from '../../case/reads';
import { evaluate, type Evaluation } from '../../case/judge';
import { addVerdicts, type CaseRecord } from '../../case/record';
import type { ApiRequest, Exchange, ValidAuth } from '../../http/request';
import { shownUrl } from '../../http/curl';
import { tlsCause, type NetworkErrorContext } from '../../http/network-errors';
import type { Route } from '../../http/target-url';
import type { Transport } from '../../http/transport';
import { describeOriginal, snapshotOf, type OriginalState } from '../job-guard';
import { refuseSharedJob } from '../marker';
import type { Target, Wire } from './target';

export const START_UP_GROUP = 'start-up';
const FIRST_READ = 'the first read (PUT {}) returns the job';

/** What the first reads found. */
export interface FirstReads {
  /** The valid auth method that read the job (Basic where it works). */
  readonly preferredAuth: ValidAuth['kind'];
  /** The first reads, judged. */
  readonly startUp: CaseRecord;
  /** The Job the first read returned, if it did (the state before the run's first write). */
  readonly firstJob: JobState | undefined;
  /** Undefined when the first read did not return a Job: then nothing may be written. */
  readonly original: OriginalState | undefined;
  /** Updatable fields the job does not have: no request of the run names them. */
  readonly unwritable: readonly string[];
  /** The other jobs as first read (those that returned a Job). */
  readonly others: readonly OriginalState[];
  /** The other jobs' Jobs as first read, by id (the end check compares each lane's whole job with it). */
  readonly otherJobs: ReadonlyMap<number, JobState>;
  /** The fastest first read, in ms (the latency the default concurrency follows). */
  readonly latencyMs: number;
}

/** A record of the start-up's judged exchanges, under a case name of the start-up. */
export function startUpRecord(name: string, judged: readonly Evaluation[], redact: (text: string) => string, requests: number): CaseRecord {
  return {
    group: START_UP_GROUP,
    case: name,
    tallies: judged.reduce((tallies, j) => addVerdicts(tallies, j.verdicts, j.durationMs ?? 0), {}),
    findings: judged.flatMap((j) => j.findings).map((f) => redactFinding(f, redact)),
    requests,
  };
}

function readOf(facts: ConformanceFacts, auth: ValidAuth, id: number): ApiRequest {
  return readRequest(facts, id, auth);
}

export async function firstReads(config: RunConfig, facts: ConformanceFacts, checks: readonly Check[], target: Target, wire: Wire, log: (line: string) => void): Promise<FirstReads> {
  const { transport, route, redact } = wire;
  const network = { target: target.label, extraCaCerts: config.extraCaCerts };
  const where = { route, group: START_UP_GROUP, case: FIRST_READ };
  const { exchange, preferredAuth } = await readByEitherAuth(facts, target, transport, route, network);
  const exchanges: Exchange[] = [exchange];
  const judged: Evaluation[] = [evaluate(checks, exchange, { facts, expect: { kind: 'update', jobId: target.jobId, changes: {} } }, where)];
  const job = exchange.response.status === 200 ? jobOf(exchange.response) : undefined;
  const original = job === undefined ? undefined : snapshotOf(facts, target.jobId, job);
  if (original) log(redact(`job ${target.jobId} before the run: ${describeOriginal(original)}`));
  if (job !== undefined) refuseSharedJob(facts, target.jobId, job, config.allowSharedJob, log);
  const unwritable = original?.absent ?? [];
  if (unwritable.length > 0) {
    const fields = unwritable.join(', ');
    log(
      `job ${target.jobId} has no ${fields}, and the API cannot unset a field: no request of this run names ${fields} ` +
        `(its values are left out of groups 2 and 3, its property is not run); to test ${fields}, use a job that has one`,
    );
  }
  const others: OriginalState[] = [];
  const otherJobs = new Map<number, JobState>();
  for (const id of target.otherJobIds) {
    const otherRead = await firstRead(transport, readOf(facts, { kind: preferredAuth }, id), network);
    if (otherRead.response.status === 404) {
      throw new UserError(`job ${id} does not exist on ${target.label} (404 on its first read); --job-id must name existing jobs`);
    }
    exchanges.push(otherRead);
    judged.push(evaluate(checks, otherRead, { facts, expect: { kind: 'update', jobId: id, changes: {} } }, where));
    const otherJob = otherRead.response.status === 200 ? jobOf(otherRead.response) : undefined;
    if (otherJob !== undefined) others.push(snapshotOf(facts, id, otherJob));
    if (otherJob !== undefined) otherJobs.set(id, otherJob);
  }
  return {
    preferredAuth,
    startUp: startUpRecord(FIRST_READ, judged, redact, transport.counters.sent),
    firstJob: job,
    original,
    unwritable,
    others,
    otherJobs,
    // The fastest: the first one also opened the connection.
    latencyMs: Math.min(...exchanges.map((e) => e.durationMs)),
  };
}

/** The first read by Basic auth, and by the key query parameter if Basic is refused; one line if both are. */
async function readByEitherAuth(
  facts: ConformanceFacts,
  target: Target,
  transport: Transport,
  route: Route,
  network: NetworkErrorContext,
): Promise<{ exchange: Exchange; preferredAuth: ValidAuth['kind'] }> {
  let exchange = await firstRead(transport, readOf(facts, { kind: 'basic' }, target.jobId), network);
  let preferredAuth: ValidAuth['kind'] = 'basic';
  if (exchange.response.status === 401) {
    exchange = await firstRead(transport, readOf(facts, { kind: 'query' }, target.jobId), network);
    if (exchange.response.status === 401) {
      throw new UserError(
        `${target.label} refuses the API key by Basic auth and by the ${facts.keyParameter} query parameter (401 both ways); check --api-key or LILT_API_KEY`,
      );
    }
    preferredAuth = 'query';
  }
  if (exchange.response.status === 404) throw new UserError(notFoundOnFirstRead(route, exchange, target.jobId, target.label));
  return { exchange, preferredAuth };
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
