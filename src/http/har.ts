/**
 * --har FILE: every attempt the run put on the wire, as HAR 1.2 (the HTTP Archive format browsers and proxies open):
 * its start, timings (wait for the answer's headers, receive for its body), request and response headers, and both
 * bodies as the run held them (a response body is read up to the transport's 1 MiB cap; past it, its first KB only,
 * said so in a comment). An attempt without an answer has status 0 and `_error` (the HAR custom-field convention).
 *
 * No key in it: the transport never hands the key over (the key parameter's values and Authorization are replaced by
 * what they were, `shownRequest`); every text is passed through the run's redaction when received, and each entry
 * once more after its JSON escaping. Entries are written as they come (append-only, in memory one at a time), so a
 * long run's record costs no memory; the file is closed with the run's transport and scanned for the key after it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AttemptLog } from './transport';

export interface HarWriter {
  readonly file: string;
  /** Entries written so far. */
  readonly entries: number;
  record(attempt: AttemptLog): void;
  /** Ends the log (idempotent); the file is a complete HAR after it. */
  close(): void;
}

function creatorVersion(): string {
  try {
    const text = fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8');
    return String((JSON.parse(text) as { version?: unknown }).version ?? 'unknown');
  } catch {
    return 'unknown';
  }
}

type NameValue = { readonly name: string; readonly value: string };

function nameValues(headers: Readonly<Record<string, string>>): NameValue[] {
  return Object.entries(headers).map(([name, value]) => ({ name, value }));
}

function queryOf(url: string): NameValue[] {
  const at = url.indexOf('?');
  if (at === -1) return [];
  return url
    .slice(at + 1)
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const [name = '', ...rest] = pair.split('=');
      return { name: decodeLoosely(name), value: decodeLoosely(rest.join('=')) };
    });
}

function decodeLoosely(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** 2 decimals: HAR times are milliseconds, fractions allowed. */
const ms = (value: number) => Math.max(0, Math.round(value * 100) / 100);

/** One HAR entry of an attempt, every text through `redact`. */
export function harEntry(attempt: AttemptLog, redact: (text: string) => string): Record<string, unknown> {
  const headers = Object.fromEntries(Object.entries(attempt.headers).map(([name, value]) => [name, redact(value)]));
  const url = redact(attempt.url);
  const body = attempt.body === undefined ? undefined : redact(attempt.body);
  const request = {
    method: attempt.method,
    url,
    httpVersion: 'HTTP/1.1',
    cookies: [],
    headers: nameValues(headers),
    queryString: queryOf(url),
    ...(body === undefined ? {} : { postData: { mimeType: headers['content-type'] ?? '', text: body } }),
    headersSize: -1,
    bodySize: body === undefined ? 0 : Buffer.byteLength(body),
  };
  const { outcome } = attempt;
  if (outcome.kind === 'no-answer') {
    return {
      startedDateTime: attempt.startedAt.toISOString(),
      time: ms(attempt.totalMs),
      request,
      response: { status: 0, statusText: '', httpVersion: '', cookies: [], headers: [], content: { size: 0, mimeType: 'x-unknown' }, redirectURL: '', headersSize: -1, bodySize: -1 },
      cache: {},
      timings: { blocked: -1, dns: -1, connect: -1, ssl: -1, send: 0, wait: ms(attempt.totalMs), receive: 0 },
      _error: redact(outcome.why),
    };
  }
  const { response } = outcome;
  const responseHeaders = Object.fromEntries(Object.entries(response.headers).map(([name, value]) => [name, redact(value)]));
  const text = redact(response.text);
  const comment = response.oversize
    ? `the body went past ${response.oversize.limitBytes} bytes${response.oversize.decoded ? ' once decoded' : ''}: its first part only`
    : response.coding?.kind === 'not-decoded'
      ? `not decoded: ${response.coding.reason}`
      : undefined;
  const wait = ms(outcome.waitMs);
  const receive = ms(outcome.receiveMs);
  return {
    startedDateTime: attempt.startedAt.toISOString(),
    // HAR 1.2: the entry's time is the sum of its timings (the attempt's own total can differ from it by rounding).
    time: ms(Math.max(attempt.totalMs, wait + receive)),
    request,
    response: {
      status: response.status,
      statusText: '',
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: nameValues(responseHeaders),
      content: { size: Buffer.byteLength(text), mimeType: responseHeaders['content-type'] ?? 'x-unknown', text, ...(comment === undefined ? {} : { comment: redact(comment) }) },
      redirectURL: responseHeaders['location'] ?? '',
      headersSize: -1,
      bodySize: response.coding?.kind === 'decoded' ? response.coding.wireBytes : Buffer.byteLength(text),
    },
    cache: {},
    timings: { blocked: -1, dns: -1, connect: -1, ssl: -1, send: 0, wait, receive },
  };
}

/** The HAR file could not be opened or begun. */
export class HarNotWritable extends Error {
  constructor(
    readonly file: string,
    readonly why: string,
  ) {
    super(`--har ${file} cannot be written (${why}); nothing was sent. Give a file this user can write, or leave --har out`);
  }
}

/** Stands for every text of an entry whose redaction, after its JSON escaping, left no valid JSON. */
const WITHHELD = '[withheld: a form of the key showed only once escaped]';

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Opens `file` for the run's HAR (HarNotWritable when it cannot be written: before anything is sent). Each
 * entry's JSON text is redacted once more after its escaping (a key the target echoed in a form JSON escapes again).
 */
export function openHar(file: string, redact: (text: string) => string): HarWriter {
  let fd: number;
  try {
    fd = fs.openSync(file, 'w');
    fs.writeSync(fd, `{"log":{"version":"1.2","creator":{"name":"lilt-conformance","version":${JSON.stringify(creatorVersion())}},"entries":[\n`);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new HarNotWritable(file, typeof code === 'string' ? code : String(error));
  }
  let entries = 0;
  let open = true;
  return {
    file,
    get entries() {
      return entries;
    },
    record(attempt) {
      if (!open) return;
      let text = redact(JSON.stringify(harEntry(attempt, redact)));
      if (!parses(text)) text = JSON.stringify(harEntry(attempt, () => WITHHELD));
      fs.writeSync(fd, `${entries === 0 ? '' : ',\n'}${text}`);
      entries += 1;
    },
    close() {
      if (!open) return;
      open = false;
      try {
        fs.writeSync(fd, '\n]}}\n');
      } finally {
        fs.closeSync(fd);
      }
    },
  };
}
