/**
 * Field arbitraries: every generated value's expectation agrees with the contract's own request validator (and with
 * the date-time classifier), values survive JSON, and the edge cases the issue names are actually generated.
 */
import fc from 'fast-check';
import { dateTimeVerdict, instantOf, isRfc3339DateTime } from '../../src/validation/date-time';
import type { FieldCase } from '../../src/arbitraries';
import { build, numbersAsStrings, SEED, type Built } from './setup';

let built: Built;
beforeAll(async () => {
  built = await build();
});

const N = 1500;
const sample = (arb: fc.Arbitrary<FieldCase<unknown>>, n = N, seed = SEED) => fc.sample(arb, { seed, numRuns: n });

function numericEnumFields(): string[] {
  return built.arbitraries.model.requestFields.filter((f) => f.kind.type === 'enum' && f.kind.numeric).map((f) => f.name);
}

describe.each(['name', 'due', 'isProcessing', 'processingErrorMsg'])('field %s', (field) => {
  test('every value survives JSON.stringify and JSON.parse unchanged', () => {
    for (const c of sample(built.arbitraries.fields[field]!)) {
      expect(JSON.parse(JSON.stringify(c.value))).toStrictEqual(c.value);
    }
  });

  test('accepted values pass the contract request validator, rejected ones fail it', () => {
    const problems: string[] = [];
    for (const c of sample(built.arbitraries.fields[field]!)) {
      if (c.expectation === 'open') continue;
      const body = numbersAsStrings({ [field]: c.value }, numericEnumFields());
      const valid = built.requestValidator.validate(body).valid;
      if (valid !== (c.expectation === 'accept')) problems.push(`${c.expectation} ${c.label}: ${JSON.stringify(c.value)}`);
    }
    expect(problems).toEqual([]);
  });

  test('both accepted and rejected values are generated, each with a label', () => {
    const seen = new Set(sample(built.arbitraries.fields[field]!).map((c) => c.expectation));
    expect(seen.has('accept') && seen.has('reject')).toBe(true);
    for (const c of sample(built.arbitraries.fields[field]!, 200)) expect(c.label.length).toBeGreaterThan(0);
  });
});

describe('due (format: date-time)', () => {
  const verdictOfLabel = (label: string) =>
    label.startsWith('rfc3339 ') ? 'rfc3339' : label.startsWith('open: ') ? 'open' : label.startsWith('invalid: ') ? 'invalid' : label;

  test("each label's construction agrees with dateTimeVerdict, and the expectation follows the verdict", () => {
    const mismatches: string[] = [];
    for (const c of sample(built.arbitraries.field('due'), 3000)) {
      const expected = typeof c.value === 'string' ? dateTimeVerdict(c.value) : 'invalid';
      if (verdictOfLabel(c.label) !== expected) mismatches.push(`${c.label}: ${JSON.stringify(c.value)} is ${expected}`);
      const expectation = { rfc3339: 'accept', open: 'open', invalid: 'reject' }[expected];
      if (c.expectation !== expectation) mismatches.push(`${c.label}: expectation ${c.expectation}, verdict ${expected}`);
    }
    expect(mismatches).toEqual([]);
  });

  test('every rfc3339 value is strict RFC 3339 with an instant; every open one is open', () => {
    for (const c of sample(built.arbitraries.field('due'), 2000)) {
      if (c.label.startsWith('rfc3339 ')) {
        expect(typeof c.value === 'string' && isRfc3339DateTime(c.value)).toBe(true);
        expect(instantOf(c.value as string)).toBeDefined();
      }
      if (c.expectation === 'open') expect(dateTimeVerdict(c.value as string)).toBe('open');
    }
  });

  test('covers offsets, lowercase t/z, leap days, 0-9 fraction digits, and the named invalid and open forms', () => {
    const labels = sample(built.arbitraries.field('due'), 4000).map((c) => c.label);
    const has = (fragment: string) => labels.some((l) => l.includes(fragment));
    for (const fragment of [
      'offset +hh:mm', 'offset -hh:mm', 'lowercase t', 'lowercase z', 'leap day', 'contract example',
      ...Array.from({ length: 10 }, (_, i) => `fraction ${i} digits`),
      'invalid: not a leap year', 'invalid: February 30', 'invalid: month 13', 'invalid: hour 24', 'invalid: zone-less',
      'invalid: date only', 'invalid: garbage', 'invalid: wrong type',
      'open: space for T', 'open: offset +hh', 'open: offset +hhmm', 'open: leap second',
    ]) {
      expect({ fragment, found: has(fragment) }).toEqual({ fragment, found: true });
    }
    const values = sample(built.arbitraries.field('due'), 4000).map((c) => c.value);
    expect(values).toContain('2024-02-29T12:00:00Z');
    expect(values).toContain('2023-02-29T00:00:00Z');
  });
});

describe('isProcessing (string enum, numbers accepted per BEHAVIOUR.md)', () => {
  test('accepted values are exactly the enum strings and the numbers they spell', () => {
    const field = built.arbitraries.model.requestFields.find((f) => f.name === 'isProcessing')!;
    if (field.kind.type !== 'enum') throw new Error('isProcessing is not an enum');
    const enumStrings = field.kind.values;
    const accepted = new Set(sample(built.arbitraries.field('isProcessing')).filter((c) => c.expectation === 'accept').map((c) => c.value));
    const spelled = (values: Iterable<unknown>) => [...values].map((v) => JSON.stringify(v)).sort();
    expect(spelled(accepted)).toEqual(spelled([...enumStrings, ...enumStrings.map(Number)]));
    expect(enumStrings).toEqual(['0', '1', '-2']); // the LILT contract's enum, read through the model
  });

  test('the near-misses the issue names are generated and rejected', () => {
    const rejected = sample(built.arbitraries.field('isProcessing'), 4000).filter((c) => c.expectation === 'reject').map((c) => c.value);
    for (const miss of ['2', '00', ' 0', 'ExportError', 'Ok', 1.5, true, null, []]) {
      expect(rejected).toContainEqual(miss);
    }
    expect(rejected.some((v) => typeof v === 'object' && v !== null && !Array.isArray(v))).toBe(true);
  });
});

describe('name (any string)', () => {
  test('covers astral characters, quotes and backslashes, control characters, the empty string and 10 kB', () => {
    const values = sample(built.arbitraries.field('name'), 4000).filter((c) => c.expectation === 'accept').map((c) => c.value as string);
    expect(values.some((v) => /[\u{10000}-\u{10ffff}]/u.test(v))).toBe(true);
    expect(values.some((v) => v.includes('"') && v.includes('\\'))).toBe(true);
    expect(values.some((v) => /[\u0000-\u001f]/.test(v))).toBe(true);
    expect(values).toContain('');
    expect(Math.max(...values.map((v) => v.length))).toBeGreaterThan(5000);
    expect(Math.max(...values.map((v) => v.length))).toBeLessThanOrEqual(2 * 10_240);
  });

  test('covers what "stored exactly" rules out: trimming, normalization (NFC, NFD, NFKC), bidi and zero-width stripping, line-break rewriting', () => {
    const values = sample(built.arbitraries.field('name'), 4000).filter((c) => c.expectation === 'accept').map((c) => c.value as string);
    const some = (label: string, test: (v: string) => boolean) => [label, values.some(test)] as const;
    expect([
      some('leading whitespace', (v) => v.length > 0 && v.trimStart() !== v && v.trim() !== ''),
      some('trailing whitespace', (v) => v.length > 0 && v.trimEnd() !== v && v.trim() !== ''),
      some('only whitespace', (v) => v.length > 0 && v.trim() === ''),
      some('changed by NFC', (v) => v.normalize('NFC') !== v),
      some('changed by NFD', (v) => v.normalize('NFD') !== v),
      some('changed by NFKC but not NFC', (v) => v.normalize('NFKC') !== v.normalize('NFC')),
      some('bidi controls', (v) => /[\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]/.test(v)),
      some('zero-width characters', (v) => /[\u200b-\u200d\u2060\ufeff]/.test(v)),
      some('CRLF', (v) => v.includes('\r\n')),
      some('a lone CR', (v) => /\r(?!\n)/.test(v)),
      some('U+2028 or U+2029', (v) => /[\u2028\u2029]/.test(v)),
      some('NEL', (v) => v.includes('\u0085')),
    ]).toEqual([
      ['leading whitespace', true],
      ['trailing whitespace', true],
      ['only whitespace', true],
      ['changed by NFC', true],
      ['changed by NFD', true],
      ['changed by NFKC but not NFC', true],
      ['bidi controls', true],
      ['zero-width characters', true],
      ['CRLF', true],
      ['a lone CR', true],
      ['U+2028 or U+2029', true],
      ['NEL', true],
    ]);
  });

  test('shrinking: a property failing on names longer than 5 characters shrinks to a 6-character name', () => {
    for (const seed of [1, 2, 3, 42, SEED]) {
      const result = fc.check(
        fc.property(built.arbitraries.field('name'), (c) => typeof c.value !== 'string' || c.value.length <= 5),
        { seed },
      );
      expect(result.failed).toBe(true);
      const [counterexample] = result.counterexample!;
      expect({ seed, length: (counterexample.value as string).length }).toEqual({ seed, length: 6 });
    }
  });
});

describe('determinism', () => {
  test('the same seed gives the same samples, also from a second build', async () => {
    const again = (await build()).arbitraries;
    const pick = (arbitraries: typeof again, key: string): fc.Arbitrary<unknown> =>
      key === 'body' || key === 'validBody' || key === 'auth' || key === 'readOnlyField' ? arbitraries[key] : arbitraries.field(key);
    for (const key of ['name', 'due', 'isProcessing', 'processingErrorMsg', 'body', 'validBody', 'auth', 'readOnlyField']) {
      const first = fc.sample(pick(built.arbitraries, key), { seed: 7, numRuns: 100 });
      expect(fc.sample(pick(built.arbitraries, key), { seed: 7, numRuns: 100 })).toStrictEqual(first);
      expect(fc.sample(pick(again, key), { seed: 7, numRuns: 100 })).toStrictEqual(first);
    }
    const ids = { existing: 241, missing: 999999 };
    expect(fc.sample(built.arbitraries.jobId(ids), { seed: 7, numRuns: 100 })).toStrictEqual(
      fc.sample(again.jobId(ids), { seed: 7, numRuns: 100 }),
    );
  });

  test('a different seed gives different samples', () => {
    expect(fc.sample(built.arbitraries.body, { seed: 1, numRuns: 50 })).not.toStrictEqual(
      fc.sample(built.arbitraries.body, { seed: 2, numRuns: 50 }),
    );
  });
});
