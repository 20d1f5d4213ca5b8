/**
 * One test (or table) per rule of contracts/BEHAVIOUR.md, against a real listening provider with fresh state per test.
 * Every answer is checked for status, content type and a body valid against the contract's schema for that status.
 */
import { DEFAULT_FIXTURES_FILE, loadFixtures, type RunningProvider } from '../../src/provider';
import { sameInstant } from '../../src/validation/date-time';
import {
  API_KEY,
  basic,
  expectError,
  expectJob,
  expectUnauthorized,
  send,
  startProvider,
} from './helpers';

const fixtureJob = (id: number) => {
  const job = loadFixtures(DEFAULT_FIXTURES_FILE).jobs.find((candidate) => candidate.id === id);
  if (!job) throw new Error(`fixture job ${id} missing`);
  return job;
};

let provider: RunningProvider;
beforeEach(async () => {
  provider = await startProvider();
});
afterEach(async () => {
  await provider.close();
});

describe('Auth (checked before anything else)', () => {
  it('accepts HTTP Basic with the API key as user name and password', async () => {
    await expectJob(await send(provider, '/v2/jobs/241', { authorization: basic(API_KEY, API_KEY) }), 241);
  });

  it('accepts the API key in the key query parameter', async () => {
    await expectJob(await send(provider, `/v2/jobs/241?key=${API_KEY}`, { authorization: null }), 241);
  });

  it.each([
    ['no credentials', null, ''],
    ['a wrong key (Basic)', basic('wrong-key', 'wrong-key'), ''],
    ['the key as user only', basic(API_KEY, 'other'), ''],
    ['the key as password only', basic('other', API_KEY), ''],
    ['a wrong key (query)', null, '?key=wrong-key'],
    ['an empty key (query)', null, '?key='],
    ['the key twice in the query', null, `?key=${API_KEY}&key=${API_KEY}`],
    ['a Bearer token', `Bearer ${API_KEY}`, ''],
    ['Basic without credentials', 'Basic', ''],
    ['Basic with invalid base64', 'Basic !!!not-base64!!!', ''],
    ['Basic with base64 of no colon', `Basic ${Buffer.from(API_KEY).toString('base64')}`, ''],
    ['Basic with non-UTF-8 bytes', `Basic ${Buffer.from([0xff, 0xfe, 0x3a, 0xff]).toString('base64')}`, ''],
  ])('answers 401 with a text body for %s', async (_name, authorization, query) => {
    await expectUnauthorized(await send(provider, `/v2/jobs/241${query}`, { authorization }));
  });

  it.each([
    ['an unknown job', '/v2/jobs/999999', undefined],
    ['a non-integer id', '/v2/jobs/abc', undefined],
    ['malformed JSON', '/v2/jobs/241', '{"name":'],
    ['a type error', '/v2/jobs/241', { name: 5 }],
  ])('answers 401 before judging %s', async (_name, path, body) => {
    await expectUnauthorized(await send(provider, path, { authorization: null, ...(body === undefined ? {} : { body }) }));
  });
});

describe('The path id', () => {
  it('updates an existing job, the id in the response equal to the path id', async () => {
    for (const id of [241, 242, 243]) {
      const job = await expectJob(await send(provider, `/v2/jobs/${id}`, { body: { name: `job ${id}` } }), id);
      expect(job.name).toBe(`job ${id}`);
    }
  });

  it('answers 404 with the Error body for an integer naming no job', async () => {
    const message = await expectError(await send(provider, '/v2/jobs/999999', { body: { name: 'x' } }), 404);
    expect(message).toContain('999999');
  });

  it.each(['abc', '1.5', '-1', '0', '1e3', '9223372036854775808', '18446744073709551616', '1' + '0'.repeat(40), '+241', '241abc', '%20241', '0x10'])(
    "answers 400 with the Error body for the id '%s'",
    async (id) => {
      await expectError(await send(provider, `/v2/jobs/${id}`), 400);
    },
  );

  it('answers a 4xx with the Error body for an empty id', async () => {
    await expectError(await send(provider, '/v2/jobs/'), '4xx');
  });

  it("reads the leading-zero spelling '0241' as job 241 (allowed either way)", async () => {
    await expectJob(await send(provider, '/v2/jobs/0241'), 241);
  });

  it('answers 404 for an id below 2^63 but beyond any job', async () => {
    await expectError(await send(provider, '/v2/jobs/9223372036854775807'), 404);
  });

  it.each([
    ['GET', '/v2/jobs/241', 405],
    ['POST', '/v2/jobs/241', 405],
    ['DELETE', '/v2/jobs/241', 405],
    ['PATCH', '/v2/jobs/241', 405],
    ['PUT', '/v2/jobs', 404],
    ['PUT', '/v2/jobs/241/extra', 404],
    ['PUT', '/v3/jobs/241', 404],
    ['GET', '/', 404],
  ])('answers %s %s outside the contract with %i and the Error body', async (method, path, status) => {
    const answer = await send(provider, path, { method });
    await expectError(answer, status);
    if (status === 405) expect(answer.headers.get('allow')).toBe('PUT');
  });
});

describe('The body', () => {
  it('leaves the job unchanged when the body is absent (a PUT alone reads the job)', async () => {
    const job = await expectJob(await send(provider, '/v2/jobs/241'), 241);
    expect(job).toEqual(fixtureJob(241));
  });

  it('leaves the job unchanged for {}', async () => {
    const job = await expectJob(await send(provider, '/v2/jobs/242', { body: {} }), 242);
    expect(job).toEqual(fixtureJob(242));
  });

  it.each(['{', '{"name":"x",}', "{'name':'x'}", '{"name":"x"} trailing', 'name=x', ' ', '\ufeff{}', 'NaN'])(
    'answers 400 with the Error body for malformed JSON %j',
    async (text) => {
      await expectError(await send(provider, '/v2/jobs/241', { body: text }), 400);
    },
  );

  it.each(['[]', '[{"name":"x"}]', '"name"', '42', 'null', 'true'])(
    'answers 400 with the Error body for JSON that is not an object: %s',
    async (text) => {
      const message = await expectError(await send(provider, '/v2/jobs/241', { body: text }), 400);
      expect(message).toMatch(/object/);
    },
  );

  it.each([
    ['empty', ''],
    ['one letter', 'x'],
    ['100 000 characters', 'a'.repeat(100_000)],
    ['non-ASCII and astral', 'Ünïcødé ✓ 日本語 🚀'],
    ['a combining mark', 'e\u0301 combining'],
    ['surrounding spaces', '  spaced  '],
    ['control characters', 'line\nbreak\ttab\u0000nul'],
  ])(
    'stores any string name exactly as sent: %s',
    async (_label, name) => {
      const job = await expectJob(await send(provider, '/v2/jobs/241', { body: { name } }), 241);
      expect(job.name).toBe(name);
      const again = await expectJob(await send(provider, '/v2/jobs/241'), 241);
      expect(again.name).toBe(name);
    },
  );

  it.each([5, null, true, ['x'], { text: 'x' }])('answers 400 for a name of another type: %j', async (name) => {
    await expectError(await send(provider, '/v2/jobs/241', { body: { name } }), 400);
    const job = await expectJob(await send(provider, '/v2/jobs/241'), 241);
    expect(job.name).toBe(fixtureJob(241).name);
  });

  it.each([
    '2022-05-05T10:56:44.985Z',
    '2022-05-05t10:56:44z',
    '2022-05-05T10:56:44+09:00',
    '2022-05-05T10:56:44-05:30',
    '2024-02-29T00:00:00Z',
    '2000-02-29T23:59:59.123456789012Z',
    '2022-05-05T10:56:44.000+00:00',
    '0001-01-01T00:00:00Z',
  ])('stores an RFC 3339 due %s as that instant', async (due) => {
    const job = await expectJob(await send(provider, '/v2/jobs/243', { body: { due } }), 243);
    expect(typeof job.due).toBe('string');
    expect(sameInstant(job.due as string, due)).toBe(true);
    expect(job.due).toBe(due.toUpperCase());
  });

  it.each([
    '2021-02-29T00:00:00Z',
    '2021-13-01T00:00:00Z',
    '2021-06-31T00:00:00Z',
    '2021-06-03T24:00:00Z',
    '2021-06-03T13:43:00',
    '2021-06-03',
    '13:43:00Z',
    'yesterday',
    '',
    '2021-06-03T13:43:00+24:00',
    '2021-06-03T13:43:00.Z',
  ])('answers 400 for a due that is not RFC 3339: %j', async (due) => {
    await expectError(await send(provider, '/v2/jobs/241', { body: { due } }), 400);
  });

  it.each([1622727780000, null, true, { date: '2021-06-03T13:43:00Z' }])('answers 400 for a due of another type: %j', async (due) => {
    await expectError(await send(provider, '/v2/jobs/241', { body: { due } }), 400);
  });

  it.each(['2021-06-03 13:43:00Z', '2021-06-03T13:43:00+09', '2021-06-03T13:43:00+0900', '2016-12-31T23:59:60Z'])(
    'refuses (one of the two allowed answers) the form BEHAVIOUR.md leaves open: %s',
    async (due) => {
      await expectError(await send(provider, '/v2/jobs/241', { body: { due } }), 400);
    },
  );

  it.each([
    ['0', 0],
    ['1', 1],
    ['-2', -2],
    [0, 0],
    [1, 1],
    [-2, -2],
  ])('maps isProcessing %j to the integer %i', async (isProcessing, expected) => {
    // Job 243 starts at -2, 242 at 1: use a job whose value differs from the target where possible.
    const id = expected === -2 ? 241 : 243;
    const job = await expectJob(await send(provider, `/v2/jobs/${id}`, { body: { isProcessing } }), id);
    expect(job.isProcessing).toBe(expected);
  });

  it.each(['ExportError', 'Ok', '2', 2, -1, 1.5, '01', ' 1', '', null, true, ['1']])(
    'answers 400 for isProcessing %j',
    async (isProcessing) => {
      await expectError(await send(provider, '/v2/jobs/241', { body: { isProcessing } }), 400);
    },
  );

  it('accepts any string processingErrorMsg (the Job has no such field)', async () => {
    const job = await expectJob(
      await send(provider, '/v2/jobs/241', { body: { processingErrorMsg: 'Authentication failed.', isProcessing: '-2' } }),
      241,
    );
    expect(job).not.toHaveProperty('processingErrorMsg');
    expect(job.isProcessing).toBe(-2);
  });

  it.each([5, null, false, { message: 'x' }])('answers 400 for a processingErrorMsg of another type: %j', async (processingErrorMsg) => {
    await expectError(await send(provider, '/v2/jobs/241', { body: { processingErrorMsg } }), 400);
  });

  it('ignores unknown properties', async () => {
    const job = await expectJob(
      await send(provider, '/v2/jobs/241', { body: { name: 'kept', colour: 'blue', nested: { deep: [1, 2] }, __proto__x: 1 } }),
      241,
    );
    expect(job).toEqual({ ...fixtureJob(241), name: 'kept' });
  });

  it('takes a "__proto__" property as an unknown property, not a prototype', async () => {
    const text = '{"__proto__": {"name": "polluted", "status": "archived"}, "name": "safe"}';
    const job = await expectJob(await send(provider, '/v2/jobs/241', { body: text }), 241);
    expect(job).toEqual({ ...fixtureJob(241), name: 'safe' });
  });

  it('never changes a read-only Job field sent in the body', async () => {
    const body = {
      id: 242,
      status: 'archived',
      creationStatus: 'FAILED',
      deliveredAt: '1999-01-01T00:00:00Z',
      stats: { numProjects: 99 },
      domains: [],
    };
    const job = await expectJob(await send(provider, '/v2/jobs/241', { body }), 241);
    expect(job).toEqual(fixtureJob(241));
    const other = await expectJob(await send(provider, '/v2/jobs/242'), 242);
    expect(other).toEqual(fixtureJob(242));
  });

  it('keeps the value of every field not sent (partial update)', async () => {
    await expectJob(await send(provider, '/v2/jobs/241', { body: { name: 'first' } }), 241);
    await expectJob(await send(provider, '/v2/jobs/241', { body: { due: '2030-01-02T03:04:05Z' } }), 241);
    const job = await expectJob(await send(provider, '/v2/jobs/241', { body: { isProcessing: 1 } }), 241);
    expect(job).toEqual({ ...fixtureJob(241), name: 'first', due: '2030-01-02T03:04:05Z', isProcessing: 1 });
  });

  it('changes nothing when an update is refused', async () => {
    await expectError(await send(provider, '/v2/jobs/241', { body: { name: 'new', due: 'not a date' } }), 400);
    const job = await expectJob(await send(provider, '/v2/jobs/241'), 241);
    expect(job).toEqual(fixtureJob(241));
  });

  it('updates only the job named by the path', async () => {
    await expectJob(await send(provider, '/v2/jobs/241', { body: { name: 'only 241' } }), 241);
    expect(await expectJob(await send(provider, '/v2/jobs/242'), 242)).toEqual(fixtureJob(242));
  });
});

describe('Responses', () => {
  it('answers 200 in application/json with a valid Job echoing name, due and isProcessing', async () => {
    const body = { name: 'Echo', due: '2031-07-08T09:10:11.5+02:00', isProcessing: '1' };
    const answer = await send(provider, '/v2/jobs/242', { body });
    expect(answer.contentType).toBe('application/json; charset=utf-8');
    const job = await expectJob(answer, 242);
    expect(job.name).toBe('Echo');
    expect(sameInstant(job.due as string, body.due)).toBe(true);
    expect(job.isProcessing).toBe(1);
  });

  it('gives the same Job for the same PUT twice (idempotent)', async () => {
    const body = { name: 'twice', due: '2030-01-01T00:00:00Z', isProcessing: 0 };
    const first = await expectJob(await send(provider, '/v2/jobs/243', { body }), 243);
    const second = await expectJob(await send(provider, '/v2/jobs/243', { body }), 243);
    expect(second).toEqual(first);
  });

  it('answers every 4xx but 401 with the Error body in application/json', async () => {
    for (const [path, body] of [
      ['/v2/jobs/999999', undefined],
      ['/v2/jobs/abc', undefined],
      ['/v2/jobs/241', '{'],
      ['/v2/jobs/241', { name: 1 }],
    ] as const) {
      const answer = await send(provider, path, body === undefined ? {} : { body });
      expect(answer.contentType).toBe('application/json; charset=utf-8');
      expect(Object.keys(JSON.parse(answer.text) as object)).toEqual(['message']);
      await expectError(answer, '4xx');
    }
  });

  it('answers the 401 in text/plain with a Basic challenge and no key in it', async () => {
    const answer = await send(provider, '/v2/jobs/241?key=wrong', { authorization: basic('wrong', 'wrong') });
    await expectUnauthorized(answer);
    expect(answer.contentType).toBe('text/plain; charset=utf-8');
    expect(answer.headers.get('www-authenticate')).toMatch(/^Basic /);
    expect(answer.text).not.toContain('wrong');
  });
});

describe('Quota', () => {
  it('is off by default: 200 requests in a row are all answered 200', async () => {
    const statuses = new Set<number>();
    for (let i = 0; i < 200; i += 1) statuses.add((await send(provider, '/v2/jobs/241')).status);
    expect([...statuses]).toEqual([200]);
  });

  it('answers 429 with Retry-After and the Error body past the quota, per API key', async () => {
    const fixtures = loadFixtures(DEFAULT_FIXTURES_FILE);
    const limited = await startProvider({ quota: 3, fixtures: { ...fixtures, apiKeys: [API_KEY, 'other-key'] } });
    try {
      for (let i = 0; i < 3; i += 1) await expectJob(await send(limited, '/v2/jobs/241'), 241);
      const refused = await send(limited, '/v2/jobs/241');
      const message = await expectError(refused, 429);
      expect(message).toMatch(/quota/);
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(Number.isInteger(retryAfter)).toBe(true);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      // Another key has its own quota; a request without credentials is a 401, not a 429.
      await expectJob(await send(limited, '/v2/jobs/241', { authorization: basic('other-key', 'other-key') }), 241);
      await expectUnauthorized(await send(limited, '/v2/jobs/241', { authorization: null }));
      // The query-parameter key is the same key: also refused.
      await expectError(await send(limited, `/v2/jobs/241?key=${API_KEY}`, { authorization: null }), 429);
    } finally {
      await limited.close();
    }
  });
});
