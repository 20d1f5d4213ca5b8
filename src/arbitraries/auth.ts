/**
 * Credentials for a request, from the contract's security schemes: HTTP Basic (key as username and password) and the
 * apiKey query parameter authorize; none, a wrong key by either route, and malformed Authorization headers do not.
 * The generator never sees the real key: the malformed headers and wrong keys are made up (see AuthCase.wrongKey).
 */
import fc from 'fast-check';
import type { SecurityFacts } from '../contract/operation';
import type { AuthCase } from './types';

export type AuthConstraints = SecurityFacts;

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

/** A made-up key: empty, short, long, or with characters that need encoding in a URL or break a split on ':'. */
const wrongKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', 'wrong', 'null', 'undefined', 'a:b', ' ', '%00', 'key with spaces'),
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 8, maxLength: 64 }),
  fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 40 }),
);

/** Authorization header values that are not valid Basic credentials (printable ASCII: a header must be bytes). */
const malformedHeader: fc.Arbitrary<readonly [string, string]> = fc.oneof(
  fc.constantFrom<readonly [string, string]>(
    ['scheme only', 'Basic'],
    ['scheme and a space', 'Basic '],
    ['not base64', 'Basic !!!not-base64!!!'],
    ['base64 without a colon', `Basic ${b64('nocolon')}`],
    ['base64 of a lone colon', `Basic ${b64(':')}`],
    ['empty username and password', `Basic ${b64(':')}`],
    ['no space after the scheme', `Basic${b64('a:b')}`],
    ['Bearer scheme', 'Bearer abc.def.ghi'],
    ['Digest scheme', 'Digest username="a", realm="b", nonce="c", uri="/", response="d"'],
    ['whitespace only', '   '],
    ['unknown scheme', 'Token abc'],
    ['two credentials', `Basic ${b64('a:b')}, Basic ${b64('c:d')}`],
    ['8 kB of base64', `Basic ${'QUFB'.repeat(2048)}`],
  ),
  fc
    .tuple(fc.string({ unit: 'grapheme-ascii', maxLength: 12 }), fc.string({ unit: 'grapheme-ascii', maxLength: 12 }))
    .map(([user, password]) => ['made-up Basic credentials', `Basic ${b64(`${user}:${password}`)}`] as const),
  fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 40 }).map((s) => ['random printable text', s] as const),
);

export function authCase(constraints: AuthConstraints): fc.Arbitrary<AuthCase> {
  const query = constraints.apiKeyQueryParameter;
  const options: fc.Arbitrary<AuthCase>[] = [
    fc.constant<AuthCase>({ kind: 'none', expectation: 'unauthorized', label: 'no credentials' }),
    malformedHeader.map(([label, header]): AuthCase => ({
      kind: 'malformed-header',
      header,
      expectation: 'unauthorized',
      label: `malformed Authorization header: ${label}`,
    })),
  ];
  if (constraints.basic) {
    options.push(
      fc.constant<AuthCase>({ kind: 'basic', expectation: 'authorized', label: 'HTTP Basic, key as username and password' }),
      wrongKey.map((k): AuthCase => ({ kind: 'wrong-basic', wrongKey: k, expectation: 'unauthorized', label: 'HTTP Basic with a wrong key' })),
    );
  }
  if (query !== undefined) {
    options.push(
      fc.constant<AuthCase>({ kind: 'query', queryParameter: query, expectation: 'authorized', label: `query parameter ${query}` }),
      wrongKey.map((k): AuthCase => ({
        kind: 'wrong-query',
        wrongKey: k,
        queryParameter: query,
        expectation: 'unauthorized',
        label: `query parameter ${query} with a wrong key`,
      })),
    );
  }
  return fc.oneof(...options);
}
