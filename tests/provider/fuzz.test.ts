/**
 * 1 000 mixed requests with random methods, paths, credentials, content types and bodies (fast-check): none gets a
 * 5xx or a dropped connection, every answer is what the contract documents for its status, and every 200 echoes the
 * fields that were sent.
 */
import fc from 'fast-check';
import type { RunningProvider } from '../../src/provider';
import { sameInstant } from '../../src/validation/date-time';
import { API_KEY, BASIC, basic, startProvider, undocumented } from './helpers';

const RUNS = 1000;

interface FuzzRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string | Uint8Array | undefined;
}

/** Printable ASCII: what a header value can carry through fetch. */
const headerText = fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 40 });

const jobIdSegment = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('241', '242', '243') },
  { weight: 2, arbitrary: fc.constantFrom('999999', '0', '-1', 'abc', '0241', '+241', '1.5', '1e3', '9223372036854775808', '') },
  { weight: 1, arbitrary: fc.nat().map(String) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }).map(encodeURIComponent) },
  { weight: 1, arbitrary: fc.constantFrom('%ZZ', '%E0%A4%A', '%', '%FF', '%2F241') },
);

const path = fc.oneof(
  { weight: 9, arbitrary: jobIdSegment.map((id) => `/v2/jobs/${id}`) },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }).map((p) => `/v2/${encodeURIComponent(p)}`) },
);

type Credentials = { readonly authorization?: string; readonly query?: string };
const credentials: fc.Arbitrary<Credentials> = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ authorization: BASIC }) },
  { weight: 3, arbitrary: fc.constant({ query: `key=${API_KEY}` }) },
  { weight: 1, arbitrary: fc.constant({}) },
  { weight: 1, arbitrary: fc.constantFrom({ authorization: basic('nope', 'nope') }, { query: 'key=nope' }, { query: 'key=%ZZ' }) },
  { weight: 1, arbitrary: headerText.map((text) => ({ authorization: `Basic ${text}` })) },
);

const contentType = fc.oneof(
  { weight: 6, arbitrary: fc.constant('application/json') },
  { weight: 2, arbitrary: fc.constantFrom(undefined, 'text/plain', 'application/json; charset=utf-8', ';;;', 'application/x-www-form-urlencoded') },
  { weight: 1, arbitrary: headerText },
);

const updateBody = fc.record(
  {
    name: fc.oneof({ weight: 4, arbitrary: fc.string({ unit: 'binary' }) }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) }),
    due: fc.oneof(
      {
        weight: 6,
        arbitrary: fc
          .date({ noInvalidDate: true, min: new Date(0), max: new Date(Date.UTC(9999, 11, 31)) })
          .map((d) => d.toISOString()),
      },
      { weight: 2, arbitrary: fc.constantFrom('2021-06-03T13:43:00+09:00', '2021-06-03t13:43:00.123456z', '2021-06-03 13:43:00Z', '2021-02-29T00:00:00Z', '2016-12-31T23:59:60Z') },
      { weight: 1, arbitrary: fc.string() },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) },
    ),
    isProcessing: fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom('0', '1', '-2', 0, 1, -2) },
      { weight: 2, arbitrary: fc.constantFrom('ExportError', 2, '2', -0, 1.5, null) },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) },
    ),
    processingErrorMsg: fc.oneof({ weight: 4, arbitrary: fc.string() }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) }),
    id: fc.integer(),
    status: fc.string(),
    stats: fc.jsonValue({ maxDepth: 2 }),
  },
  { requiredKeys: [] },
);

const body: fc.Arbitrary<string | Uint8Array | undefined> = fc.oneof(
  { weight: 2, arbitrary: fc.constant(undefined) },
  { weight: 6, arbitrary: updateBody.map((value) => JSON.stringify(value)) },
  { weight: 1, arbitrary: fc.json({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 50 }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 50 }) },
);

const request: fc.Arbitrary<FuzzRequest> = fc
  .record({
    method: fc.oneof({ weight: 9, arbitrary: fc.constant('PUT') }, { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE') }),
    path,
    credentials,
    contentType,
    body,
  })
  .map(({ method, path: p, credentials: c, contentType: ct, body: b }) => {
    const headers: Record<string, string> = {};
    if (c.authorization !== undefined) headers.authorization = c.authorization;
    if (ct !== undefined) headers['content-type'] = ct;
    return { method, path: c.query === undefined ? p : `${p}?${c.query}`, headers, body: method === 'GET' ? undefined : b };
  });

/** For a 200, the job must carry what was sent (when the body was a JSON object). */
function echoProblem(sent: FuzzRequest, job: Record<string, unknown>): string {
  if (typeof sent.body !== 'string') return '';
  let parsed: unknown;
  try {
    parsed = JSON.parse(sent.body);
  } catch {
    return '';
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return '';
  const update = parsed as Record<string, unknown>;
  if ('name' in update && job.name !== update.name) return `name ${JSON.stringify(job.name)} is not the name sent`;
  if ('isProcessing' in update && job.isProcessing !== Number(update.isProcessing)) return `isProcessing ${String(job.isProcessing)} is not the value sent`;
  if ('due' in update && !sameInstant(String(job.due), String(update.due))) return `due ${String(job.due)} is not the instant sent`;
  return '';
}

let provider: RunningProvider;
beforeAll(async () => {
  provider = await startProvider();
});
afterAll(async () => {
  await provider.close();
});

it(`answers ${RUNS} random requests without a 5xx, a dropped connection or an undocumented answer`, async () => {
  const statuses = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(request, async (sent) => {
      const response = await fetch(`${provider.url}${sent.path}`, { method: sent.method, headers: sent.headers, body: sent.body });
      const answer = {
        status: response.status,
        contentType: response.headers.get('content-type') ?? '',
        text: await response.text(),
        headers: response.headers,
      };
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      const problem = await undocumented(answer);
      if (problem !== '') throw new Error(`${sent.method} ${sent.path}: ${problem}: ${answer.text.slice(0, 200)}`);
      if (answer.status === 200) {
        const echo = echoProblem(sent, JSON.parse(answer.text) as Record<string, unknown>);
        if (echo !== '') throw new Error(`${sent.method} ${sent.path}: ${echo}`);
      }
    }),
    { numRuns: RUNS },
  );
  // The generator must reach every kind of answer, or the property proves little.
  for (const status of [200, 400, 401, 404]) expect(statuses.get(status) ?? 0).toBeGreaterThan(10);
  expect([...statuses.keys()].every((status) => status < 500)).toBe(true);
});
