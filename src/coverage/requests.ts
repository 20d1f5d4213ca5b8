/**
 * The request combinations dataset: what real clients send around a valid body. Credentials alone, together (both
 * valid, one valid and one wrong either way round), none, and Basic as clients spell it (the scheme in any case, more
 * than one space, whitespace around the value); `Accept` absent, `*` `/` `*`, `application/json`, with q-values, and
 * ones no JSON answer meets; a request that just succeeded, sent again at once with no or a wrong key; and each
 * stored field twice in one body, valid and invalid in either order, and two valid values.
 *
 * Every update here sets the first free string field the Job stores (`name`) to a value naming the case, so an
 * accepted one is seen to take effect and a refused one to change nothing.
 */
import { objectText, type Member } from '../arbitraries/jsonText';
import type { ExpectedChanges } from '../arbitraries/types';
import { expectedJobValue, type OperationModel, type UpdatableField } from '../contract/model';
import type { KeyForm } from '../http/request';
import { BASIC, describeCredentials } from './credentials';
import { SOURCES } from './sources';
import type { BasicSpelling, CombinationValue, CoverageCredentials, CoverageRequest, Dataset, Stored } from './types';

const CLASSES: ReadonlyArray<{ readonly name: string; readonly title: string }> = [
  { name: 'credentials', title: 'credentials alone, together, wrong, none' },
  { name: 'basic-spellings', title: 'HTTP Basic as clients spell it: the scheme\'s case, spaces' },
  { name: 'accept', title: 'Accept absent, */*, application/json, q-values, and ones JSON does not meet' },
  { name: 'replay', title: 'a request that just succeeded, sent again at once with no or a wrong key' },
  { name: 'duplicate-keys', title: 'a stored field twice in one body: valid and invalid either way round, two valid values' },
];

const basic = (user: KeyForm, password: KeyForm = user, spelling: Partial<Omit<BasicSpelling, 'user' | 'password'>> = {}): BasicSpelling => ({
  ...BASIC,
  ...spelling,
  user,
  password,
});

/** The free string field the updates set (name), if the Job has one. */
function markerField(model: OperationModel): UpdatableField | undefined {
  return model.updatableFields.find((field) => field.kind.type === 'string');
}

/** A valid value of `field` that is not `other`, and a value its schema refuses. */
function sampleValues(field: UpdatableField): { readonly a: unknown; readonly b: unknown; readonly invalid: unknown } {
  switch (field.kind.type) {
    case 'string':
      return { a: 'lilt-conformance duplicate A', b: 'lilt-conformance duplicate B', invalid: 42 };
    case 'date-time':
      return { a: '2030-06-15T12:00:00Z', b: '2031-01-01T00:00:00Z', invalid: 'soon' };
    case 'enum': {
      const values = field.kind.values;
      const invalid = ['7', 'x', 'invalid'].find((v) => !values.includes(v)) ?? 'invalid';
      return { a: values[0], b: values[1] ?? values[0], invalid };
    }
  }
}

function storedOf(model: OperationModel, field: UpdatableField, value: unknown): Stored {
  switch (field.kind.type) {
    case 'date-time':
      return { as: 'instant', value: String(value) };
    case 'enum':
      return { as: 'integer', value: Number(expectedJobValue(model, field.name, value)) };
    case 'string':
      return { as: 'exactly', value: String(value) };
  }
}

/** What every case of the dataset is built from: the contract's security schemes and the field the updates set. */
interface Setting {
  readonly model: OperationModel;
  readonly marker: UpdatableField | undefined;
  readonly hasBasic: boolean;
  readonly hasQuery: boolean;
  /** Valid credentials in the scheme the document offers first: Basic where it has it. */
  readonly valid: CoverageCredentials;
}

function settingOf(model: OperationModel): Setting {
  const hasBasic = model.security.basic;
  return {
    model,
    marker: markerField(model),
    hasBasic,
    hasQuery: model.security.apiKeyQueryParameter !== undefined,
    valid: hasBasic ? { basic: basic('key') } : { query: ['key'] },
  };
}

/** The update a case sends: the marker field set to a value naming the case (`{}` when the Job has no such field). */
function updateFor({ marker }: Setting, id: string): { body: string; changes: ExpectedChanges } {
  if (marker === undefined) return { body: '{}', changes: {} };
  const text = `lilt-conformance ${id}`;
  return { body: JSON.stringify({ [marker.name]: text }), changes: { [marker.name]: text } };
}

/** The fields every value of the dataset has. */
function entry(cls: string, name: string, label: string, source: string) {
  return {
    kind: 'combination' as const,
    id: `requests/${cls}/${name}`,
    dataset: 'requests' as const,
    class: cls,
    label,
    source,
  };
}

type CredentialCase = readonly [cls: string, name: string, credentials: CoverageCredentials, verdict: 'authorized' | 'unauthorized', source: string, needsBoth: boolean];

const CREDENTIAL_CASES: readonly CredentialCase[] = [
  ['credentials', 'basic', { basic: basic('key') }, 'authorized', SOURCES.authValid, false],
  ['credentials', 'query', { query: ['key'] }, 'authorized', SOURCES.authValid, false],
  ['credentials', 'both-valid', { basic: basic('key'), query: ['key'] }, 'authorized', SOURCES.authEither, true],
  ['credentials', 'valid-basic-wrong-query', { basic: basic('key'), query: ['wrong'] }, 'authorized', SOURCES.authEither, true],
  ['credentials', 'wrong-basic-valid-query', { basic: basic('wrong'), query: ['key'] }, 'authorized', SOURCES.authEither, true],
  ['credentials', 'both-wrong', { basic: basic('wrong'), query: ['wrong'] }, 'unauthorized', SOURCES.authRefused, true],
  ['credentials', 'none', {}, 'unauthorized', SOURCES.authRefused, false],
  ['basic-spellings', 'scheme-lower-case', { basic: basic('key', 'key', { scheme: 'basic' }) }, 'authorized', SOURCES.schemeCase, false],
  ['basic-spellings', 'scheme-upper-case', { basic: basic('key', 'key', { scheme: 'BASIC' }) }, 'authorized', SOURCES.schemeCase, false],
  ['basic-spellings', 'scheme-mixed-case', { basic: basic('key', 'key', { scheme: 'bAsIc' }) }, 'authorized', SOURCES.schemeCase, false],
  ['basic-spellings', 'two-spaces', { basic: basic('key', 'key', { gap: '  ' }) }, 'authorized', SOURCES.schemeSpaces, false],
  ['basic-spellings', 'padded', { basic: basic('key', 'key', { padding: ' ' }) }, 'authorized', SOURCES.schemeSpaces, false],
  ['basic-spellings', 'lower-case-wrong-key', { basic: basic('wrong', 'wrong', { scheme: 'basic' }) }, 'unauthorized', SOURCES.authRefused, false],
];

/** Credentials alone, together, wrong and none, and Basic as clients spell it: for the schemes the document has. */
function credentialValues(setting: Setting): CombinationValue[] {
  const { hasBasic, hasQuery } = setting;
  return CREDENTIAL_CASES.flatMap(([cls, name, creds, verdict, source, both]): CombinationValue[] => {
    if (creds.basic !== undefined && !hasBasic) return [];
    if (creds.query !== undefined && !hasQuery) return [];
    if (both && !(hasBasic && hasQuery)) return [];
    const { body, changes } = updateFor(setting, `requests/${cls}/${name}`);
    return [{
      ...entry(cls, name, `${describeCredentials(creds)}: ${verdict === 'authorized' ? 'the update proceeds' : '401, nothing changes'}`, source),
      what: 'credentials',
      request: { credentials: creds, body },
      expectation: verdict,
      changes: verdict === 'authorized' ? changes : {},
    }];
  });
}

const ACCEPTS: ReadonlyArray<readonly [name: string, accept: string | undefined, expectation: 'accept' | 'open', label: string]> = [
  ['absent', undefined, 'accept', 'no Accept header'],
  ['any', '*/*', 'accept', 'curl\'s default'],
  ['json', 'application/json', 'accept', 'the documented type'],
  ['json-upper-case', 'APPLICATION/JSON', 'accept', 'the type in upper case'],
  ['json-charset', 'application/json; charset=utf-8', 'accept', 'with a charset'],
  ['json-q', 'application/json;q=0.9', 'accept', 'with a q-value'],
  ['application-any', 'application/*', 'accept', 'a subtype wildcard'],
  ['axios', 'application/json, text/plain, */*', 'accept', 'axios\'s default'],
  ['browser', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'accept', 'a browser\'s default'],
  ['any-low-q', '*/*;q=0.1', 'accept', 'anything, at a low q-value'],
  ['html-only', 'text/html', 'open', 'only HTML'],
  ['xml-only', 'application/xml', 'open', 'only XML'],
  ['json-refused', 'application/json;q=0', 'open', 'JSON explicitly not acceptable (q=0)'],
];

/** The Accept header, with valid credentials: those a JSON answer meets, and those it does not (406 is open). */
function acceptValues(setting: Setting): CombinationValue[] {
  const { valid } = setting;
  return ACCEPTS.map(([name, accept, expectation, label]): CombinationValue => {
    const { body, changes } = updateFor(setting, `requests/accept/${name}`);
    const request: CoverageRequest = accept === undefined ? { credentials: valid, body } : { credentials: valid, accept, body };
    return {
      ...entry('accept', name, `Accept: ${accept ?? '(none)'}: ${label}; ${expectation === 'accept' ? 'the update proceeds' : 'the update, or 406'}`, expectation === 'accept' ? SOURCES.acceptMatches : SOURCES.acceptUnmatched),
      what: 'accept',
      request,
      expectation,
      changes,
    };
  });
}

const REPLAYS: ReadonlyArray<readonly [name: string, first: CoverageCredentials, again: CoverageCredentials]> = [
  ['basic-then-none', { basic: basic('key') }, {}],
  ['basic-then-wrong-basic', { basic: basic('key') }, { basic: basic('wrong') }],
  ['query-then-none', { query: ['key'] }, {}],
  ['query-then-wrong-query', { query: ['key'] }, { query: ['wrong'] }],
];

/** Replays: the same request at once, with no or a wrong key (401). */
function replayValues(setting: Setting): CombinationValue[] {
  const { hasBasic, hasQuery } = setting;
  return REPLAYS.flatMap(([name, first, again]): CombinationValue[] => {
    if ((first.basic !== undefined || again.basic !== undefined) && !hasBasic) return [];
    if ((first.query !== undefined || again.query !== undefined) && !hasQuery) return [];
    const { body, changes } = updateFor(setting, `requests/replay/${name}`);
    return [{
      ...entry('replay', name, `${describeCredentials(first)}, then at once ${describeCredentials(again)}: 401`, SOURCES.replay),
      what: 'replay',
      before: { credentials: first, body },
      request: { credentials: again, body },
      expectation: 'unauthorized',
      changes,
    }];
  });
}

/** Each stored field twice in one body: valid then invalid, invalid then valid, two valid values. */
function duplicateKeyValues({ model, valid }: Setting): CombinationValue[] {
  return model.updatableFields.flatMap((field) => {
    const { a, b, invalid } = sampleValues(field);
    const cases: Array<readonly [string, unknown, unknown, string]> = [
      ['valid-then-invalid', a, invalid, 'a valid value, then an invalid one'],
      ['invalid-then-valid', invalid, a, 'an invalid value, then a valid one'],
      ['two-valid', a, b, 'two valid values'],
    ];
    return cases.map(([name, first, second, label]): CombinationValue => {
      const members: Member[] = [
        { key: field.name, value: first },
        { key: field.name, value: second },
      ];
      const validSent = [first, second].filter((v) => v !== invalid);
      return {
        ...entry('duplicate-keys', `${field.name}-${name}`, `${field.name} twice: ${label} (${JSON.stringify(first)}, ${JSON.stringify(second)}); if accepted, only a valid one is stored`, SOURCES.duplicateKeys),
        what: 'duplicate-keys',
        field: field.name,
        members,
        request: { credentials: valid, body: objectText(members) },
        expectation: 'open',
        storedOneOf: [...new Set(validSent)].map((v) => storedOf(model, field, v)),
      };
    });
  });
}

export function requestsDataset(model: OperationModel): Dataset<CombinationValue> {
  const setting = settingOf(model);
  const values = [...credentialValues(setting), ...acceptValues(setting), ...replayValues(setting), ...duplicateKeyValues(setting)];
  return {
    name: 'requests',
    title: 'Request combinations: credentials, Accept, replays, duplicate keys',
    origin: 'built by rule from the contract\'s security schemes and request fields; Accept values from curl, axios and browsers',
    provenance: 'built by rule from the contract\'s security schemes and request fields; Accept values from curl, axios and browsers',
    classes: CLASSES.filter((c) => values.some((v) => v.class === c.name)),
    values,
  };
}
