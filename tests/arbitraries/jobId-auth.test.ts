/**
 * Job ids: every segment's expectation agrees with an independent reading of BEHAVIOUR.md's id rules; the boundaries
 * the issue names are generated. Auth: expectations by kind, the query parameter from the contract, sendable headers.
 */
import fc from 'fast-check';
import type { IdCase } from '../../src/arbitraries';
import { build, SEED, type Built } from './setup';

let built: Built;
beforeAll(async () => {
  built = await build();
});

const MAX = 2n ** 63n - 1n; // BEHAVIOUR.md: "2^63 and larger" are not valid ids (the contract gives no format)

/** BEHAVIOUR.md's id rules, written out again independently of the generator. */
function expected(segment: string, existing: bigint): IdCase['expectation'] {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    return 'invalid'; // malformed percent-encoding
  }
  if (/^[1-9]\d*$/.test(segment)) {
    const n = BigInt(segment);
    return n > MAX ? 'invalid' : n === existing ? 'existing' : 'missing';
  }
  // Leading zeros, a '+', or percent-encoded digits: may be read as the integer or refused.
  if (/^\+?0*[1-9]\d*$/.test(decoded) && BigInt(decoded.replace('+', '')) <= MAX) return 'open';
  return 'invalid';
}

describe.each([
  [241, 999999],
  [2147483647, 5],
  [1, 2],
])('jobId with existing %d and missing %d', (existing, missing) => {
  const sample = () => fc.sample(built.arbitraries.jobId({ existing, missing }), { seed: SEED, numRuns: 3000 });

  test('every expectation agrees with the id rules', () => {
    const problems = sample()
      .filter((c) => c.expectation !== expected(c.segment, BigInt(existing)))
      .map((c) => `${c.label}: ${c.segment.slice(0, 40)} is ${c.expectation}, expected ${expected(c.segment, BigInt(existing))}`);
    expect(problems).toEqual([]);
  });

  test('covers the existing and missing ids, the boundaries near 2^31, 2^53, 2^63, and every kind of invalid id', () => {
    const cases = sample();
    const segments = new Set(cases.map((c) => c.segment));
    for (const n of [existing, missing, 2 ** 31 - 1, 2 ** 31]) expect(segments).toContain(String(n));
    for (const n of [2n ** 53n, 2n ** 53n + 1n, 2n ** 63n - 1n, 2n ** 63n, 2n ** 64n + BigInt(existing)]) expect(segments).toContain(String(n));
    for (const s of ['0', '-1', '1e3', '1.5', '', 'abc', '%zz', `0${existing}`, `+${existing}`, `${existing}.0`]) expect(segments).toContain(s);
    const kinds = new Set(cases.map((c) => c.expectation));
    expect([...kinds].sort()).toEqual(['existing', 'invalid', 'missing', 'open']);
  });
});

test('jobId refuses ids it cannot represent exactly, and an existing id equal to the missing one', () => {
  expect(() => built.arbitraries.jobId({ existing: 2 ** 60, missing: 1 })).toThrow(/safe integers/);
  expect(() => built.arbitraries.jobId({ existing: 241, missing: 241 })).toThrow(/must differ/);
});

describe('auth', () => {
  const cases = () => fc.sample(built.arbitraries.auth, { seed: SEED, numRuns: 1000 });

  test('only valid Basic and the documented query parameter authorize', () => {
    for (const c of cases()) {
      expect({ kind: c.kind, expectation: c.expectation }).toEqual({
        kind: c.kind,
        expectation: c.kind === 'basic' || c.kind === 'query' ? 'authorized' : 'unauthorized',
      });
    }
  });

  test('every kind is generated; the query parameter is the contract apiKey scheme name', () => {
    const all = cases();
    expect(new Set(all.map((c) => c.kind))).toEqual(new Set(['basic', 'query', 'none', 'wrong-basic', 'wrong-query', 'malformed-header']));
    const scheme = built.contract.document.components?.securitySchemes?.ApiKeyAuth as { name: string };
    for (const c of all.filter((x) => x.kind === 'query' || x.kind === 'wrong-query')) expect(c.queryParameter).toBe(scheme.name);
    for (const c of all.filter((x) => x.kind === 'wrong-basic' || x.kind === 'wrong-query')) expect(typeof c.wrongKey).toBe('string');
  });

  test('malformed headers are sendable (printable ASCII) and never valid Basic credentials of one key', () => {
    for (const c of cases().filter((x) => x.kind === 'malformed-header')) {
      expect(c.header).toMatch(/^[\x20-\x7e]*$/);
      const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(c.header!);
      if (match) {
        const [user, password, ...rest] = Buffer.from(match[1]!, 'base64').toString('utf8').split(':');
        // made-up credentials may coincide in form, never with a real key: an empty or 1-12 character made-up one
        expect(rest.length > 0 || user !== password || (user ?? '').length <= 12).toBe(true);
      }
    }
  });
});
