/**
 * Every open choice of contracts/BEHAVIOUR.md is taken both ways by the conformant providers the proof runs (the
 * reference provider and the two flavours of the conformant variant), so that a check that would call one side of a
 * choice a fault is seen to do so by faults.test.ts, which runs the whole conformance run against each of them.
 * - The table is parsed out of BEHAVIOUR.md; SIDES declares, for each row, the providers that take each side. A row
 *   missing from SIDES, a row of SIDES missing from the table, or a side without a provider fails.
 * - The declaration is not taken on trust: each row has a probe (one request) whose answer says which side a provider
 *   took, and every provider SIDES names is probed, on loopback, and must answer on its declared side.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { startReferenceProvider } from '../../src/provider';
import { isLeapSecondInstant, sameInstant } from '../../src/validation/date-time';
import { startConformantVariant } from './conformant-variant';

const BEHAVIOUR = path.join(__dirname, '..', '..', 'contracts', 'BEHAVIOUR.md');
const HEADING = '## Open choices';

export interface OpenChoice {
  readonly choice: string;
  readonly one: string;
  readonly other: string;
}

/** The rows of the "Open choices" table: the lines starting with `|` after its heading, less the header and rule. */
export function openChoices(markdown: string): OpenChoice[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.startsWith(HEADING));
  if (start < 0) throw new Error(`no "${HEADING}" section in BEHAVIOUR.md`);
  const rows: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('|')) rows.push(line);
    else if (rows.length > 0) break;
  }
  const cells = (row: string) => row.replace(/^\|/, '').replace(/\|\s*$/, '').split(' | ').map((cell) => cell.trim());
  return rows
    .slice(2)
    .map(cells)
    .map(([choice = '', one = '', other = '']) => ({ choice, one, other }));
}

type Provider = 'reference' | 'lenient' | 'strict';
type Side = 'one' | 'other';

interface Answer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
  readonly json: unknown;
}

interface Probe {
  readonly method?: string;
  /** The path after the job path's `/v2/jobs/`: the id segment and any query (`241?key=...`). */
  readonly target?: string;
  readonly body?: string;
  /** Defaults to application/json when there is a body; null sends none. */
  readonly contentType?: string | null;
  /** Defaults to Basic with the key. */
  readonly authorization?: string | null;
  /** Sends the body chunked (no Content-Length). */
  readonly chunked?: boolean;
  /** An Accept header; none by default. */
  readonly accept?: string;
}

interface RowSides {
  readonly one: readonly Provider[];
  readonly other: readonly Provider[];
  readonly probe: Probe | readonly Probe[];
  /** The side the answer(s) show; undefined when they show neither (then the declaration is wrong). */
  readonly side: (answers: readonly Answer[]) => Side | undefined;
}

const KEY = 'test-key';
const JOB = 241;
const BASIC = `Basic ${Buffer.from(`${KEY}:${KEY}`).toString('base64')}`;

const is4xx = (a: Answer | undefined) => a !== undefined && a.status >= 400 && a.status < 500;
const field = (a: Answer | undefined, name: string): unknown =>
  a !== undefined && typeof a.json === 'object' && a.json !== null ? (a.json as Record<string, unknown>)[name] : undefined;
/** 200 is the one side, `refused` (a status test) the other. */
const acceptedOr = (refused: (a: Answer) => boolean) => (answers: readonly Answer[]): Side | undefined => {
  const [a] = answers;
  if (a === undefined) return undefined;
  if (a.status === 200) return 'one';
  return refused(a) ? 'other' : undefined;
};
const mediaType = (a: Answer | undefined) => String(a?.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();

const DOCUMENTED_JOB = ['id', 'name', 'creationStatus', 'deliveredAt', 'status', 'due', 'isProcessing', 'stats', 'domains'];
const DUE_SENT = '2031-01-02T03:04:05.120+09:00';

/**
 * Each row of the table, by its first cell: the providers on each side, and the probe that tells the sides apart.
 * (The reference provider is left out of a row where its answer is on neither side as the probe reads it.)
 */
const SIDES: Readonly<Record<string, RowSides>> = {
  '`due` with a space for `T`, or a `+hh` / `+hhmm` offset': {
    one: ['lenient'],
    other: ['reference', 'strict'],
    probe: [{ body: '{"due":"2031-01-02 03:04:05Z"}' }, { body: '{"due":"2031-01-02T03:04:05+0900"}' }],
    side: (answers) =>
      answers.every((a) => a.status === 200) ? 'one' : answers.every((a) => a.status === 400 || a.status === 422) ? 'other' : undefined,
  },
  '`due` with second 60': {
    one: ['lenient', 'strict'],
    other: ['reference'],
    probe: [{ body: '{"due":"2016-12-31T23:59:60Z"}' }, { body: '{"due":"2016-12-31T15:59:60-08:00"}' }],
    side: (answers) => {
      if (answers.every((a) => a.status === 200 && isLeapSecondInstant(String(field(a, 'due'))))) return 'one';
      return answers.every((a) => a.status === 400 || a.status === 422) ? 'other' : undefined;
    },
  },
  'the form `due` is written back in': {
    one: ['reference'],
    other: ['lenient', 'strict'],
    probe: { body: JSON.stringify({ due: DUE_SENT }) },
    side: ([a]) => {
      const due = String(field(a, 'due'));
      if (a?.status !== 200) return undefined;
      if (due === DUE_SENT) return 'one';
      return sameInstant(due, DUE_SENT) ? 'other' : undefined;
    },
  },
  'a path id with leading zeros or a leading `+`': {
    one: ['reference', 'lenient'],
    other: ['strict'],
    probe: { target: `0${JOB}`, body: '{}' },
    side: ([a]) => (a?.status === 200 && field(a, 'id') === JOB ? 'one' : is4xx(a) && mediaType(a) === 'application/json' ? 'other' : undefined),
  },
  'a path id that is not a positive integer': {
    one: ['reference', 'lenient'],
    other: ['strict'],
    probe: { target: 'abc', body: '{}' },
    side: ([a]) => (a?.status === 400 ? 'one' : a?.status === 404 ? 'other' : undefined),
  },
  'the status for invalid field values': {
    one: ['reference', 'lenient'],
    other: ['strict'],
    probe: { body: '{"isProcessing":"7"}' },
    side: ([a]) => (a?.status === 400 ? 'one' : a?.status === 422 ? 'other' : undefined),
  },
  "the 401 body's media type": {
    one: ['reference', 'strict'],
    other: ['lenient'],
    probe: { body: '{}', authorization: null },
    side: ([a]) =>
      a?.status !== 401 ? undefined : mediaType(a) === 'text/plain' ? 'one' : mediaType(a) === 'application/octet-stream' ? 'other' : undefined,
  },
  'a JSON body sent without a Content-Type, or as `text/plain`': {
    one: ['reference', 'strict'],
    other: ['lenient'],
    probe: [{ body: '{"name":"typed as text"}', contentType: 'text/plain' }, { body: '{"name":"untyped"}', contentType: null }],
    side: (answers) =>
      answers.every((a) => a.status === 200) ? 'one' : answers.every((a) => a.status === 415) ? 'other' : undefined,
  },
  'a body starting with a byte-order mark': {
    one: ['lenient'],
    other: ['reference', 'strict'],
    probe: { body: '\ufeff{"name":"after a BOM"}' },
    side: acceptedOr((a) => a.status === 400),
  },
  'duplicate keys in the JSON body': {
    one: ['reference', 'lenient'],
    other: ['strict'],
    probe: { body: '{"name":"first","name":"second"}' },
    side: ([a]) =>
      a?.status === 200 && ['first', 'second'].includes(String(field(a, 'name'))) ? 'one' : a?.status === 400 ? 'other' : undefined,
  },
  'unknown fields holding deep nesting or huge values': {
    one: ['reference', 'lenient'],
    other: ['strict'],
    probe: [
      { body: `{"u":${'['.repeat(100_000)}${']'.repeat(100_000)}}` },
      { body: '{"u":1e400}' },
      { body: `{"u":"${'x'.repeat(512 * 1024)}"}` },
    ],
    side: (answers) => (answers.every((a) => a.status === 200) ? 'one' : answers.every(is4xx) ? 'other' : undefined),
  },
  'undocumented extra properties in the Job or the Error body, key order, `charset`, chunked responses': {
    one: ['reference', 'lenient'],
    other: ['strict'],
    probe: [{ body: '{}' }, { target: '999999', body: '{}' }],
    side: ([job, error]) => {
      if (job?.status !== 200 || error?.status !== 404) return undefined;
      const extras =
        Object.keys((job.json ?? {}) as object).some((key) => !DOCUMENTED_JOB.includes(key)) ||
        Object.keys((error.json ?? {}) as object).some((key) => key !== 'message');
      const charset = [job, error].some((a) => /charset/i.test(String(a.headers['content-type'])));
      const chunked = [job, error].some((a) => a.headers['transfer-encoding'] === 'chunked');
      return extras || charset || chunked ? 'one' : 'other';
    },
  },
  'the `key` query parameter given twice, with the key and with another value (either order)': {
    one: ['lenient'],
    other: ['reference', 'strict'],
    probe: { target: `${JOB}?key=${KEY}&key=wrong-key`, body: '{}', authorization: null },
    side: acceptedOr((a) => a.status === 401),
  },
  'a body sent chunked': {
    one: ['reference', 'lenient'],
    other: ['strict'],
    probe: { body: '{"name":"sent chunked"}', chunked: true },
    side: acceptedOr((a) => a.status === 411),
  },
  'a number field in another JSON spelling (`1.0`, `1e0`)': {
    one: ['reference', 'lenient'],
    other: ['strict'],
    probe: [{ body: '{"isProcessing":1.0}' }, { body: '{"isProcessing":1e0}' }],
    side: (answers) =>
      answers.every((a) => a.status === 200 && field(a, 'isProcessing') === 1) ? 'one' : answers.every((a) => a.status === 400 || a.status === 422) ? 'other' : undefined,
  },
  'a path id with percent-encoded digits': {
    one: ['reference', 'lenient'],
    other: ['strict'],
    probe: { target: [...String(JOB)].map((d) => `%3${d}`).join(''), body: '{}' },
    side: ([a]) => (a?.status === 200 && field(a, 'id') === JOB ? 'one' : is4xx(a) ? 'other' : undefined),
  },
  'an empty body (zero bytes) with a JSON Content-Type': {
    one: ['reference', 'lenient'],
    other: ['strict'],
    probe: { body: '' },
    side: acceptedOr((a) => a.status === 400),
  },
  "a parameter other than `charset=utf-8` on the request's media type": {
    one: ['reference', 'lenient'],
    other: ['strict'],
    probe: [
      { body: '{"name":"profiled"}', contentType: 'application/json; profile=lilt-conformance' },
      { body: '{"name":"latin-1"}', contentType: 'application/json; charset=iso-8859-1' },
    ],
    side: (answers) =>
      answers.every((a) => a.status === 200) ? 'one' : answers.every((a) => a.status === 415) ? 'other' : undefined,
  },
  'the key query parameter given twice, both times the key': {
    one: ['lenient'],
    other: ['reference', 'strict'],
    probe: { target: `${JOB}?key=${KEY}&key=${KEY}`, body: '{}', authorization: null },
    side: acceptedOr((a) => a.status === 401),
  },
  'a lone surrogate escaped in a string (`"\\ud800"`), in `name` or an unknown field': {
    one: ['reference', 'lenient'],
    other: ['strict'],
    probe: [{ body: '{"name":"lone \\ud800 surrogate"}' }, { body: '{"name":"x","u":"\\udc00"}' }],
    side: (answers) =>
      answers.every((a) => a.status === 200) ? 'one' : answers.every((a) => a.status === 400) ? 'other' : undefined,
  },
  'a valid credential beside a wrong one (Basic and the query parameter)': {
    one: ['reference', 'lenient'],
    other: ['strict'],
    probe: [
      { target: `${JOB}?key=wrong-key`, body: '{"name":"valid Basic"}' },
      { target: `${JOB}?key=${KEY}`, body: '{"name":"valid key"}', authorization: `Basic ${Buffer.from('wrong-key:wrong-key').toString('base64')}` },
    ],
    side: (answers) =>
      answers.every((a) => a.status === 200) ? 'one' : answers.every((a) => a.status === 401) ? 'other' : undefined,
  },
  'an `Accept` header no JSON answer meets': {
    one: ['reference', 'lenient'],
    other: ['strict'],
    probe: [
      { body: '{"name":"for a browser"}', accept: 'text/html' },
      { body: '{"name":"JSON ruled out"}', accept: 'application/json;q=0' },
    ],
    side: (answers) => {
      if (answers.every((a) => a.status === 200 && mediaType(a) === 'application/json')) return 'one';
      return answers.every((a) => a.status === 406 && typeof field(a, 'message') === 'string') ? 'other' : undefined;
    },
  },
};

function send(baseUrl: string, probe: Probe): Promise<Answer> {
  const body = probe.body === undefined ? undefined : Buffer.from(probe.body, 'utf8');
  const headers: Record<string, string> = {};
  const contentType = probe.contentType === undefined ? (body === undefined ? null : 'application/json') : probe.contentType;
  if (contentType !== null) headers['content-type'] = contentType;
  const authorization = probe.authorization === undefined ? BASIC : probe.authorization;
  if (authorization !== null) headers.authorization = authorization;
  if (probe.accept !== undefined) headers.accept = probe.accept;
  if (body !== undefined && probe.chunked !== true) headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const req = http.request(`${baseUrl}/v2/jobs/${probe.target ?? JOB}`, { method: probe.method ?? 'PUT', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (probe.chunked === true && body !== undefined) {
      req.write(body.subarray(0, 1));
      req.end(body.subarray(1));
    } else {
      req.end(body);
    }
  });
}

const rows = openChoices(fs.readFileSync(BEHAVIOUR, 'utf8'));

describe('the open-choices table of contracts/BEHAVIOUR.md', () => {
  test('is there, with at least the team\'s twelve rows, each with two sides', () => {
    expect(rows.length).toBeGreaterThanOrEqual(12);
    for (const row of rows) expect([row.choice, row.one.length > 0, row.other.length > 0]).toEqual([row.choice, true, true]);
  });

  test('every row is declared in SIDES, and SIDES declares no row the table lacks', () => {
    const inTable = rows.map((row) => row.choice);
    expect(inTable.filter((choice) => SIDES[choice] === undefined)).toEqual([]);
    expect(Object.keys(SIDES).filter((choice) => !inTable.includes(choice))).toEqual([]);
  });

  test('every side of every row has a provider, and no provider is on both sides', () => {
    const missing = rows.flatMap((row) => {
      const sides = SIDES[row.choice];
      if (sides === undefined) return [`${row.choice}: not declared`];
      return [
        ...(sides.one.length === 0 ? [`${row.choice}: no provider takes "${row.one}"`] : []),
        ...(sides.other.length === 0 ? [`${row.choice}: no provider takes "${row.other}"`] : []),
        ...sides.one.filter((p) => sides.other.includes(p)).map((p) => `${row.choice}: ${p} on both sides`),
      ];
    });
    expect(missing).toEqual([]);
  });
});

describe('each provider answers on the side SIDES declares for it', () => {
  const urls = new Map<Provider, string>();
  const closers: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    const reference = await startReferenceProvider({ port: 0 });
    closers.push(() => reference.close());
    urls.set('reference', reference.url);
    for (const flavour of ['lenient', 'strict'] as const) {
      const variant = await startConformantVariant({ port: 0, flavour, apiKey: KEY });
      closers.push(() => variant.close());
      urls.set(flavour, variant.url);
    }
  });
  afterAll(async () => {
    await Promise.all(closers.map((close) => close()));
  });

  const cases = Object.entries(SIDES).flatMap(([choice, sides]) =>
    (['one', 'other'] as const).flatMap((side) => sides[side].map((provider) => [choice, provider, side] as const)),
  );

  test.each(cases)('%s: %s takes side %s', async (choice, provider, side) => {
    const sides = SIDES[choice] as RowSides;
    const url = urls.get(provider) as string;
    const probes = Array.isArray(sides.probe) ? (sides.probe as readonly Probe[]) : [sides.probe as Probe];
    const answers: Answer[] = [];
    for (const probe of probes) answers.push(await send(url, probe));
    const shown = answers.map((a) => `${a.status} ${String(a.headers['content-type'])} ${a.text.slice(0, 120)}`);
    expect({ side: sides.side(answers), answers: shown }).toEqual({ side, answers: shown });
  });
});
