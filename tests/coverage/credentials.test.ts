/**
 * Coverage credentials on the wire: the header and query made from the key at send time, in every spelling; the
 * AuthSpec of those today's transport sends; descriptions without the key.
 */
import { asAuthSpec, describeCredentials, wireCredentials } from '../../src/coverage/credentials';
import type { CoverageCredentials } from '../../src/coverage/types';

const KEYS = { apiKey: 'k3y', wrongKey: 'wrong-key', keyParameter: 'key' };
const b64 = (s: string) => Buffer.from(s).toString('base64');
const basic = (user: 'key' | 'wrong', extra: Partial<NonNullable<CoverageCredentials['basic']>> = {}): CoverageCredentials['basic'] => ({
  scheme: 'Basic',
  gap: ' ',
  user,
  password: user,
  ...extra,
});

test.each<[string, CoverageCredentials, string | undefined, string]>([
  ['none', {}, undefined, ''],
  ['Basic', { basic: basic('key') }, `Basic ${b64('k3y:k3y')}`, ''],
  ['the query', { query: ['key'] }, undefined, 'key=k3y'],
  ['both', { basic: basic('key'), query: ['wrong'] }, `Basic ${b64('k3y:k3y')}`, 'key=wrong-key'],
  ['lower-case scheme', { basic: basic('key', { scheme: 'basic' }) }, `basic ${b64('k3y:k3y')}`, ''],
  ['two spaces', { basic: basic('key', { gap: '  ' }) }, `Basic  ${b64('k3y:k3y')}`, ''],
  ['padded', { basic: basic('wrong', { padding: ' ' }) }, ` Basic ${b64('wrong-key:wrong-key')} `, ''],
  ['the key twice in the query', { query: ['key', 'wrong'] }, undefined, 'key=k3y&key=wrong-key'],
])('%s', (_name, credentials, authorization, query) => {
  expect(wireCredentials(credentials, KEYS)).toEqual({ authorization, query });
});

test('the AuthSpec where today\'s transport sends the same, none where it cannot', () => {
  expect(asAuthSpec({})).toEqual({ kind: 'none' });
  expect(asAuthSpec({ basic: basic('key') })).toEqual({ kind: 'basic' });
  expect(asAuthSpec({ basic: basic('wrong') })).toEqual({ kind: 'derived-basic', user: 'wrong', password: 'wrong' });
  expect(asAuthSpec({ query: ['key'] })).toEqual({ kind: 'query' });
  expect(asAuthSpec({ query: ['wrong', 'key'] })).toEqual({ kind: 'derived-query', values: ['wrong', 'key'] });
  expect(asAuthSpec({ basic: basic('key'), query: ['key'] })).toBeUndefined();
  expect(asAuthSpec({ basic: basic('key', { scheme: 'basic' }) })).toBeUndefined();
});

test('descriptions name the forms, never a key', () => {
  expect(describeCredentials({ basic: basic('key', { scheme: 'BASIC' }), query: ['wrong'] })).toBe(
    'Basic with the key (scheme "BASIC") and the key query parameter with a wrong key',
  );
  expect(describeCredentials({})).toBe('no credentials');
});
