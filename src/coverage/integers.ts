/**
 * The integers dataset: integers written as text, where a lenient parser reads a number BEHAVIOUR.md does not. For
 * the path id (the operation's one integer path parameter) and for every string enum of integers the Job stores
 * (`isProcessing`): the digits of every Unicode script (`\p{Nd}`, full-width among them), signs, leading zeros,
 * whitespace, decimal points, exponents, hex, and values at and past 2^31, 2^32, 2^53, 2^63 and 2^64, the ones an
 * int32, int64 or double wraps or rounds back onto a valid value first.
 *
 * The path id is spelled from the run's job id, so a server that misreads a spelling lands on the run's own job (a
 * 200 where a 4xx is due); those requests carry the body `{}`, so even then nothing changes. Each enum value is
 * spelled from the enum's own values, one script per value in turn.
 */
import type { BodyField, OperationModel, UpdatableField } from '../contract/model';
import { expectedJobValue } from '../contract/model';
import type { Expectation, IdCase } from '../arbitraries/types';
import { digitZeros, hex, inDigits, unicodeVersion } from './digits';
import { SOURCES } from './sources';
import type { CoverageFieldValue, CoverageIdValue, Dataset, Stored } from './types';

export interface IntegerIds {
  /** The run's job: an id that names an existing job. */
  readonly existing: number;
  /** An id that names no job. */
  readonly missing: number;
}

const enc = encodeURIComponent;
const ASCII_ZERO = 0x30;

/** The enum fields whose values are all integers, that the Job stores (isProcessing). */
function integerEnumFields(model: OperationModel): UpdatableField[] {
  return model.updatableFields.filter((field) => field.kind.type === 'enum' && field.kind.numeric);
}

function idValues(model: OperationModel, ids: IntegerIds): CoverageIdValue[] {
  const { min, max } = model.idParameter.range;
  const existing = BigInt(ids.existing);
  const text = String(existing);
  const out: CoverageIdValue[] = [];
  const add = (cls: string, name: string, segment: string, expectation: IdCase['expectation'], label: string, source: string) =>
    out.push({ kind: 'id', id: `integers/${cls}/${name}`, dataset: 'integers', class: cls, segment, expectation, label, source });

  for (const zero of digitZeros()) {
    if (zero === ASCII_ZERO) continue;
    const spelled = inDigits(text, zero);
    add('id-scripts', `u${hex(zero)}`, enc(spelled), 'invalid', `the job id in the digits U+${hex(zero)}..U+${hex(zero + 9)} (${spelled})`, SOURCES.idInvalid);
  }

  const arabic = 0x0660;
  const mixed = text.length > 1 ? `${text[0]}${inDigits(text.slice(1), arabic)}` : `${inDigits(text, arabic)}${text}`;
  const spellings: ReadonlyArray<readonly [string, string, IdCase['expectation'], string, string]> = [
    ['mixed-scripts', enc(mixed), 'invalid', `ASCII and Arabic-Indic digits mixed (${mixed})`, SOURCES.idInvalid],
    ['plus', `+${text}`, 'open', 'a leading + (raw)', SOURCES.idOpen],
    ['plus-encoded', `%2B${text}`, 'open', 'a leading + (percent-encoded)', SOURCES.idOpen],
    ['leading-zero', `0${text}`, 'open', 'a leading zero', SOURCES.idOpen],
    ['leading-zeros', `000${text}`, 'open', 'three leading zeros', SOURCES.idOpen],
    ['percent-digits', [...text].map((d) => `%3${d}`).join(''), 'open', 'every digit percent-encoded', SOURCES.idPercentDigits],
    ['minus', `-${text}`, 'invalid', 'negated', SOURCES.idInvalid],
    ['zero', '0', 'invalid', 'zero', SOURCES.idInvalid],
    ['minus-zero', '-0', 'invalid', 'minus zero', SOURCES.idInvalid],
    ['plus-zero', '%2B0', 'invalid', 'plus zero', SOURCES.idInvalid],
    ['zeros', '00', 'invalid', 'two zeros', SOURCES.idInvalid],
    ['unicode-minus', enc(`\u2212${text}`), 'invalid', 'U+2212 MINUS SIGN before it', SOURCES.idInvalid],
    ['full-width-plus', enc(`\uff0b${text}`), 'invalid', 'FULLWIDTH PLUS SIGN before it', SOURCES.idInvalid],
    ['leading-space', enc(` ${text}`), 'invalid', 'a leading space', SOURCES.idInvalid],
    ['trailing-space', enc(`${text} `), 'invalid', 'a trailing space', SOURCES.idInvalid],
    ['leading-tab', enc(`\t${text}`), 'invalid', 'a leading tab', SOURCES.idInvalid],
    ['trailing-newline', enc(`${text}\n`), 'invalid', 'a trailing line feed', SOURCES.idInvalid],
    ['no-break-space', enc(`\u00a0${text}`), 'invalid', 'a leading no-break space', SOURCES.idInvalid],
    ['zero-width-space', enc(`${text}\u200b`), 'invalid', 'a trailing zero-width space', SOURCES.idInvalid],
    ['decimal', `${text}.0`, 'invalid', 'a decimal point and zero', SOURCES.idInvalid],
    ['exponent', `${text}e0`, 'invalid', 'an exponent', SOURCES.idInvalid],
    ['scientific', `${Number(text) / 10 ** (text.length - 1)}e${text.length - 1}`, 'invalid', 'scientific notation', SOURCES.idInvalid],
    ['hex', `0x${existing.toString(16)}`, 'invalid', 'hexadecimal', SOURCES.idInvalid],
  ];
  for (const [name, segment, expectation, label, source] of spellings) add('id-spellings', name, segment, expectation, `the job id: ${label}`, source);

  const bounds: ReadonlyArray<readonly [string, bigint, string]> = [
    ['2^31-1', 2n ** 31n - 1n, 'the largest int32'],
    ['2^31', 2n ** 31n, 'past int32'],
    ['2^32+1', 2n ** 32n + 1n, 'past uint32 (a uint32 wraps it to 1)'],
    ['2^32+id', 2n ** 32n + existing, 'the job id plus 2^32 (an int32 or uint32 wraps it to the job id)'],
    ['2^53', 2n ** 53n, 'the first integer past the doubles\' exact range'],
    ['2^53+1', 2n ** 53n + 1n, 'a double rounds it to 2^53'],
    ['2^63-1', 2n ** 63n - 1n, 'the largest int64'],
    ['2^63', 2n ** 63n, 'past int64'],
    ['2^64+id', 2n ** 64n + existing, 'the job id plus 2^64 (a 64-bit integer wraps it to the job id)'],
    ['10^30', 10n ** 30n, 'far past any integer type'],
  ];
  for (const [name, n, label] of bounds) {
    const valid = n >= min && n <= max;
    add(
      'id-bounds',
      name,
      String(n),
      valid ? (n === existing ? 'existing' : 'missing') : 'invalid',
      `${n}: ${label}`,
      valid ? SOURCES.idMissing : n > max ? SOURCES.idTooLarge : SOURCES.idInvalid,
    );
  }
  return out;
}

function enumValues(model: OperationModel, field: UpdatableField): CoverageFieldValue[] {
  if (field.kind.type !== 'enum') return [];
  const values = field.kind.values;
  const out: CoverageFieldValue[] = [];
  const cls = (suffix: string) => `${field.name}-${suffix}`;
  const add = (c: string, name: string, value: unknown, expectation: Expectation, label: string, source: string, valueText?: string) => {
    const stored: Stored | undefined =
      expectation === 'accept' || (expectation === 'open' && typeof value === 'number')
        ? { as: 'integer', value: Number(expectedJobValue(model, field.name, typeof value === 'number' ? String(value) : value)) }
        : undefined;
    out.push({
      kind: 'field',
      id: `integers/${c}/${name}`,
      dataset: 'integers',
      class: c,
      field: field.name,
      value,
      ...(valueText === undefined ? {} : { valueText }),
      expectation,
      ...(stored ? { stored } : {}),
      label,
      source,
    });
  };

  for (const v of values) {
    add(cls('values'), `string-${v}`, v, 'accept', `the enum value ${JSON.stringify(v)}`, SOURCES.enumAccepted);
    add(cls('values'), `number-${v}`, Number(v), 'accept', `the enum value as the JSON number ${v}`, SOURCES.enumAccepted);
  }

  // One script per enum value, in turn: every script once, every value about as often.
  digitZeros()
    .filter((zero) => zero !== ASCII_ZERO)
    .forEach((zero, i) => {
      const v = values[i % values.length]!;
      const spelled = inDigits(v, zero);
      add(cls('scripts'), `u${hex(zero)}`, spelled, 'reject', `${JSON.stringify(v)} in the digits U+${hex(zero)}..U+${hex(zero + 9)} (${spelled})`, SOURCES.enumRefused);
    });

  for (const v of values) {
    const negative = v.startsWith('-');
    const digits = negative ? v.slice(1) : v;
    const spellings: [string, string, string][] = [
      ...(negative ? [] : ([['plus', `+${v}`, 'a leading +']] as [string, string, string][])),
      ['leading-zero', negative ? `-0${digits}` : `0${v}`, 'a leading zero'],
      ['padded', ` ${v} `, 'spaces around it'],
      ['decimal', `${v}.0`, 'a decimal point and zero'],
      ['exponent', `${v}e0`, 'an exponent'],
      ['hex', `${negative ? '-' : ''}0x${Number(digits).toString(16)}`, 'hexadecimal'],
    ];
    for (const [name, text, label] of spellings) {
      if (values.includes(text)) continue;
      add(cls('spellings'), `${name}-${v}`, text, 'reject', `${JSON.stringify(v)} with ${label}: ${JSON.stringify(text)}`, SOURCES.enumRefused);
    }
    add(cls('spellings'), `number-decimal-${v}`, Number(v), 'open', `the JSON number ${v} written ${v}.0`, SOURCES.enumNumberSpelling, `${v}.0`);
  }
  add(cls('spellings'), 'number-fraction', 1.5, 'reject', 'the JSON number 1.5 (a lenient integer parser truncates it to 1)', SOURCES.enumRefused);

  const bounds: [string, bigint, string][] = [
    ...values.map((v): [string, bigint, string] => [`${v}+2^32`, BigInt(v) + 2n ** 32n, `${v} plus 2^32: an int32 wraps it to ${v}`]),
    ...values.map((v): [string, bigint, string] => [`${v}+2^64`, BigInt(v) + 2n ** 64n, `${v} plus 2^64: a 64-bit integer wraps it to ${v}`]),
    ['2^31', 2n ** 31n, 'past int32'],
    ['2^53+1', 2n ** 53n + 1n, 'a double rounds it to 2^53'],
    ['2^63', 2n ** 63n, 'past int64'],
    ['10^30', 10n ** 30n, 'far past any integer type'],
  ];
  for (const [name, n, label] of bounds) {
    const text = String(n);
    add(cls('bounds'), `string-${name}`, text, 'reject', `the string "${text}": ${label}`, SOURCES.enumRefused);
    const exact = Number.isSafeInteger(Number(text));
    add(cls('bounds'), `number-${name}`, Number(text), 'reject', `the JSON number ${text}: ${label}`, SOURCES.enumRefused, exact ? undefined : text);
  }
  return out;
}

/**
 * Body fields the run has no kind for (an integer, a number, a boolean) or whose schema contradicts itself: another
 * document's `dueDate` (an integer that says it is a date). Each gets a few values valid by its schema as written,
 * judged by `body.unread-field`: accepted or refused, and if accepted nothing else changes (what it sets is not judged;
 * one that says it is a date may also set the Job's date-time properties, as a server reading it as a date would).
 */
function unreadFieldValues(model: OperationModel): CoverageFieldValue[] {
  return unreadFields(model).sent.flatMap((field) =>
    schemaValidSamples(field.kind.type).map(([name, value, label]) => ({
      kind: 'field' as const,
      id: `integers/unread-fields/${field.name}/${name}`,
      dataset: 'integers' as const,
      class: 'unread-fields',
      field: field.name,
      value,
      expectation: 'open' as const,
      rule: 'body.unread-field' as const,
      ...(saysDate(field) ? { mayAlsoSet: datesItMaySet(model, field) } : {}),
      label: `${field.name} (${field.kindText}${field.contradiction ? ', contradicting itself' : ''}): ${label}`,
      source: SOURCES.unreadField,
    })),
  );
}

/**
 * The body fields the run has no kind for, or that contradict themselves: the ones it sends, and the ones it does not
 * send because an accepted value could change a Job property the document gives no way to write back (a field that
 * says it is a date beside a `due` the request cannot set): the run must leave the job as it found it.
 */
export function unreadFields(model: OperationModel): {
  readonly sent: readonly BodyField[];
  readonly withheld: ReadonlyArray<{ readonly field: BodyField; readonly reason: string }>;
} {
  const unread = model.bodyFields.filter(
    (field) => field.fieldKind === undefined || field.contradiction?.treatment.kind === 'schema-valid-unjudged',
  );
  const writable = new Set(model.updatableFields.map((field) => field.name));
  const unwritable = (field: BodyField) => datesItMaySet(model, field).filter((name) => !writable.has(name));
  return {
    sent: unread.filter((field) => unwritable(field).length === 0),
    withheld: unread
      .filter((field) => unwritable(field).length > 0)
      .map((field) => ({
        field,
        reason: `it says it is a date and may set ${unwritable(field).join(', ')}, which the request cannot put back`,
      })),
  };
}

/**
 * The Job's date-time properties a field that says it is a date may set: the ones whose name its own begins with or
 * that begin with its name (`dueDate` and `due`), else every one of them. None for any other field.
 */
function datesItMaySet(model: OperationModel, field: BodyField): readonly string[] {
  if (!saysDate(field)) return [];
  const own = field.name.toLowerCase();
  const named = model.dateTimeFields.filter((name) => own.startsWith(name.toLowerCase()) || name.toLowerCase().startsWith(own));
  return named.length > 0 ? named : model.dateTimeFields;
}

/** A field its document says is a date (by its format, description or example) that is not a date-time string. */
function saysDate(field: BodyField): boolean {
  return field.contradiction !== undefined && field.contradiction.contradictions.some((c) => c.by !== 'enum');
}

/** Values valid for a schema type: the plain ones, and for integers an epoch a date-minded server may read. */
function schemaValidSamples(type: string): ReadonlyArray<readonly [string, unknown, string]> {
  switch (type) {
    case 'integer':
      return [['zero', 0, '0'], ['one', 1, '1'], ['epoch-seconds', 1_767_225_600, 'a count of seconds (2026-01-01)'], ['epoch-ms', 1_767_225_600_000, 'a count of milliseconds']];
    case 'number':
      return [['zero', 0, '0'], ['fraction', 1.5, '1.5']];
    case 'boolean':
      return [['true', true, 'true'], ['false', false, 'false']];
    case 'string':
      return [['date-time', '2026-01-01T00:00:00Z', 'a date-time string'], ['text', 'lilt-conformance', 'plain text']];
    default:
      return [];
  }
}

export function integersDataset(model: OperationModel, ids: IntegerIds): Dataset<CoverageFieldValue | CoverageIdValue> {
  const fields = integerEnumFields(model);
  const values = [...idValues(model, ids), ...fields.flatMap((field) => enumValues(model, field)), ...unreadFieldValues(model)];
  const classes = [
    { name: 'id-scripts', title: 'the path id in the digits of every other script' },
    { name: 'id-spellings', title: 'the path id with signs, zeros, whitespace, decimal points, exponents, hex' },
    { name: 'id-bounds', title: 'path ids at 2^31, 2^32, 2^53, 2^63, 2^64 and past them' },
    ...fields.flatMap((field) => [
      { name: `${field.name}-values`, title: `${field.name}: each enum value, as a string and as a JSON number` },
      { name: `${field.name}-scripts`, title: `${field.name}: an enum value in the digits of every other script` },
      { name: `${field.name}-spellings`, title: `${field.name}: enum values with signs, zeros, spaces, decimal points, exponents, hex` },
      { name: `${field.name}-bounds`, title: `${field.name}: integers that wrap onto an enum value, and past 2^31, 2^53, 2^63` },
    ]),
    { name: 'unread-fields', title: 'body fields of no known kind, or contradicting themselves: values valid by their schema' },
  ];
  return {
    name: 'integers',
    title: 'Integers and ids as text: the path id and the integer enums',
    origin: 'built by rule; the digits of every Unicode script, scanned from \\p{Nd} in Node\'s regular expressions',
    provenance: `digit sets scanned from \\p{Nd} in Node's regular expressions (Unicode ${unicodeVersion()}: ${digitZeros().length} sets of ten)`,
    classes: classes.filter((c) => values.some((v) => v.class === c.name)),
    values,
  };
}
