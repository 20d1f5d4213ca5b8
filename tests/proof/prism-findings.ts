/**
 * The checks a conformance run fails on Stoplight Prism (`prism mock` on the contract), each with why the finding is
 * true of a stateless mock that answers from the document's examples. prism.test.ts holds a run on Prism to this list;
 * docs/proof.md shows it (tools/docs/proof-page.ts).
 */
/** What the run reports on Prism, each for a reason that is true of a stateless, schema-only mock. */
export const TRUE_ON_PRISM: Readonly<Record<string, string>> = {
  'semantics.fields-round-trip': 'no state: every 200 is the Job example, whatever was sent',
  'ids.missing-404': 'no state: the missing job 999999 gets the Job example (200)',
  'ids.invalid-rejected-4xx': 'the path schema is a bare integer: 0, -1, 2^63 (and 1e3, 0x1F, " ", Infinity) get 200',
  'semantics.update-accepted': 'Prism validates requests against the string enum: isProcessing as a JSON number gets 422',
  'negative.invalid-rejected-4xx': 'JSON null as the body, and a +24:00 offset, are accepted (200)',
  'schema.body-matches-schema': 'malformed JSON gets Prism\'s own 400 body {"error": {"code": "invalid_json", ...}}, not the Error body {"message": string}',
  'auth.refused-401': 'Prism checks that credentials are present, not their value: a wrong key gets 200; and it judges the body before the credentials (400 for bad JSON without credentials)',
  'schema.content-type-documented': 'an Accept no JSON answer meets gets 406 with its own application/problem+json body, not the Error body',
  'auth.valid-key-accepted': 'Prism matches the Basic scheme case-sensitively (RFC 9110 11.1: it is not): `basic <credentials>` gets 401',
  'schema.no-server-error': 'an unknown field nested thousands deep gets 500 {"error": {"code": "internal_server_error"}}: its request validator recurses',
};
