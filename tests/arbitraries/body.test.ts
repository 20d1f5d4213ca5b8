/**
 * Body arbitraries: each body's expectation agrees with the text itself (parsed by JSON.parse, checked by the
 * contract's request validator), expectedChanges is what the text sets, and the body shapes the issue names appear.
 */
import fc from 'fast-check';
import type { BodyCase } from '../../src/arbitraries';
import { build, numbersAsStrings, SEED, type Built } from './setup';

let built: Built;
beforeAll(async () => {
  built = await build();
});

type Parsed = { ok: true; value: unknown } | { ok: false };
function parse(text: string): Parsed {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function numericEnumFields(): string[] {
  return built.arbitraries.model.requestFields.filter((f) => f.kind.type === 'enum' && f.kind.numeric).map((f) => f.name);
}

/** What the parsed object sets on the Job, computed here independently: integer Job fields get the number. */
function changesOf(object: Record<string, unknown>): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  for (const field of built.arbitraries.model.requestFields) {
    if (!(field.name in object) || !field.jobSchema) continue;
    const value = object[field.name];
    changes[field.name] = field.jobSchema.type === 'integer' ? Number(value) : value;
  }
  return changes;
}

function checkAccepted(c: BodyCase): string | undefined {
  if (c.text === undefined) return Object.keys(c.expectedChanges).length === 0 ? undefined : 'no body, but changes expected';
  const parsed = parse(c.text);
  if (!parsed.ok || !isObject(parsed.value)) return 'accepted, but not a JSON object';
  const verdict = built.requestValidator.validate(numbersAsStrings(parsed.value, numericEnumFields()));
  if (!verdict.valid) return `accepted, but the contract validator refuses it: ${JSON.stringify(verdict.violations)}`;
  if (JSON.stringify(changesOf(parsed.value)) !== JSON.stringify(sortKeysLike(c.expectedChanges, changesOf(parsed.value)))) {
    return `expectedChanges ${JSON.stringify(c.expectedChanges)} differ from what the body sets ${JSON.stringify(changesOf(parsed.value))}`;
  }
  if (c.unjudgedFields.length > 0) return 'accepted, with unjudged fields';
  return undefined;
}

/** expectedChanges with its keys in the order of `like` (compared as JSON text). */
function sortKeysLike(changes: object, like: object): object {
  const source = changes as Record<string, unknown>;
  const ordered: Record<string, unknown> = {};
  for (const key of Object.keys(like)) if (key in source) ordered[key] = source[key];
  for (const key of Object.keys(source)) if (!(key in ordered)) ordered[key] = source[key];
  return ordered;
}

function checkRejected(c: BodyCase): string | undefined {
  if (c.text === undefined) return 'no body, yet rejected';
  if (Object.keys(c.expectedChanges).length > 0) return 'rejected, with changes expected';
  const parsed = parse(c.text);
  if (!parsed.ok || !isObject(parsed.value)) return undefined; // malformed or not an object: BEHAVIOUR.md says 400
  const verdict = built.requestValidator.validate(numbersAsStrings(parsed.value, numericEnumFields()));
  return verdict.valid ? 'rejected, but the contract validator accepts it' : undefined;
}

describe('body', () => {
  const N = 3000;

  test("every body's expectation agrees with its text and the contract validator", () => {
    const problems: string[] = [];
    for (const c of fc.sample(built.arbitraries.body, { seed: SEED, numRuns: N })) {
      const problem = c.expectation === 'accept' ? checkAccepted(c) : c.expectation === 'reject' ? checkRejected(c) : undefined;
      if (problem) problems.push(`${problem}: ${c.labels.join(' | ')}: ${JSON.stringify(c.text)?.slice(0, 200)}`);
    }
    expect(problems).toEqual([]);
  });

  test('open bodies are open for a reason BEHAVIOUR.md leaves open, and name their unjudged fields', () => {
    const reasons = /duplicate key|byte order mark|zero-length body|nesting|spelled |lone surrogate|open: /;
    for (const c of fc.sample(built.arbitraries.body, { seed: SEED, numRuns: N })) {
      if (c.expectation !== 'open') continue;
      expect(c.labels.join(' | ')).toMatch(reasons);
      for (const field of c.unjudgedFields) expect(c.expectedChanges[field]).toBeUndefined();
    }
  });

  test('mixes every shape: accepted, rejected and open; malformed, non-object, empty, absent, extras, respellings', () => {
    const cases = fc.sample(built.arbitraries.body, { seed: SEED, numRuns: N });
    const count = (p: (c: BodyCase) => boolean) => cases.filter(p).length;
    const labelled = (fragment: string) => count((c) => c.labels.some((l) => l.includes(fragment)));
    const shares = { accept: 0, reject: 0, open: 0 };
    for (const c of cases) shares[c.expectation] += 1;
    expect(shares.accept).toBeGreaterThan(N * 0.2);
    expect(shares.reject).toBeGreaterThan(N * 0.2);
    expect(shares.open).toBeGreaterThan(N * 0.03);
    for (const fragment of [
      'malformed:', 'not an object:', 'no body', 'empty object', 'zero-length body', 'extra: read-only Job field',
      'extra: unknown key', 'duplicate key', 'byte order mark', 'spelled ', 'keys as \\u escapes', 'indented',
      'non-ASCII as \\u escapes', 'truncated',
    ]) {
      expect({ fragment, found: labelled(fragment) > 0 }).toEqual({ fragment, found: true });
    }
    expect(count((c) => c.text !== undefined && parse(c.text).ok === false)).toBeGreaterThan(0);
  });

  test('an object body has at most one field that is not accepted (a failure points at one field)', () => {
    for (const c of fc.sample(built.arbitraries.body, { seed: SEED, numRuns: N })) {
      const doubtful = c.labels.filter((l) => /^\w+: (wrong type|invalid|enum near-miss|not in the enum|open|lone surrogate)/.test(l));
      expect(doubtful.length).toBeLessThanOrEqual(1);
    }
  });

  test('read-only and unknown keys are never request body properties', () => {
    const requestFields = new Set(built.arbitraries.model.requestFields.map((f) => f.name));
    const readOnly = Object.keys(built.arbitraries.model.readOnlyFields);
    const seen = new Set<string>();
    for (const e of fc.sample(built.arbitraries.readOnlyField, { seed: SEED, numRuns: 2000 })) {
      expect(requestFields.has(e.key)).toBe(false);
      seen.add(e.key);
    }
    for (const key of readOnly) expect(seen).toContain(key);
    expect(readOnly).toEqual(expect.arrayContaining(['id', 'status', 'stats', 'creationStatus', 'deliveredAt', 'domains']));
    expect(seen).toContain('__proto__');
  });
});

describe('validBody', () => {
  test('only accepted bodies, each passing the contract validator, with the changes it sets', () => {
    const problems: string[] = [];
    for (const c of fc.sample(built.arbitraries.validBody, { seed: SEED, numRuns: 2000 })) {
      if (c.expectation !== 'accept') problems.push(`expectation ${c.expectation}`);
      const problem = checkAccepted(c);
      if (problem) problems.push(`${problem}: ${c.labels.join(' | ')}`);
    }
    expect(problems).toEqual([]);
  });

  test('covers every updatable field with a change, and no body at all', () => {
    const cases = fc.sample(built.arbitraries.validBody, { seed: SEED, numRuns: 2000 });
    for (const field of ['name', 'due', 'isProcessing']) {
      expect(cases.some((c) => c.expectedChanges[field] !== undefined)).toBe(true);
    }
    expect(cases.some((c) => typeof c.expectedChanges.isProcessing === 'number')).toBe(true);
    expect(cases.some((c) => c.text === undefined)).toBe(true);
  });
});

describe('shrinking bodies', () => {
  test('a failure on one field shrinks to a body holding only that field, without extras', () => {
    for (const seed of [1, 2, 3]) {
      const result = fc.check(
        fc.property(built.arbitraries.validBody, (c) => !/\.\d{4}/.test(String(c.expectedChanges.due ?? ''))),
        { seed },
      );
      expect(result.failed).toBe(true);
      const [body] = result.counterexample!;
      const parsed = JSON.parse(body.text!) as Record<string, unknown>;
      expect(Object.keys(parsed)).toEqual(['due']);
      expect(parsed.due).toMatch(/\.\d{4}[Zz+-]/); // exactly four fraction digits: the smallest failing fraction
      expect(String(parsed.due)).not.toMatch(/\.\d{5}/);
    }
  });
});
