/**
 * Provider verification: replays the consumer pacts against a target with pact-js's Verifier. The provider states are
 * set up through the API itself (a PUT of known values to the configured job), and a request filter swaps the pact's
 * placeholder credentials for the real ones on the way out, so the key is never in a pact, an argument list or a log.
 */
import { fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { Verifier, type VerifierOptions } from '@pact-foundation/pact';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  API_KEY_QUERY_PARAMETER,
  LiltResponseError,
  UnexpectedResponseError,
  NetworkError,
  NotFoundError,
  TimeoutError,
  UnauthorizedError,
  basicAuthorization,
  updateJob,
  type Auth,
  type ClientOptions,
  type Job,
  type JobUpdateParameters,
} from '../client';
import { ExitCode, UserError } from '../errors';
import type { JobState } from '../checks/types';
import { conformanceFacts } from '../checks/facts';
import { DEFAULT_RESTORE_POLICY, restoreJob, snapshotOf, type JobPut, type OriginalState, type RestoreOutcome, type RestorePolicy } from '../run/job-guard';
import { createValidators, loadValidators } from '../validation/validators';
import type { Contract } from '../contract/load';
import type { BrokerSettings } from './broker-settings';
import { BASELINE, ProviderStates } from './states';
import { DEFAULT_SELECTORS } from '../config/options';
import { RequestWithheld, withheldField } from '../case/errors';
import { refuseSharedJob } from '../run/marker';

export type AuthScheme = 'basic' | 'query';
export type ConsumerVersionSelector = NonNullable<VerifierOptions['consumerVersionSelectors']>[number];

export type PactSource =
  | { readonly kind: 'files'; readonly files: readonly string[] }
  | {
      readonly kind: 'broker';
      readonly broker: BrokerSettings;
      readonly consumerVersionSelectors: readonly ConsumerVersionSelector[];
      /** Pacts not yet verified successfully by this provider's main branch fail nothing (the broker's pending pacts). */
      readonly enablePending?: boolean;
      /** Also verify work-in-progress pacts published since this date (YYYY-MM-DD), as pending ones. */
      readonly includeWipPactsSince?: string;
    };

export interface PublishSettings {
  readonly providerVersion: string;
  readonly providerBranch?: string;
}

export interface VerifyOptions {
  /** Base URL of the provider under test. */
  readonly target: string;
  readonly apiKey: string;
  readonly authScheme: AuthScheme;
  readonly provider: string;
  /** The job the states reset and the requests update. */
  readonly jobId: number;
  /** An id with no job behind it on the target. */
  readonly missingJobId: number;
  readonly source: PactSource;
  /** Publish the results to the broker (broker source only). */
  readonly publish?: PublishSettings;
  readonly logLevel: 'info' | 'warn' | 'error';
  readonly timeoutMs: number;
  /** The restore's budget (retried with backoff within it); default the conformance run's 120 s. */
  readonly restoreTimeoutMs?: number;
  /** Start even when the job holds values this tool writes while testing (--allow-shared-job, as for the run). */
  readonly allowSharedJob?: boolean;
  /**
   * Updatable fields the job lacks (set by verifyPacts from its first read): no request of the verification names one,
   * since the API cannot unset a field. The states leave them out; a replayed request that names one is withheld.
   */
  readonly unwritable?: readonly string[];
  /** The document and operation the states and the job guard read (default: the bundled document). */
  readonly contract?: Contract;
  /** Lines for a person (the job guard's); not passed to the verifier's process. */
  readonly log?: (line: string) => void;
  /**
   * Run the verifier in a child process and pass its output on, without terminal escapes where the stream is not a
   * terminal (the native verifier colours whatever it prints, and writes to the process's own stdout). The CLI does.
   */
  readonly isolated?: boolean;
}

export const DEFAULT_CONSUMER_VERSION_SELECTORS: readonly ConsumerVersionSelector[] = DEFAULT_SELECTORS;

/** The pact files of a directory (every `*.json`), or a UserError when there are none. */
export function pactFilesIn(dir: string): string[] {
  const shown = path.relative(process.cwd(), dir) || dir;
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new UserError(`${shown}: no such pact directory (run the consumer tests first: npm run pact:consumer)`);
  }
  const files = fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => path.join(dir, name));
  if (files.length === 0) {
    throw new UserError(`${shown}: no pact files (*.json) found (run the consumer tests first: npm run pact:consumer)`);
  }
  return files;
}

function clientOptions(options: VerifyOptions): ClientOptions {
  const auth: Auth = { scheme: options.authScheme, apiKey: options.apiKey };
  return { baseUrl: options.target, auth, timeoutMs: options.timeoutMs };
}

/**
 * Checks the target answers, accepts the key, has the configured job and does not have the missing one, so that a
 * bad set-up is one clear line rather than eight failed interactions.
 */
export async function preflight(options: VerifyOptions): Promise<Job> {
  const client = clientOptions(options);
  let job: Job;
  try {
    // A PUT without a body changes nothing and returns the job: the read this operation offers.
    job = await updateJob(options.jobId, undefined, client);
  } catch (error) {
    if (error instanceof NetworkError || error instanceof TimeoutError) {
      throw new UserError(`${error.message}; is the target running?`, ExitCode.unreachable);
    }
    if (error instanceof UnauthorizedError) {
      throw new UserError(`target ${options.target} refused the API key (401); pass the right one with --api-key or LILT_API_KEY`);
    }
    if (error instanceof NotFoundError) {
      throw new UserError(`target ${options.target} has no job ${options.jobId}; pass an existing one with --job-id`);
    }
    throw new UserError(`target ${options.target} did not answer a plain update of job ${options.jobId}: ${(error as Error).message}`);
  }
  await expectMissing(options, client);
  return job;
}

async function expectMissing(options: VerifyOptions, client: ClientOptions): Promise<void> {
  try {
    await updateJob(options.missingJobId, undefined, client);
  } catch (error) {
    if (error instanceof NotFoundError) return;
    throw error;
  }
  throw new UserError(`target ${options.target} has a job ${options.missingJobId}; pass an id with no job behind it with --missing-job-id`);
}

/** The provider states of src/pact/states.ts, set up through the API. Each returns the values the pact injects. */
export function stateHandlers(options: VerifyOptions) {
  const client = clientOptions(options);
  const unwritable = options.unwritable ?? [];
  const reset = async (overrides: JobUpdateParameters = {}) => {
    // The baseline without the fields the job lacks (the job keeps lacking them); a state that needs one is withheld.
    const baseline = Object.fromEntries(Object.entries(BASELINE).filter(([field]) => !unwritable.includes(field)));
    const withheld = withheldField(JSON.stringify(overrides), unwritable);
    if (withheld !== undefined) throw new RequestWithheld(withheld);
    await updateJob(options.jobId, { ...baseline, ...overrides }, client);
    return { jobId: options.jobId };
  };
  return {
    [ProviderStates.jobExists]: () => reset(),
    [ProviderStates.jobExistsWithDue]: (params?: unknown) => {
      const due = (params as { due?: unknown } | undefined)?.due;
      if (typeof due !== 'string') throw new Error(`state '${ProviderStates.jobExistsWithDue}' needs a due parameter`);
      return reset({ due });
    },
    [ProviderStates.jobMissing]: async () => {
      await expectMissing(options, client);
      return { jobId: options.missingJobId };
    },
  };
}

/** The verifier's own requests to its proxy (the provider states): never sent to the target. */
const STATE_PATHS = /^\/_pact/;

/**
 * The job guard's rule for the replayed requests: a body that names a field the job lacks (by what a JSON reader sees:
 * escapes decoded, nested keys included) is not sent to the target. The verifier gets a 409 that says why instead.
 */
export function withholdingFilter(unwritable: readonly string[]) {
  return (req: IncomingMessage & { body?: unknown }, res: ServerResponse, next: () => void): void => {
    if (unwritable.length === 0 || STATE_PATHS.test(req.url ?? '')) return next();
    const body = req.body;
    const text = Buffer.isBuffer(body) ? body.toString('utf8') : body === undefined ? undefined : JSON.stringify(body);
    const field = withheldField(text, unwritable);
    if (field === undefined) return next();
    res.statusCode = 409;
    res.setHeader('content-type', 'text/plain');
    res.end(`lilt-conformance withheld this request: ${new RequestWithheld(field).message}`);
  };
}

/**
 * Swaps the placeholder credentials of the replayed requests for the real ones. Requests recorded without
 * credentials (the 401 interaction) are left alone.
 */
export function credentialsFilter(apiKey: string, scheme: AuthScheme) {
  return (req: IncomingMessage, _res: ServerResponse, next: () => void): void => {
    if (req.headers.authorization !== undefined) {
      if (scheme === 'basic') {
        req.headers.authorization = basicAuthorization(apiKey);
      } else {
        delete req.headers.authorization;
        const separator = (req.url ?? '').includes('?') ? '&' : '?';
        req.url = `${req.url ?? ''}${separator}${API_KEY_QUERY_PARAMETER}=${encodeURIComponent(apiKey)}`;
      }
    }
    next();
  };
}

export type VerifyResult = { readonly passed: true } | { readonly passed: false; readonly reason: string };

/** The verification's result, and what became of the job the states wrote (the job guard's, as for a conformance run). */
export type VerifyOutcome = VerifyResult & {
  readonly original: OriginalState;
  readonly restore: RestoreOutcome;
  /** Fields the job did not have before: nothing of the verification wrote them (the API cannot unset one). */
  readonly unrestorable: readonly string[];
};

function restorePolicy(options: VerifyOptions): RestorePolicy {
  return { ...DEFAULT_RESTORE_POLICY, budgetMs: options.restoreTimeoutMs ?? DEFAULT_RESTORE_POLICY.budgetMs, attemptTimeoutMs: options.timeoutMs };
}

/** The job guard's one PUT, through the typed client. */
function clientPut(options: VerifyOptions): JobPut {
  return async (body) => {
    try {
      const job = await updateJob(options.jobId, body as JobUpdateParameters, clientOptions(options));
      return { kind: 'answered', status: 200, job: job as unknown as JobState };
    } catch (error) {
      if (error instanceof LiltResponseError || error instanceof UnexpectedResponseError) {
        return { kind: 'answered', status: error.status, job: undefined };
      }
      return { kind: 'no-answer', reason: error instanceof Error ? error.message : String(error) };
    }
  };
}

/**
 * Runs the verification. Resolves with the outcome; a bad set-up is a UserError. The run's job guard: a job that holds
 * values this tool writes (another run's marker) is refused before any write (unless allowSharedJob); a field the job
 * lacks is never written (the states leave it out, a request naming it is withheld); the states overwrite the job's
 * name, due date and isProcessing, and the guard puts them back afterwards and reads them back, so a shared test job
 * is left as it was found, or the outcome says it was not.
 */
export async function verifyPacts(given: VerifyOptions): Promise<VerifyOutcome> {
  const facts = conformanceFacts(given.contract !== undefined ? createValidators(given.contract) : await loadValidators());
  const job = (await preflight(given)) as unknown as JobState;
  const log = given.log ?? (() => undefined);
  refuseSharedJob(facts, given.jobId, job, given.allowSharedJob === true, log);
  const original = snapshotOf(facts, given.jobId, job);
  const unrestorable = original.absent;
  if (unrestorable.length > 0) {
    const fields = unrestorable.join(', ');
    log(
      `job ${given.jobId} has no ${fields}, and the API cannot unset a field: no request of this verification names ${fields} ` +
        `(the states leave it out, a request that names it is withheld and its interaction fails); to verify ${fields}, use a job that has one`,
    );
  }
  const options: VerifyOptions = { ...given, unwritable: unrestorable };
  let result: VerifyResult;
  try {
    result = options.isolated === true ? await runVerifierInChild(options) : await runVerifier(options);
  } catch (error) {
    await restoreJob(clientPut(options), facts, original, restorePolicy(options)); // a bug surfaces, after the job is put back
    throw error;
  }
  const restore = await restoreJob(clientPut(options), facts, original, restorePolicy(options));
  return { ...result, original, restore, unrestorable };
}

/** The verifier itself, in this process (its output goes straight to this process's stdout). */
export async function runVerifier(options: VerifyOptions): Promise<VerifyResult> {
  const source = options.source;
  const verifier = new Verifier({
    provider: options.provider,
    providerBaseUrl: options.target,
    logLevel: options.logLevel,
    stateHandlers: stateHandlers(options),
    // The proxy's types name express; the filter is plain node middleware.
    requestFilter: ((req: IncomingMessage, res: ServerResponse, next: () => void) =>
      withholdingFilter(options.unwritable ?? [])(req, res, () => credentialsFilter(options.apiKey, options.authScheme)(req, res, next))) as never,
    timeout: options.timeoutMs,
    ...(source.kind === 'files'
      ? { pactUrls: [...source.files] }
      : {
          pactBrokerUrl: source.broker.baseUrl,
          ...brokerCredentials(source.broker),
          consumerVersionSelectors: [...source.consumerVersionSelectors],
          failIfNoPactsFound: true,
          ...(source.enablePending === true ? { enablePending: true } : {}),
          ...(source.includeWipPactsSince !== undefined ? { includeWipPactsSince: source.includeWipPactsSince } : {}),
          ...(options.publish
            ? {
                publishVerificationResult: true,
                providerVersion: options.publish.providerVersion,
                ...(options.publish.providerBranch ? { providerVersionBranch: options.publish.providerBranch } : {}),
              }
            : {}),
        }),
  });
  try {
    await verifier.verifyProvider();
    return { passed: true };
  } catch (error) {
    return { passed: false, reason: verifierFailureSummary(error instanceof Error ? error.message : String(error)) };
  }
}

/** What the verifier's child process sends back (src/pact/verifier-child.ts). */
export type VerifierChildMessage =
  | { readonly kind: 'result'; readonly result: VerifyResult }
  | { readonly kind: 'error'; readonly message: string; readonly stack?: string };

/** Copies a child's stream to ours line by line, without terminal escapes unless ours is a terminal. */
function passOn(from: NodeJS.ReadableStream, to: NodeJS.WriteStream): Promise<void> {
  let pending = '';
  const shown = (text: string) => (to.isTTY === true ? text : stripVTControlCharacters(text));
  from.setEncoding('utf8');
  from.on('data', (chunk: string) => {
    // Whole lines only: an escape sequence is never cut in two.
    pending += chunk;
    const end = pending.lastIndexOf('\n');
    if (end < 0) return;
    to.write(shown(pending.slice(0, end + 1)));
    pending = pending.slice(end + 1);
  });
  return new Promise((resolve) => {
    from.on('end', () => {
      if (pending !== '') to.write(shown(pending));
      resolve();
    });
  });
}

/**
 * The verifier in a child process (src/pact/verifier-child.ts): the options go to it over the IPC channel (never the
 * command line or the environment), the result comes back the same way, and its output is passed on (`passOn`).
 */
export async function runVerifierInChild(options: VerifyOptions): Promise<VerifyResult> {
  const child = fork(require.resolve('./verifier-child'), [], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  const output = Promise.all([passOn(child.stdout!, process.stdout), passOn(child.stderr!, process.stderr)]);
  const answer = new Promise<VerifierChildMessage>((resolve, reject) => {
    let message: VerifierChildMessage | undefined;
    child.on('message', (received) => (message = received as VerifierChildMessage));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (message !== undefined) resolve(message);
      else reject(new Error(`the verifier's process ended without a result (${signal ?? `exit ${String(code)}`})`));
    });
  });
  const { log: _log, ...sent } = options;
  child.send({ ...sent, isolated: false });
  const message = await answer;
  await output;
  if (message.kind === 'error') {
    const error = new Error(message.message);
    if (message.stack !== undefined) error.stack = message.stack;
    throw error;
  }
  return message.result;
}

/** At most this many failed interactions are listed; the verifier's own output above has them all. */
const LISTED_FAILURES = 10;
/** A line of the summary is cut to this many characters. */
const LINE_LIMIT = 200;

const stripAnsi = (text: string): string => text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
const clip = (text: string): string => {
  const flat = stripAnsi(text).replace(/\s+/g, ' ').trim();
  return flat.length > LINE_LIMIT ? `${flat.slice(0, LINE_LIMIT - 3)}...` : flat;
};

interface VerifierMismatch {
  readonly mismatch?: unknown;
  readonly path?: unknown;
}
interface VerifierError {
  readonly interaction?: unknown;
  readonly mismatch?: { readonly mismatches?: readonly VerifierMismatch[]; readonly message?: unknown; readonly type?: unknown };
}

/** `Verifying a pact between C and P Given S - D` as `D (given S)`. */
function interactionName(text: string): string {
  const match = /^Verifying a pact between .+? and .+?(?: Given (.+?))? - (.+)$/s.exec(stripAnsi(text));
  if (!match) return clip(text);
  return clip(match[1] === undefined ? match[2]! : `${match[2]!} (given ${match[1]})`);
}

function mismatchText(error: VerifierError): string {
  const mismatches = error.mismatch?.mismatches ?? [];
  const parts = mismatches.map((m) => [m.path, m.mismatch].filter((x): x is string => typeof x === 'string' && x !== '').join(': '));
  if (parts.some((part) => part !== '')) return clip(parts.filter(Boolean).join('; '));
  if (typeof error.mismatch?.message === 'string') return clip(error.mismatch.message);
  return clip(JSON.stringify(error.mismatch ?? {}));
}

/**
 * The verifier rejects with its whole result as one JSON line (every interaction, its output with terminal escapes):
 * this makes it a few readable lines, one per failed interaction (what was expected where). A message that is not
 * that JSON is shown as its first line, without escapes.
 */
export function verifierFailureSummary(message: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    parsed = undefined;
  }
  const result = parsed as { errors?: unknown; interactionResults?: unknown } | undefined;
  if (typeof result !== 'object' || result === null || !Array.isArray(result.errors)) {
    const first = stripAnsi(message).split('\n').map((line) => line.trim()).find(Boolean);
    return first === undefined ? 'the verifier failed without a message' : clip(first);
  }
  const errors = result.errors as VerifierError[];
  const total = Array.isArray(result.interactionResults) ? result.interactionResults.length : undefined;
  const head =
    errors.length === 0
      ? 'the verifier reported a failure but no failed interaction (see its output above)'
      : `${errors.length}${total === undefined ? '' : ` of ${total}`} interaction${(total ?? errors.length) === 1 ? '' : 's'} failed:`;
  const lines = errors.slice(0, LISTED_FAILURES).map((error) => {
    const name = typeof error.interaction === 'string' ? interactionName(error.interaction) : 'an interaction';
    return `  - ${name}: ${mismatchText(error)}`;
  });
  if (errors.length > LISTED_FAILURES) lines.push(`  ... and ${errors.length - LISTED_FAILURES} more (see the verifier's output above)`);
  return [head, ...lines].join('\n');
}

function brokerCredentials(broker: BrokerSettings) {
  switch (broker.auth.kind) {
    case 'token':
      return { pactBrokerToken: broker.auth.token };
    case 'basic':
      return { pactBrokerUsername: broker.auth.username, pactBrokerPassword: broker.auth.password };
    case 'none':
      return {};
  }
}
