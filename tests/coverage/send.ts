/**
 * Sends coverage values to a provider on loopback and judges the answers by the values' expectations: a small oracle
 * of its own (status, media type, Error body, the Job's field as stored, the job unchanged after a refusal), so that
 * the datasets are checked against providers before the engine judges with them.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { request } from 'undici';
import type { OperationModel } from '../../src/contract/model';
import { wireCredentials } from '../../src/coverage/credentials';
import type { CombinationValue, CoverageCredentials, CoverageFieldValue, CoverageIdValue, CoverageValue, Stored } from '../../src/coverage/types';
import { wrongKeyFor } from '../../src/http/transport';
import { sameInstant } from '../../src/validation/date-time';

export interface Target {
  readonly url: string;
  readonly apiKey: string;
  readonly model: OperationModel;
  /** The job the values are sent to. */
  readonly jobId: number;
}

export interface Sent {
  readonly credentials: CoverageCredentials;
  readonly idSegment?: string;
  readonly body: string | undefined;
  readonly accept?: string;
}

export interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
}

const VALID: CoverageCredentials = { basic: { scheme: 'Basic', gap: ' ', user: 'key', password: 'key' } };

export async function send(target: Target, sent: Sent): Promise<Answer> {
  const keyParameter = target.model.security.apiKeyQueryParameter ?? 'key';
  const wire = wireCredentials(sent.credentials, { apiKey: target.apiKey, wrongKey: wrongKeyFor(target.apiKey), keyParameter });
  const path = target.model.path.replace(`{${target.model.idParameter.name}}`, sent.idSegment ?? String(target.jobId));
  const headers: Record<string, string> = {};
  if (sent.body !== undefined) headers['content-type'] = 'application/json';
  if (wire.authorization !== undefined) headers.authorization = wire.authorization;
  if (sent.accept !== undefined) headers.accept = sent.accept;
  const response = await request(`${target.url}${path}${wire.query ? `?${wire.query}` : ''}`, {
    method: target.model.method as 'PUT',
    headers,
    ...(sent.body === undefined ? {} : { body: sent.body }),
  });
  const text = await response.body.text();
  const contentType = response.headers['content-type'];
  return { status: response.statusCode, contentType: Array.isArray(contentType) ? contentType.join(', ') : (contentType ?? ''), text };
}

/** The job's state (PUT with no body). */
export async function readJob(target: Target): Promise<Record<string, unknown>> {
  const answer = await send(target, { credentials: VALID, body: undefined });
  if (answer.status !== 200) throw new Error(`reading job ${target.jobId}: ${answer.status} ${answer.text.slice(0, 200)}`);
  return JSON.parse(answer.text) as Record<string, unknown>;
}

function storedMatches(stored: Stored, shown: unknown): boolean {
  switch (stored.as) {
    case 'exactly':
      return shown === stored.value;
    case 'integer':
      return shown === stored.value;
    case 'instant':
      return typeof shown === 'string' && sameInstant(shown, stored.value);
  }
}

const isJson = (answer: Answer) => /^application\/json\s*(;|$)/i.test(answer.contentType);

function isErrorBody(answer: Answer): boolean {
  if (!isJson(answer)) return false;
  try {
    const body = JSON.parse(answer.text) as { message?: unknown };
    return typeof body.message === 'string';
  } catch {
    return false;
  }
}

/** The Job properties the update may change, compared for "unchanged" (the documented ones the request can write). */
function writable(job: Record<string, unknown>, model: OperationModel): string {
  return JSON.stringify(model.updatableFields.map((f) => job[f.name]));
}

export interface Verdict {
  readonly ok: boolean;
  /** What happened, for the failure message. */
  readonly why: string;
}

const pass: Verdict = { ok: true, why: '' };
const fail = (why: string): Verdict => ({ ok: false, why });

function bodyOf(value: CoverageFieldValue): string {
  return `{${JSON.stringify(value.field)}:${value.valueText ?? JSON.stringify(value.value)}}`;
}

async function refusedUnchanged(target: Target, answer: Answer, before: Record<string, unknown>, statuses: (s: number) => boolean, what: string): Promise<Verdict> {
  if (!statuses(answer.status)) return fail(`${what}: got ${answer.status} ${answer.text.slice(0, 120)}`);
  if (answer.status !== 401 && !isErrorBody(answer)) return fail(`${what}: ${answer.status} without the Error body (${answer.contentType})`);
  if (answer.status === 401 && !/^(text\/plain|application\/octet-stream)\s*(;|$)/i.test(answer.contentType)) {
    return fail(`401 as ${answer.contentType}`);
  }
  const after = await readJob(target);
  return writable(after, target.model) === writable(before, target.model) ? pass : fail(`${what}, but the job changed`);
}

const is4xx = (status: number) => status >= 400 && status < 500 && status !== 401;

async function judgeField(target: Target, value: CoverageFieldValue): Promise<Verdict> {
  const before = await readJob(target);
  const answer = await send(target, { credentials: VALID, body: bodyOf(value) });
  if (answer.status >= 500) return fail(`a ${answer.status}`);
  if (value.expectation === 'reject') return refusedUnchanged(target, answer, before, is4xx, 'refusal expected');
  if (value.expectation === 'open' && answer.status !== 200) return refusedUnchanged(target, answer, before, is4xx, 'open value refused');
  if (answer.status !== 200) return fail(`accept expected: got ${answer.status} ${answer.text.slice(0, 160)}`);
  const stored = value.stored;
  if (stored === undefined) return pass;
  const shown = (JSON.parse(answer.text) as Record<string, unknown>)[value.field];
  if (!storedMatches(stored, shown)) return fail(`the 200 shows ${JSON.stringify(shown)?.slice(0, 80)}, not ${stored.as} ${JSON.stringify(stored.value).slice(0, 80)}`);
  const read = (await readJob(target))[value.field];
  return storedMatches(stored, read) ? pass : fail(`read back: ${JSON.stringify(read)?.slice(0, 80)}`);
}

async function judgeId(target: Target, value: CoverageIdValue): Promise<Verdict> {
  const answer = await send(target, { credentials: VALID, idSegment: value.segment, body: '{}' });
  if (answer.status >= 500) return fail(`a ${answer.status}`);
  const jobOf = () => (JSON.parse(answer.text) as { id?: unknown }).id;
  switch (value.expectation) {
    case 'existing':
      return answer.status === 200 && jobOf() === target.jobId ? pass : fail(`existing expected: ${answer.status}`);
    case 'missing':
      return answer.status === 404 && isErrorBody(answer) ? pass : fail(`404 expected: ${answer.status} ${answer.text.slice(0, 120)}`);
    case 'invalid':
      return (answer.status === 400 || answer.status === 404) && isErrorBody(answer) ? pass : fail(`400/404 expected: ${answer.status} ${answer.text.slice(0, 120)}`);
    case 'open':
      if (answer.status === 200) return jobOf() === target.jobId ? pass : fail(`200 for job ${String(jobOf())}`);
      return is4xx(answer.status) && isErrorBody(answer) ? pass : fail(`open: ${answer.status}`);
  }
}

async function judgeCombination(target: Target, value: CombinationValue): Promise<Verdict> {
  const before = await readJob(target);
  const request = value.request;
  const changed = async (answer: Answer, changes: Readonly<Record<string, unknown>>): Promise<Verdict> => {
    if (answer.status !== 200 || !isJson(answer)) return fail(`200 expected: ${answer.status} ${answer.text.slice(0, 120)}`);
    const job = JSON.parse(answer.text) as Record<string, unknown>;
    const wrong = Object.entries(changes).filter(([k, v]) => job[k] !== v);
    return wrong.length === 0 ? pass : fail(`not applied: ${wrong.map(([k]) => k).join(', ')}`);
  };
  switch (value.what) {
    case 'credentials': {
      const answer = await send(target, request);
      if (value.expectation === 'authorized') return changed(answer, value.changes);
      return refusedUnchanged(target, answer, before, (s) => s === 401, '401 expected');
    }
    case 'accept': {
      const answer = await send(target, request);
      if (value.expectation === 'open' && answer.status === 406) return refusedUnchanged(target, answer, before, (s) => s === 406, 'open');
      return changed(answer, value.changes);
    }
    case 'replay': {
      const first = await send(target, value.before);
      const ok = await changed(first, value.changes);
      if (!ok.ok) return fail(`the first request: ${ok.why}`);
      const replay = await send(target, request);
      return replay.status === 401 ? pass : fail(`the replay got ${replay.status} ${replay.text.slice(0, 120)}`);
    }
    case 'duplicate-keys': {
      const answer = await send(target, request);
      if (answer.status >= 500) return fail(`a ${answer.status}`);
      if (answer.status !== 200) return refusedUnchanged(target, answer, before, is4xx, 'duplicate keys refused');
      const shown = (JSON.parse(answer.text) as Record<string, unknown>)[value.field];
      return value.storedOneOf.some((s) => storedMatches(s, shown)) ? pass : fail(`stored ${JSON.stringify(shown)}, not one of the valid values sent`);
    }
  }
}

export function judge(target: Target, value: CoverageValue): Promise<Verdict> {
  switch (value.kind) {
    case 'field':
      return judgeField(target, value);
    case 'id':
      return judgeId(target, value);
    case 'combination':
      return judgeCombination(target, value);
  }
}

/**
 * The second-opinion provider: the team's copy beside the repository (shared/second-opinion/provider.mjs) when it is
 * there, else the byte-for-byte copy kept in tests/fixtures/second-opinion/ (tests/second-opinion holds the two equal).
 */
export function secondOpinionFile(root: string): string | undefined {
  const shared = [path.resolve(root, '..', 'shared'), path.resolve(root, '..', '..', 'shared')].map((dir) => path.join(dir, 'second-opinion', 'provider.mjs'));
  const kept = path.join(root, 'tests', 'fixtures', 'second-opinion', 'provider.mjs');
  return [...shared, kept].find((file) => fs.existsSync(file));
}

export interface ChildProvider {
  readonly url: string;
  close(): Promise<void>;
}

/** Starts one flavour of the second opinion as a child process (its cwd the repository, for its ajv) on a free port. */
export function startSecondOpinion(file: string, flavour: string, root: string): Promise<ChildProvider> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file, '--variant', flavour, '--port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening (\d+)/.exec(out);
      if (match) {
        resolve({
          url: `http://127.0.0.1:${match[1]}`,
          close: async () => {
            child.kill('SIGTERM');
            await exited;
          },
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`second opinion ${flavour} exited ${String(code)}: ${err.slice(0, 300)}`)));
  });
}
