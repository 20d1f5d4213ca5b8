/**
 * A second conformant provider of PUT /v2/jobs/{jobId}, written independently of the reference provider (plain
 * `node:http`, no import from src/provider/, its own RFC 3339 parser), so that a check raising a false alarm on a
 * provider that is conformant in a way we did not write shows up here. It differs from the reference wherever
 * contracts/BEHAVIOUR.md allows a choice:
 * - `due` is written back in UTC as `+00:00`, with trailing zeros of the fraction dropped (no `.000`);
 * - the Job carries undocumented extra fields, omits optional ones (creationStatus), keys in another order;
 * - every response is sent chunked (no Content-Length); every fifth closes its connection;
 * - the Job is `application/json; charset=utf-8`, the Error body `Application/JSON;charset=UTF-8` (media types are
 *   case-insensitive);
 * - non-integer, zero and out-of-range ids get 400 (an integer naming no job still gets 404);
 * - leading zeros and a leading `+` in the id name the job ("0241" is job 241);
 * - the 401 body is `application/octet-stream`;
 * - the Error body has extra fields (`code`, `detail`);
 * - the non-RFC forms some validators accept (a space for T, `+09`, `+0900`) are accepted, normalized;
 * - a leap second (23:59:60 UTC at a month's end) is accepted and written back in UTC (the offset shifted);
 * - a leading byte-order mark is dropped; of two equal keys the last wins; the key query parameter may be repeated
 *   (every value the key); unknown fields are ignored however deep or large; one valid credential suffices beside a
 *   wrong one; the Accept header is not read;
 * - an oversized body gets 413 with the Error body, an odd or missing content type 415 with the Error body.
 * tests/proof/open-choices.test.ts names the side of each row of contracts/BEHAVIOUR.md's "Open choices" each
 * flavour takes, and probes it.
 *
 * Standalone: `npx tsx tests/proof/conformant-variant.ts --port 4020 [--strict]`.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface VariantOptions {
  /** 0 (the default) for a free port. */
  readonly port?: number;
  readonly host?: string;
  readonly apiKey?: string;
  /**
   * 'lenient' (the default): the choices listed above. 'strict': the other side of each choice BEHAVIOUR.md leaves
   * open, still unlike the reference: `due` written back exactly as sent but with lower-case `t` and `z`, only the
   * documented Job fields in alphabetical order, no charset on the Job, Content-Length (not chunked), 404 for every
   * id that is not a plain positive integer (leading zeros and `+` refused too), the non-RFC date forms refused, the
   * 401 as
   * `text/plain; charset=us-ascii`, any Content-Type read as JSON but a parameter other than charset=utf-8 refused
   * (415), 422 for an invalid field value, a leap second accepted and written back as sent, a byte-order mark, an
   * empty body with a Content-Type, duplicate keys, nesting deeper than 64, numbers a double cannot hold and lone
   * surrogates refused (400), an unknown field holding a string over 100,000 characters refused (413), the key query
   * parameter given twice refused (401), a wrong credential refused even beside a valid one (401), an Accept header
   * that rules JSON out refused (406, with the Error body).
   */
  readonly flavour?: 'lenient' | 'strict';
}

export interface RunningVariant {
  readonly url: string;
  readonly port: number;
  /** How many requests the server answered (for the proof tests: the run really went here). */
  requestCount(): number;
  close(): Promise<void>;
}

interface StoredJob {
  name: string;
  /** Normalized, strict RFC 3339. */
  due: string;
  isProcessing: 0 | 1 | -2;
  readonly fixed: Readonly<Record<string, unknown>>;
}

const MAX_BODY_BYTES = 4 * 1024 * 1024;
const ID_LIMIT = 2n ** 63n;
const JOB_PATH = /^\/v2\/jobs\/([^/]*)$/;

function initialJobs(): Map<bigint, StoredJob> {
  const stats = (words: number) => ({
    workflowStatus: 'IN_PROGRESS',
    sourceWords: words,
    exactWords: 0,
    fuzzyWords: 3,
    newWords: words - 3,
    numProjects: 1,
    numDeliveredProjects: 0,
    numLanguagePairs: 1,
    uniqueLanguagePairs: 1,
    uniqueLinguists: 2,
    percentReviewed: 10,
    percentTranslated: 55,
    projects: [
      {
        workflowName: 'Translate > Review',
        id: 9001,
        name: 'Variant project',
        srcLang: 'de',
        trgLang: 'ja',
        state: 'inReview',
        isComplete: false,
        isArchived: false,
        isDeleted: false,
        memoryId: 77,
        createdAt: '2021-04-01T15:43:00.000+02:00',
        workflowStatus: 'IN_PROGRESS',
        // an undocumented field inside a nested object
        reviewer: { id: 5, initials: 'KW' },
      },
    ],
  });
  const make = (id: number, name: string, due: string, isProcessing: 0 | 1 | -2): [bigint, StoredJob] => [
    BigInt(id),
    {
      name,
      due,
      isProcessing,
      fixed: {
        status: 'active',
        deliveredAt: '2022-01-31T23:59:59.5+00:00',
        stats: stats(120 + id),
        domains: [{ name: 'Legal', id: 3 }],
        // undocumented extras
        _links: { self: `/v2/jobs/${id}` },
        tags: ['variant', 'proof'],
        projectCount: 1,
        archivedAt: null,
      },
    },
  ];
  return new Map([
    make(241, 'Variant job 241', '2021-06-03T13:43:00+00:00', 0),
    make(242, '', '2030-12-31T23:59:59.123456+00:00', 1),
    make(243, '名前 \u{1F600}', '2000-02-29T00:00:00+00:00', -2),
  ]);
}

/** The Job as sent: documented fields interleaved with extras, `id` last, no creationStatus. */
function jobBody(id: bigint, job: StoredJob): Record<string, unknown> {
  const { stats, domains, ...extras } = job.fixed;
  return {
    stats,
    isProcessing: job.isProcessing,
    _links: extras._links,
    due: job.due,
    ...extras,
    name: job.name,
    domains,
    id: Number(id),
  };
}

/** The Job with only its documented fields, keys in alphabetical order. */
function documentedJobBody(id: bigint, job: StoredJob): Record<string, unknown> {
  const { stats, domains, status, deliveredAt } = job.fixed;
  const all: Record<string, unknown> = { deliveredAt, domains, due: job.due, id: Number(id), isProcessing: job.isProcessing, name: job.name, stats, status };
  return Object.fromEntries(Object.keys(all).sort().map((key) => [key, all[key]]));
}

// ---- RFC 3339 (section 5.6), written here rather than imported, so that this provider is independent ----

const STRICT = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;
// Forms BEHAVIOUR.md leaves open, which this provider chooses to accept: one space for T, `+hh`, `+hhmm`.
const LENIENT = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)$/;

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function lastDay(year: number, month: number): number {
  if (month === 2) return isLeap(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/**
 * Parses a due date and writes it back in this provider's own form: the same instant, in UTC with `+00:00`, the
 * fraction without trailing zeros. Where UTC would leave the years 0000-9999 the original offset is kept. A leap
 * second (23:59:60 UTC on a month's last day, sent at any offset) is accepted and written back as one, in UTC.
 * Undefined when the value is to be refused.
 */
export function normalizeDue(value: string): string | undefined {
  const m = STRICT.exec(value) ?? LENIENT.exec(value);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const fraction = (m[7] ?? '').replace(/0+$/, '');
  const offsetHours = m[8] ? 0 : Number(m[10]);
  const offsetMinutes = m[8] ? 0 : Number(m[11] ?? '0');
  if (month < 1 || month > 12 || day < 1 || day > lastDay(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 60 || offsetHours > 23 || offsetMinutes > 59) return undefined;
  const sign = m[9] === '-' ? -1 : 1;
  const offset = sign * (offsetHours * 60 + offsetMinutes);
  const leap = second === 60;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  // A leap second is computed as the :59 it follows, then written back as :60.
  date.setUTCHours(hour, minute - offset, leap ? 59 : second, 0);
  // RFC 3339 5.7: a leap second is 23:59:60 UTC, at the end of a month.
  const utcMonthEnd = date.getUTCDate() === lastDay(date.getUTCFullYear(), date.getUTCMonth() + 1);
  if (leap && !(date.getUTCHours() === 23 && date.getUTCMinutes() === 59 && utcMonthEnd)) return undefined;
  const frac = fraction ? `.${fraction}` : '';
  const y = date.getUTCFullYear();
  if (y >= 0 && y <= 9999) {
    return (
      `${pad(y, 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}` +
      `T${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${leap ? '60' : pad(date.getUTCSeconds(), 2)}${frac}+00:00`
    );
  }
  const off = `${sign < 0 ? '-' : '+'}${pad(offsetHours, 2)}:${pad(offsetMinutes, 2)}`;
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}${frac}${off}`;
}

/**
 * The strict flavour: RFC 3339 only, written back as sent with lower-case `t` and `z` (the same instant); a leap
 * second too, as sent (at its offset).
 */
export function lowerCaseDue(value: string): string | undefined {
  if (!STRICT.test(value) || normalizeDue(value) === undefined) return undefined;
  return value.replace('T', 't').replace(/Z$/, 'z');
}

// ---- the update rules ----

type Update = { ok: true; name?: string; due?: string; isProcessing?: 0 | 1 | -2 } | { ok: false; message: string };

const PROCESSING: ReadonlyMap<unknown, 0 | 1 | -2> = new Map<unknown, 0 | 1 | -2>([
  ['0', 0],
  ['1', 1],
  ['-2', -2],
  [0, 0],
  [1, 1],
  [-2, -2],
]);

function readUpdate(body: unknown, writeDue: (value: string) => string | undefined): Update {
  if (body === undefined) return { ok: true };
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { ok: false, message: 'The request body must be a JSON object.' };
  }
  const fields = body as Record<string, unknown>;
  const update: Update = { ok: true };
  if ('name' in fields) {
    if (typeof fields.name !== 'string') return { ok: false, message: '"name" must be a string.' };
    update.name = fields.name;
  }
  if ('due' in fields) {
    const due = typeof fields.due === 'string' ? writeDue(fields.due) : undefined;
    if (due === undefined) return { ok: false, message: '"due" must be an RFC 3339 date-time.' };
    update.due = due;
  }
  if ('isProcessing' in fields) {
    const value = PROCESSING.get(fields.isProcessing);
    if (value === undefined) return { ok: false, message: '"isProcessing" must be one of 0, 1, -2.' };
    update.isProcessing = value;
  }
  if ('processingErrorMsg' in fields && typeof fields.processingErrorMsg !== 'string') {
    return { ok: false, message: '"processingErrorMsg" must be a string.' };
  }
  return update;
}

// ---- a strict JSON reader (the strict flavour): limits RFC 8259 section 9 allows, duplicate keys and lone surrogates refused ----

/** Why a JSON text is refused: the status and the message. */
export class JsonRefusal extends Error {
  constructor(
    readonly status: 400 | 413,
    message: string,
  ) {
    super(message);
  }
}

const MAX_DEPTH = 64;
/** Longest string an unknown field may hold (a known field's string has no limit short of the body's). */
const MAX_UNKNOWN_STRING = 100_000;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * Reads a JSON text (RFC 8259) and refuses what the strict flavour chooses to refuse: nesting deeper than 64, a
 * number a double cannot hold (out of range, or not zero but read as zero), a key twice in one object, a lone
 * surrogate in a string. Throws JsonRefusal for those, SyntaxError for what is not JSON.
 */
export function readStrictJson(text: string): unknown {
  let at = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at position ${at}`);
  };
  const space = () => {
    while (at < text.length && (text[at] === ' ' || text[at] === '\t' || text[at] === '\n' || text[at] === '\r')) at += 1;
  };
  const string = (): string => {
    at += 1; // the opening quote
    let out = '';
    for (;;) {
      if (at >= text.length) fail('unterminated string');
      const c = text[at] as string;
      if (c === '"') break;
      if (c < ' ') fail('a raw control character in a string');
      if (c !== '\\') {
        out += c;
        at += 1;
        continue;
      }
      const e = text[at + 1];
      const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (e !== undefined && simple[e] !== undefined) {
        out += simple[e];
        at += 2;
      } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(at + 2, at + 6))) {
        out += String.fromCharCode(parseInt(text.slice(at + 2, at + 6), 16));
        at += 6;
      } else fail('an invalid escape');
    }
    at += 1;
    for (let i = 0; i < out.length; i += 1) {
      const unit = out.charCodeAt(i);
      const next = out.charCodeAt(i + 1);
      if (unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) i += 1;
      else if (unit >= 0xd800 && unit <= 0xdfff) throw new JsonRefusal(400, 'A string holds a lone surrogate.');
    }
    return out;
  };
  const number = (): number => {
    NUMBER.lastIndex = at;
    const m = NUMBER.exec(text);
    if (!m) return fail('an unexpected character');
    at += m[0].length;
    const value = Number(m[0]);
    if (!Number.isFinite(value)) throw new JsonRefusal(400, `The number ${m[0].slice(0, 20)}... is out of range.`);
    if (value === 0 && /[1-9]/.test(m[0].split(/[eE]/)[0] ?? '')) throw new JsonRefusal(400, 'A number is too small to hold.');
    return value;
  };
  const value = (depth: number): unknown => {
    space();
    const c = text[at];
    if (c === '{' || c === '[') {
      if (depth >= MAX_DEPTH) throw new JsonRefusal(400, `The JSON is nested deeper than ${MAX_DEPTH}.`);
      at += 1;
      space();
      const close = c === '{' ? '}' : ']';
      const object: Record<string, unknown> = {};
      const array: unknown[] = [];
      const keys = new Set<string>();
      if (text[at] === close) {
        at += 1;
        return c === '{' ? object : array;
      }
      for (;;) {
        space();
        if (c === '{') {
          if (text[at] !== '"') fail('a key expected');
          const key = string();
          if (keys.has(key)) throw new JsonRefusal(400, `The key "${key.slice(0, 40)}" is given twice.`);
          keys.add(key);
          space();
          if (text[at] !== ':') fail('":" expected');
          at += 1;
          Object.defineProperty(object, key, { value: value(depth + 1), enumerable: true, writable: true, configurable: true });
        } else array.push(value(depth + 1));
        space();
        if (text[at] === ',') {
          at += 1;
          continue;
        }
        if (text[at] === close) {
          at += 1;
          return c === '{' ? object : array;
        }
        fail('"," or a closing bracket expected');
      }
    }
    if (c === '"') return string();
    for (const [word, literal] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(word, at)) {
        at += word.length;
        return literal;
      }
    }
    return number();
  };
  const result = value(0);
  space();
  if (at !== text.length) fail('text after the JSON value');
  return result;
}

/** The longest string anywhere in a value (bounded depth: the reader refused deeper nesting). */
function longestString(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (value === null || typeof value !== 'object') return 0;
  return Math.max(0, ...Object.values(value as Record<string, unknown>).map(longestString));
}

// ---- HTTP ----

interface Flavour {
  readonly writeDue: (value: string) => string | undefined;
  readonly jobBody: (id: bigint, job: StoredJob) => Record<string, unknown>;
  /** A path id that names a job, as text; anything else is not a job id. */
  readonly idPattern: RegExp;
  readonly notAnIdStatus: 400 | 404;
  readonly unauthorizedType: string;
  readonly chunked: boolean;
  readonly jobType: string;
  readonly errorType: string;
  /** Refuse a body whose Content-Type is not JSON (415), or read it as JSON whatever it says. */
  readonly checkContentType: boolean;
  /** Refuse (415) a media type with a parameter other than charset=utf-8 (`; profile=x`, another charset). */
  readonly onlyUtf8Charset: boolean;
  /** The status for a valid JSON object with an invalid field value. */
  readonly invalidValueStatus: 400 | 422;
  /** Keep a leading byte-order mark in the text (then the JSON reader refuses it), or drop it. */
  readonly keepBom: boolean;
  /** A zero-length body with a Content-Type is not a JSON text (400), or it is an absent body. */
  readonly emptyTypedBodyRefused: boolean;
  /** The key query parameter must be given once (any repeat is refused), or the first copy is read. */
  readonly keyOnce: boolean;
  /** Refuse (411) a body without a Content-Length (sent chunked), or read it. */
  readonly lengthRequired: boolean;
  /** Refuse a number field written other than as a plain integer (`1.0`, `1e0`), or read it as that number. */
  readonly plainIntegersOnly: boolean;
  /** Refuse a path id with percent-encoded characters, or decode it. */
  readonly rawIdOnly: boolean;
  /** Reads the body's JSON: JSON.parse (the last of two keys wins, no limits), or readStrictJson. */
  readonly readJson: (text: string) => unknown;
  /** Refuse (413) an unknown field holding a string longer than MAX_UNKNOWN_STRING. */
  readonly limitUnknownStrings: boolean;
  /** Refuse (401) a request with any wrong credential, even beside a valid one; or accept it when one is valid. */
  readonly everyCredentialChecked: boolean;
  /** Answer 406 (with the Error body) when the Accept header rules JSON out; or ignore the header. */
  readonly honourAccept: boolean;
}

const FLAVOURS: Readonly<Record<'lenient' | 'strict', Flavour>> = {
  lenient: {
    writeDue: normalizeDue,
    jobBody,
    idPattern: /^\+?\d+$/,
    notAnIdStatus: 400,
    unauthorizedType: 'application/octet-stream',
    chunked: true,
    jobType: 'application/json; charset=utf-8',
    // Media types are case-insensitive, and a parameter may follow without a space (RFC 9110, 8.3.1).
    errorType: 'Application/JSON;charset=UTF-8',
    checkContentType: true,
    onlyUtf8Charset: false,
    invalidValueStatus: 400,
    keepBom: false,
    emptyTypedBodyRefused: false,
    keyOnce: false,
    lengthRequired: false,
    plainIntegersOnly: false,
    rawIdOnly: false,
    readJson: (text) => JSON.parse(text) as unknown,
    limitUnknownStrings: false,
    everyCredentialChecked: false,
    honourAccept: false,
  },
  strict: {
    writeDue: lowerCaseDue,
    jobBody: documentedJobBody,
    idPattern: /^[1-9]\d*$/,
    notAnIdStatus: 404,
    unauthorizedType: 'text/plain; charset=us-ascii',
    chunked: false,
    jobType: 'application/json',
    errorType: 'application/json',
    checkContentType: false,
    onlyUtf8Charset: true,
    invalidValueStatus: 422,
    keepBom: true,
    emptyTypedBodyRefused: true,
    keyOnce: true,
    lengthRequired: true,
    plainIntegersOnly: true,
    rawIdOnly: true,
    readJson: readStrictJson,
    limitUnknownStrings: true,
    everyCredentialChecked: true,
    honourAccept: true,
  },
};

function send(res: http.ServerResponse, flavour: Flavour, status: number, contentType: string, text: string): void {
  res.statusCode = status;
  res.setHeader('X-Provider', 'conformant-variant');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Type', contentType);
  const bytes = Buffer.from(text, 'utf8');
  if (!flavour.chunked) {
    res.setHeader('Content-Length', bytes.length);
    res.end(bytes);
    return;
  }
  const half = Math.floor(bytes.length / 2);
  // Two writes before end(): Node sends `Transfer-Encoding: chunked`, never a Content-Length.
  res.write(bytes.subarray(0, half));
  res.write(bytes.subarray(half));
  res.end();
}

function sendJob(res: http.ServerResponse, flavour: Flavour, body: unknown): void {
  send(res, flavour, 200, flavour.jobType, JSON.stringify(body));
}

function sendError(res: http.ServerResponse, flavour: Flavour, status: number, message: string): void {
  const body = flavour.chunked ? { code: status, message, detail: { provider: 'variant' } } : { message };
  send(res, flavour, status, flavour.errorType, JSON.stringify(body));
}

function authorized(req: http.IncomingMessage, url: URL, apiKey: string, flavour: Flavour): boolean {
  const header = req.headers.authorization;
  const keys = url.searchParams.getAll('key');
  if (flavour.keyOnce && keys.length > 1) return false;
  const basic = header === undefined ? undefined : basicKeyIs(header, apiKey);
  // The lenient flavour reads the first copy (the other side of the team's open choice: refusing a wrong copy).
  const query = keys.length === 0 ? undefined : keys[0] === apiKey;
  const given = [basic, query].filter((ok) => ok !== undefined);
  if (given.length === 0) return false;
  // Strict: every credential sent must be right; lenient: one right credential suffices.
  return flavour.everyCredentialChecked ? given.every((ok) => ok) : given.some((ok) => ok);
}

function basicKeyIs(header: string, apiKey: string): boolean {
  const match = /^basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(header);
  if (!match?.[1]) return false;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 && decoded.slice(0, colon) === apiKey && decoded.slice(colon + 1) === apiKey;
}

/**
 * Whether an Accept header allows application/json (RFC 9110, 12.5.1): absent allows anything; otherwise the most
 * specific range that matches (application/json, then application/*, then *\/*) decides, by its q-value.
 */
function jsonAcceptable(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  let best: { specificity: number; q: number } | undefined;
  for (const range of accept.split(',')) {
    const [type = '', ...params] = range.split(';').map((part) => part.trim().toLowerCase());
    const specificity = type === 'application/json' ? 3 : type === 'application/*' ? 2 : type === '*/*' ? 1 : 0;
    if (specificity === 0) continue;
    const qParam = params.find((param) => param.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (best === undefined || specificity > best.specificity) best = { specificity, q: Number.isNaN(q) ? 0 : q };
  }
  return best !== undefined && best.q > 0;
}

function readBody(req: http.IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function handle(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  jobs: Map<bigint, StoredJob>,
  apiKey: string,
  flavour: Flavour,
): Promise<void> {
  const raw = await readBody(req);
  const fail = (status: number, message: string) => sendError(res, flavour, status, message);
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://variant.invalid');
  } catch {
    return fail(400, 'The request URL cannot be parsed.');
  }
  const route = JOB_PATH.exec(url.pathname);
  if (!route) return fail(404, `No such resource: ${url.pathname}`);
  if (req.method !== 'PUT') {
    res.setHeader('Allow', 'PUT');
    return fail(405, `${req.method ?? '?'} is not allowed here; use PUT.`);
  }
  if (!authorized(req, url, apiKey, flavour)) {
    return send(res, flavour, 401, flavour.unauthorizedType, 'Unauthorized: send the API key by Basic auth or ?key=');
  }
  if (flavour.honourAccept && !jsonAcceptable(req.headers.accept)) {
    return fail(406, 'Only application/json answers are made here; send an Accept header that allows it.');
  }
  if (flavour.lengthRequired && req.headers['content-length'] === undefined && req.headers['transfer-encoding'] !== undefined) {
    return fail(411, 'The request body needs a Content-Length.');
  }
  if (flavour.rawIdOnly && (route[1] ?? '').includes('%')) {
    return fail(flavour.notAnIdStatus, 'The job id must be written as plain digits.');
  }
  let idText: string;
  try {
    idText = decodeURIComponent(route[1] ?? '');
  } catch {
    return fail(400, 'The job id is not valid percent-encoding.');
  }
  if (!flavour.idPattern.test(idText)) {
    return fail(flavour.notAnIdStatus, `The job id must be a positive integer, not "${idText}".`);
  }
  const id = BigInt(idText);
  if (id <= 0n || id >= ID_LIMIT) return fail(flavour.notAnIdStatus, `The job id ${idText} is out of range.`);
  const job = jobs.get(id);
  if (!job) return fail(404, `Job ${id} does not exist.`);

  if (raw === 'too-large') return fail(413, 'The request body is too large.');
  let body: unknown;
  const contentType = req.headers['content-type'];
  if (raw.length === 0 && contentType !== undefined && flavour.emptyTypedBodyRefused) {
    return fail(400, 'The request body is empty, which is not a JSON text.');
  }
  if (raw.length > 0) {
    // No Content-Type: the lenient flavour refuses the body (415), the strict one reads it as JSON.
    const [typeText, ...parameters] = (contentType ?? (flavour.checkContentType ? '' : 'application/json')).split(';');
    const type = typeText?.trim().toLowerCase();
    if (flavour.checkContentType && type !== 'application/json' && !type?.endsWith('+json')) {
      return fail(415, 'The request body must be application/json.');
    }
    const utf8Only = parameters.every((parameter) => /^\s*charset\s*=\s*(?:utf-8|"utf-8")\s*$/i.test(parameter));
    if (flavour.onlyUtf8Charset && !utf8Only) {
      return fail(415, 'The only media type parameter understood is charset=utf-8.');
    }
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: flavour.keepBom }).decode(raw);
    } catch {
      return fail(400, 'The request body is not UTF-8.');
    }
    if (flavour.plainIntegersOnly && /"isProcessing"\s*:\s*-?\d+(?:\.\d*|[eE])/.test(text)) {
      return fail(flavour.invalidValueStatus, 'isProcessing must be written as a plain integer.');
    }
    try {
      // Only a zero-length body is absent: whitespace alone is not a JSON text (RFC 8259), so it is malformed.
      body = flavour.readJson(text);
    } catch (error) {
      if (error instanceof JsonRefusal) return fail(error.status, error.message);
      return fail(400, 'The request body is not valid JSON.');
    }
    if (flavour.limitUnknownStrings && body !== null && typeof body === 'object' && !Array.isArray(body)) {
      const known = new Set(['name', 'due', 'isProcessing', 'processingErrorMsg']);
      const long = Object.entries(body).find(([key, value]) => !known.has(key) && longestString(value) > MAX_UNKNOWN_STRING);
      if (long) return fail(413, `The unknown field "${long[0].slice(0, 40)}" holds a string too long to read.`);
    }
  }
  const update = readUpdate(body, flavour.writeDue);
  if (!update.ok) return fail(body !== null && typeof body === 'object' && !Array.isArray(body) ? flavour.invalidValueStatus : 400, update.message);
  if (update.name !== undefined) job.name = update.name;
  if (update.due !== undefined) job.due = update.due;
  if (update.isProcessing !== undefined) job.isProcessing = update.isProcessing;
  return sendJob(res, flavour, flavour.jobBody(id, job));
}

export async function startConformantVariant(options: VariantOptions = {}): Promise<RunningVariant> {
  const jobs = initialJobs();
  const apiKey = options.apiKey ?? 'test-key';
  const flavour = FLAVOURS[options.flavour ?? 'lenient'];
  let count = 0;
  const server = http.createServer((req, res) => {
    count += 1;
    // Every fifth answer closes its connection: a client must not rely on keep-alive.
    if (count % 5 === 0) res.setHeader('Connection', 'close');
    handle(req, res, jobs, apiKey, flavour).catch(() => {
      // A request error (client gone): nothing to answer to. Never a 5xx for what a client sent.
      if (!res.headersSent) sendError(res, flavour, 400, 'The request could not be read.');
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 30_000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    requestCount: () => count,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

if (require.main === module) {
  const at = process.argv.indexOf('--port');
  const port = at >= 0 ? Number(process.argv[at + 1]) : 0;
  const flavour = process.argv.includes('--strict') ? 'strict' : 'lenient';
  startConformantVariant({ port, flavour }).then(
    (variant) => {
      process.stdout.write(`conformant variant listening on ${variant.url}\n`);
      const stop = () => void variant.close().then(() => process.exit(0));
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    },
    (error: unknown) => {
      process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(2);
    },
  );
}
