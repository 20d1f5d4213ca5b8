/**
 * Whole request bodies, as the exact text to send, with the verdict BEHAVIOUR.md gives them:
 * - an object of body fields (each a FieldCase) plus read-only / unknown keys, in one of several spellings that mean
 *   the same JSON (indented, escaped keys, ASCII-only): accept if every field accepts, reject if any rejects;
 * - no body, `{}`: accept, nothing changes;
 * - malformed JSON, JSON that is not an object: reject;
 * - what BEHAVIOUR.md does not settle, open: a zero-length body sent as JSON (absent, or malformed?), a leading BOM
 *   (RFC 8259 8.1: a parser MAY ignore it), duplicate keys (RFC 8259 4: behaviour unpredictable), `1.0` or `1e0` for
 *   an enum integer, nesting deep enough to trip a parser's depth limit.
 */
import fc from 'fast-check';
import { expectedJobValue, type OperationModel, type RequestField } from '../contract/model';
import { objectText, PLAIN, type Member, type Spelling } from './jsonText';
import type { RuleId } from '../contract/rules';
import type { BodyCase, ExpectedChanges, Expectation, ExtraField, FieldCase } from './types';

export interface BodyFieldArbitrary {
  readonly field: RequestField;
  /** Values for the field, any expectation (used by `body`). */
  readonly any: fc.Arbitrary<FieldCase<unknown>>;
  /** Only accepted values (used by `validBody`, and for duplicate keys). */
  readonly accepted: fc.Arbitrary<FieldCase<unknown>>;
}

export interface BodyConstraints {
  /** The operation the fields belong to: how an accepted value shows in the Job. */
  readonly model: OperationModel;
  readonly fields: readonly BodyFieldArbitrary[];
  readonly extra: fc.Arbitrary<ExtraField>;
  /**
   * Most read-only / unknown keys in one object body.
   * @defaultValue 2
   */
  readonly maxExtras?: number;
  /**
   * How deep the nesting case goes (an unknown key holding nested arrays).
   * @defaultValue 5000
   */
  readonly maxNesting?: number;
}

interface FieldPart {
  readonly field: RequestField;
  readonly fieldCase: FieldCase<unknown>;
  /** Another spelling of the value's JSON (`1.0` for 1): the field becomes open. */
  readonly valueText?: string;
}

function worst(expectations: readonly Expectation[]): Expectation {
  if (expectations.includes('reject')) return 'reject';
  if (expectations.includes('open')) return 'open';
  return 'accept';
}

/** Spellings of an integer that JSON.parse reads as the same number but that are not its plain form. */
function numberSpellings(n: number): string[] {
  return [`${n}.0`, `${n}e0`, `${n}.000`, `${n}E+0`, ...(n === 0 ? ['-0', '0e5'] : [])];
}

function finish(model: OperationModel, parts: readonly FieldPart[], extras: readonly ExtraField[], extrasFirst: boolean, spelling: Spelling, labels: string[]): BodyCase {
  const fieldMembers: Member[] = parts.map((p) => ({ key: p.field.name, value: p.fieldCase.value, ...(p.valueText ? { valueText: p.valueText } : {}) }));
  const extraMembers: Member[] = extras.map((e) => ({ key: e.key, value: e.value }));
  const members = extrasFirst ? [...extraMembers, ...fieldMembers] : [...fieldMembers, ...extraMembers];
  const partExpectation = (p: FieldPart): Expectation =>
    p.valueText !== undefined && p.fieldCase.expectation === 'accept' ? 'open' : p.fieldCase.expectation;
  const expectation = worst(parts.map(partExpectation));
  // The open rule of the first open part: its own (a field's open value), or the spelling's.
  const openPart = parts.find((p) => partExpectation(p) === 'open');
  const rule: RuleId | undefined = openPart === undefined ? undefined : openPart.fieldCase.expectation === 'open' ? openPart.fieldCase.rule : 'body.number-spelling';
  const changes: Record<string, string | number> = {};
  const unjudged: string[] = [];
  if (expectation !== 'reject') {
    for (const p of parts) {
      if (p.field.jobSchema === undefined) continue; // not shown in the Job (processingErrorMsg): nothing to check
      const value = p.fieldCase.value;
      if (partExpectation(p) === 'accept' && (typeof value === 'string' || typeof value === 'number')) {
        changes[p.field.name] = expectedJobValue(model, p.field.name, value);
      } else {
        unjudged.push(p.field.name);
      }
    }
  }
  const spelled = [
    spelling.pretty ? 'indented' : undefined,
    spelling.escapeKeys ? 'keys as \\u escapes' : undefined,
    spelling.asciiOnly ? 'non-ASCII as \\u escapes' : undefined,
  ].filter((s): s is string => s !== undefined);
  return {
    text: objectText(members, spelling),
    expectation,
    expectedChanges: changes as ExpectedChanges,
    unjudgedFields: unjudged,
    ...(expectation === 'open' && rule !== undefined ? { rule } : {}),
    labels: [
      ...parts.map((p) => `${p.field.name}: ${p.fieldCase.label}${p.valueText ? ` spelled ${p.valueText}` : ''}`),
      ...extras.map((e) => `extra: ${e.label}`),
      ...spelled,
      ...labels,
    ],
  };
}

const spellingArb: fc.Arbitrary<Spelling> = fc.oneof(
  { arbitrary: fc.constant(PLAIN), weight: 3 },
  { arbitrary: fc.record({ pretty: fc.boolean(), escapeKeys: fc.boolean(), asciiOnly: fc.boolean() }), weight: 1 },
);

/**
 * An object body: each field present or not with an accepted value, then (when `perturb`) at most one field given a
 * value of any expectation. One doubtful field per body keeps a failure's cause obvious, and lets shrinking reach it.
 */
function objectBody(constraints: BodyConstraints, perturb: boolean): fc.Arbitrary<BodyCase> {
  const maxExtras = constraints.maxExtras ?? 2;
  const numeric = (f: BodyFieldArbitrary) => f.field.kind.type === 'enum' && f.field.kind.numeric;
  const part = (f: BodyFieldArbitrary, values: fc.Arbitrary<FieldCase<unknown>>, respelled: boolean) =>
    fc
      .tuple(values, respelled && numeric(f) ? fc.option(fc.nat({ max: 5 }), { freq: 4 }) : fc.constant(null))
      .map(([fieldCase, r]): FieldPart => {
        const v = fieldCase.value;
        if (r === null || typeof v !== 'number' || !Number.isInteger(v)) return { field: f.field, fieldCase };
        const spellings = numberSpellings(v);
        return { field: f.field, fieldCase, valueText: spellings[r % spellings.length]! };
      });
  const accepted = constraints.fields.map((f) => fc.option(part(f, f.accepted, false), { nil: undefined, freq: 2 }));
  const doubtful = perturb
    ? fc.option(fc.oneof(...constraints.fields.map((f) => part(f, f.any, true))), { nil: undefined, freq: 4 })
    : fc.constant(undefined);
  return fc
    .record({
      parts: fc.tuple(...accepted),
      doubtful,
      extras: fc.uniqueArray(constraints.extra, { maxLength: maxExtras, selector: (e) => e.key }),
      extrasFirst: fc.boolean(),
      spelling: spellingArb,
    })
    .map(({ parts, doubtful: odd, extras, extrasFirst, spelling }) => {
      const present = parts.filter((p): p is FieldPart => p !== undefined && p.field.name !== odd?.field.name);
      return finish(constraints.model, odd ? [...present, odd] : present, extras, extrasFirst, spelling, []);
    });
}

/** The same key twice, both values accepted: RFC 8259 leaves it to the parser, so open, and that field unjudged. */
function duplicateKeyBody(constraints: BodyConstraints): fc.Arbitrary<BodyCase> {
  const options = constraints.fields.map((f) =>
    fc.tuple(f.accepted, f.accepted).map(([first, second]) => {
      const body = finish(constraints.model, [{ field: f.field, fieldCase: first }], [], false, PLAIN, []);
      const text = objectText([
        { key: f.field.name, value: first.value },
        { key: f.field.name, value: second.value },
      ]);
      return {
        ...body,
        text,
        expectation: 'open' as const,
        rule: 'envelope.duplicate-keys' as const,
        expectedChanges: {},
        unjudgedFields: f.field.jobSchema ? [f.field.name] : [],
        labels: [`${f.field.name}: ${first.label}`, `${f.field.name} again: ${second.label}`, 'duplicate key'],
      };
    }),
  );
  return fc.oneof(...options);
}

const bodyOf = (text: string | undefined, expectation: Expectation, label: string, rule?: RuleId): BodyCase => ({
  text,
  expectation,
  expectedChanges: {},
  unjudgedFields: [],
  labels: [label],
  ...(rule === undefined ? {} : { rule }),
});

const constantBodies = (expectation: Expectation, entries: ReadonlyArray<readonly [string, string | undefined]>, rule?: RuleId) =>
  fc.constantFrom(...entries).map(([label, text]) => bodyOf(text, expectation, label, rule));

/** No body, and the empty object however it is spaced: 200, nothing changes. */
const EMPTY_ACCEPTED: ReadonlyArray<readonly [string, string | undefined]> = [
  ['no body', undefined],
  ['empty object', '{}'],
  ['empty object with a space', '{ }'],
  ['empty object with surrounding whitespace', ' \t{\r\n}\n '],
];

const MALFORMED: ReadonlyArray<readonly [string, string]> = [
  ['malformed: only whitespace', '  \n'],
  ['malformed: open brace', '{'],
  ['malformed: close brace', '}'],
  ['malformed: missing value', '{"name":}'],
  ['malformed: single quotes', "{'name':'x'}"],
  ['malformed: unquoted key', '{name:"x"}'],
  ['malformed: trailing comma', '{"name":"x",}'],
  ['malformed: two documents', '{"name":"x"} {"name":"y"}'],
  ['malformed: trailing garbage', '{"name":"x"}x'],
  ['malformed: comment', '{"name":"x" // why\n}'],
  ['malformed: NaN', '{"isProcessing":NaN}'],
  ['malformed: Infinity', '{"isProcessing":Infinity}'],
  ['malformed: undefined', '{"name":undefined}'],
  ['malformed: invalid escape', '{"name":"\\x41"}'],
  ['malformed: raw control character in a string', '{"name":"tab\there"}'],
  ['malformed: unterminated string', '{"name":"abc'],
  ['malformed: leading zero', '{"isProcessing":01}'],
  ['malformed: bare decimal point', '{"isProcessing":.5}'],
  ['malformed: NUL', '\u0000'],
  ['malformed: the word undefined', 'undefined'],
  ['malformed: form-encoded', 'name=x&due=y'],
  ['malformed: XML', '<job><name>x</name></job>'],
];

const NON_OBJECT: ReadonlyArray<readonly [string, string]> = [
  ['not an object: empty array', '[]'],
  ['not an object: array holding an object', '[{"name":"x"}]'],
  ['not an object: null', 'null'],
  ['not an object: true', 'true'],
  ['not an object: 0', '0'],
  ['not an object: a string holding an object', '"{}"'],
  ['not an object: a string', '"name"'],
];

/** A valid object's text cut short: never JSON (the object only closes at its last character). */
function truncated(constraints: BodyConstraints): fc.Arbitrary<BodyCase> {
  return fc
    .tuple(objectBody(constraints, false), fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }))
    .map(([b, cut]) => {
      const text = b.text ?? '{}';
      const end = 1 + Math.floor(cut * (text.length - 1));
      return bodyOf(text.slice(0, end), 'reject', `malformed: truncated after ${end} of ${text.length} characters`);
    });
}

/** A JSON value that is not an object. */
const nonObjectJson = fc
  .jsonValue({ maxDepth: 2 })
  .filter((v) => v === null || typeof v !== 'object' || Array.isArray(v))
  .map((v) => bodyOf(JSON.stringify(v), 'reject', `not an object: ${v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v}`));

function deepNesting(max: number): fc.Arbitrary<BodyCase> {
  return fc
    .integer({ min: 100, max })
    .map((depth) => bodyOf(`{"nested":${'['.repeat(depth)}${']'.repeat(depth)}}`, 'open', `nesting ${depth} deep under an unknown key`, 'envelope.reader-limits'));
}

/** Bodies of every kind: mostly objects, then the shapes around them. */
export function bodyCase(constraints: BodyConstraints): fc.Arbitrary<BodyCase> {
  return fc.oneof(
    { arbitrary: objectBody(constraints, true), weight: 14 },
    { arbitrary: constantBodies('accept', EMPTY_ACCEPTED), weight: 1 },
    { arbitrary: constantBodies('open', [['zero-length body sent as JSON', '']], 'envelope.empty-body'), weight: 1 },
    {
      arbitrary: objectBody(constraints, false).map((b) => ({
        ...b,
        text: `\ufeff${b.text ?? ''}`,
        // Open whether the BOM is allowed; a target that allows it must then apply the object as usual.
        expectation: 'open' as const,
        rule: 'envelope.bom' as const,
        labels: [...b.labels, 'leading byte order mark'],
      })),
      weight: 1,
    },
    { arbitrary: duplicateKeyBody(constraints), weight: 1 },
    { arbitrary: deepNesting(constraints.maxNesting ?? 5000), weight: 1 },
    { arbitrary: constantBodies('reject', MALFORMED), weight: 2 },
    { arbitrary: truncated(constraints), weight: 1 },
    { arbitrary: constantBodies('reject', NON_OBJECT), weight: 1 },
    { arbitrary: nonObjectJson, weight: 1 },
  );
}

/** Only bodies that must be accepted: objects of accepted values (any spelling that means the same), `{}`, none. */
export function validBodyCase(constraints: BodyConstraints): fc.Arbitrary<BodyCase> {
  return fc.oneof(
    { arbitrary: objectBody(constraints, false), weight: 10 },
    { arbitrary: constantBodies('accept', EMPTY_ACCEPTED), weight: 1 },
  );
}
