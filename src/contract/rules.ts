/**
 * Where every rule comes from. Each normative statement of contracts/BEHAVIOUR.md has an id here (the statement is
 * tagged with it there), and each names its sources: a path in the OpenAPI document, a passage of the team's reading
 * (contracts/team-BEHAVIOUR.md, a byte-for-byte copy of the team's BEHAVIOUR.md) or a section of an RFC. A check
 * declares the rules it enforces, an expectation the rule it applies; a finding shows their sources. A rule that no
 * such source states is a preference, not the contract: it is an ADVICE entry, and what it finds is an advisory,
 * which never fails a run (unless --fail-on-advisory).
 *
 * tests/contract/rules.test.ts holds every source to what it cites: a document path must resolve in the bundled
 * document, a passage must be found in the team's page, an RFC section must be one of RFC_SECTIONS.
 */

export type Source =
  /** A JSON pointer into the OpenAPI document (`/paths/~1v2~1jobs~1{jobId}/put/responses/401`). */
  | { readonly kind: 'document'; readonly pointer: string }
  /** A passage of the team's BEHAVIOUR.md, quoted (whitespace aside) under its section. */
  | { readonly kind: 'team'; readonly section: string; readonly quote: string }
  /** A section of an RFC (one of RFC_SECTIONS). */
  | { readonly kind: 'rfc'; readonly rfc: number; readonly section: string };

/** The RFC sections rules may cite, with their titles (what a reader looks up). */
export const RFC_SECTIONS: Readonly<Record<string, string>> = {
  'RFC 3339 5.6': 'Internet Date/Time Format',
  'RFC 3986 6.2.2.2': 'Percent-Encoding Normalization',
  'RFC 3339 5.7': 'Restrictions',
  'RFC 7617 2': "The 'Basic' Authentication Scheme",
  'RFC 8259 4': 'Objects',
  'RFC 8259 6': 'Numbers',
  'RFC 8259 7': 'Strings',
  'RFC 8259 8.1': 'Character Encoding',
  'RFC 8259 8.2': 'Unicode Characters',
  'RFC 8259 9': 'Parsers',
  'RFC 8259 11': 'IANA Considerations (no charset parameter)',
  'RFC 9110 8.3': 'Content-Type',
  'RFC 9110 8.3.1': 'Media Type',
  'RFC 9110 8.4': 'Content-Encoding',
  'RFC 9110 10.1.1': 'Expect',
  'RFC 9110 11.1': 'Authentication Scheme',
  'RFC 9110 12.5.1': 'Accept',
  'RFC 9110 12.5.3': 'Accept-Encoding',
  'RFC 9110 15.5.7': '406 Not Acceptable',
  'RFC 9110 15': 'Status Codes',
  'RFC 9110 15.5.16': '415 Unsupported Media Type',
  'RFC 9112 6.3': 'Message Body Length',
  'RFC 9112 7.1': 'Chunked Transfer Coding',
  'RFC 6585 4': '429 Too Many Requests',
};

const OPERATION = '/paths/~1v2~1jobs~1{jobId}/put';
const doc = (pointer: string): Source => ({ kind: 'document', pointer });
const team = (section: string, quote: string): Source => ({ kind: 'team', section, quote });
const rfc = (ref: `RFC ${number} ${string}`): Source => {
  const [, number = '0', section = ''] = /^RFC (\d+) (.+)$/.exec(ref) ?? [];
  return { kind: 'rfc', rfc: Number(number), section };
};

/** A normative statement: what must hold, or (`open`) the choice a provider may make either way. */
export interface Rule {
  readonly statement: string;
  /** `open`: either side is conformant (the expectation observes; only what holds on both sides is judged). */
  readonly open?: true;
  readonly sources: readonly [Source, ...Source[]];
}

function rules<const T extends Record<string, Rule>>(table: T): T {
  return table;
}

const RULE_TABLE = rules({
  // Auth
  'auth.valid-key': {
    statement: 'HTTP Basic with the API key as both username and password, or the key query parameter, is accepted; either one suffices.',
    sources: [
      doc('/components/securitySchemes'),
      doc('/security'),
      team('Auth', 'Valid: HTTP Basic with the API key as both username and password, or the query parameter `key=<API key>`.'),
    ],
  },
  'auth.refused-401': {
    statement: 'Missing or wrong credentials, or a malformed Authorization header, get 401 with a text body (text/plain or application/octet-stream), checked before anything else.',
    sources: [
      doc('/components/responses/UnauthorizedError'),
      team('Auth', 'Missing or wrong credentials, or a malformed Authorization header: 401 with a text body'),
      team('Auth', 'Auth (checked before anything else)'),
    ],
  },
  'auth.near-miss': {
    statement: 'A near miss of the key is a wrong key: the right user with a wrong or empty password and the reverse, a character added or removed, the case changed, spaces around it.',
    sources: [team('Auth', 'Missing or wrong credentials'), rfc('RFC 7617 2')],
  },
  'auth.scheme-case': {
    statement: 'The Basic scheme name is case-insensitive.',
    sources: [rfc('RFC 9110 11.1'), rfc('RFC 7617 2')],
  },
  'auth.key-twice': {
    statement: 'The key query parameter given twice, both times the key: accepted, or 401.',
    open: true,
    sources: [doc('/components/securitySchemes/ApiKeyAuth'), team('Open choices', 'the `key` query parameter given twice')],
  },
  'auth.key-and-wrong-copy': {
    statement: 'The key query parameter given twice, with the key and with another value (either order): accepted (one copy read), or 401.',
    open: true,
    sources: [team('Open choices', 'the `key` query parameter given twice, with the key and with another value (either order) | accepted (one copy read) | 401')],
  },
  'auth.valid-beside-wrong': {
    statement: 'A request with a valid credential and a wrong one (Basic and the key query parameter, either way round): accepted (the valid one suffices), or 401.',
    open: true,
    sources: [doc('/security'), team('Auth', 'Missing or wrong credentials')],
  },
  'auth.methods-agree': {
    statement: 'Basic auth and the key query parameter are the same credential: the same request gets the same answer either way.',
    sources: [team('Auth', 'Valid: HTTP Basic with the API key as both username and password, or the query parameter `key=<API key>`.'), doc('/security')],
  },
  // The path id
  'id.existing': {
    statement: 'A positive decimal integer naming an existing job: the update proceeds.',
    sources: [doc(`${OPERATION}/parameters/0`), team('The path id', 'A positive decimal integer naming an existing job: the update proceeds.')],
  },
  'id.missing-job-404': {
    statement: 'An integer naming no job gets 404 with the Error body.',
    sources: [team('The path id', 'An integer naming no job: 404 with the Error body.')],
  },
  'id.invalid-4xx': {
    statement: 'A path id that is not a positive integer gets a 4xx (400 or 404) with the Error body.',
    sources: [doc(`${OPERATION}/parameters/0/schema`), team('The path id', 'Not a positive integer ("abc", "1.5", "-1", "0", "1e3", 2^63 and larger, empty): a 4xx (400 or 404) with the Error body.')],
  },
  'id.percent-encoded': {
    statement: 'A path id whose digits are percent-encoded (%32%34%31): read as that id, or a 4xx with the Error body.',
    open: true,
    sources: [rfc('RFC 3986 6.2.2.2'), team('The path id', 'Spellings that may be read either way')],
  },
  'id.open-spellings': {
    statement: 'A path id with leading zeros or a leading "+": 200 for that job, or a 4xx with the Error body.',
    open: true,
    sources: [team('The path id', 'Spellings that may be read either way (leading zeros "0241", a leading "+"): 200 for job 241 or a 4xx; neither is a fault.')],
  },
  // The body
  'body.no-op': {
    statement: 'An absent body, `{}`, or one with only read-only or unknown fields: 200 with the job unchanged.',
    sources: [doc(`${OPERATION}/requestBody/required`), team('The body', 'Absent, or `{}`: 200 with the job unchanged.')],
  },
  'body.malformed-400': {
    statement: 'Malformed JSON, or JSON that is not an object, gets 400 (or 422) with the Error body and changes nothing.',
    sources: [team('The body', 'Malformed JSON, or JSON that is not an object: 400 with the Error body.')],
  },
  'body.invalid-value-4xx': {
    statement: 'A field of the wrong type or outside its schema gets a 4xx with the Error body (400, or 422 for an invalid value in a well-formed object) and changes nothing.',
    sources: [
      doc(`${OPERATION}/requestBody/content/application~1json/schema`),
      team('The body', 'Any other type: 400.'),
      team('Open choices', 'the status for invalid field values | 400 | 422'),
    ],
  },
  'body.name-exact': {
    statement: 'A string field (name) takes any JSON string, stored exactly as sent.',
    sources: [doc(`${OPERATION}/requestBody/content/application~1json/schema/properties/name`), team('The body', '`name`: any JSON string (empty, long, any Unicode) is stored exactly as sent.')],
  },
  'body.due-instant': {
    statement: 'A date-time field (due) takes an RFC 3339 date-time and stores it as that instant; the response may write the same instant in another RFC 3339 form.',
    sources: [
      doc(`${OPERATION}/requestBody/content/application~1json/schema/properties/due`),
      team('The body', 'an RFC 3339 (section 5.6) date-time is stored as that instant'),
      team('The body', 'The response may write the same instant in another form'),
      rfc('RFC 3339 5.6'),
    ],
  },
  'body.due-open-forms': {
    statement: 'A date-time with a space for T, a +hh or +hhmm offset, or second 60: accepted (written back in RFC 3339) or refused.',
    open: true,
    sources: [team('The body', 'and leap seconds (`:60`), may be accepted or refused: neither is a fault.')],
  },
  'body.due-invalid': {
    statement: 'Anything else in a date-time field (no zone, an impossible date, another type) is refused.',
    sources: [team('The body', 'Anything else: 400.'), rfc('RFC 3339 5.6'), rfc('RFC 3339 5.7')],
  },
  'body.isProcessing': {
    statement: 'isProcessing takes the strings "0", "1", "-2" and the numbers 0, 1, -2, and the Job shows the integer; any other value is refused.',
    sources: [
      doc(`${OPERATION}/requestBody/content/application~1json/schema/properties/isProcessing`),
      team('The body', "Both the strings and the JSON numbers 0, 1, -2 are accepted, and set the job's integer `isProcessing` to 0, 1, -2."),
      team('The body', 'Any other value (including the document\'s own example "ExportError"): 400.'),
    ],
  },
  'body.number-spelling': {
    statement: 'A number field written in another JSON spelling of the same number (1.0, 1e0, -0): accepted as that number, or refused.',
    open: true,
    sources: [rfc('RFC 8259 6'), team('The body', 'Both the strings and the JSON numbers 0, 1, -2 are accepted')],
  },
  'body.processingErrorMsg': {
    statement: 'processingErrorMsg takes any string (the Job has no such field); any other type is refused.',
    sources: [team('The body', '`processingErrorMsg`: any string is accepted (the Job response has no such field). Any other type: 400.')],
  },
  'body.unread-field': {
    statement:
      'A body field of no kind the run reads (an integer, a number, a boolean), or whose schema contradicts itself: a value valid by its schema as written is accepted or refused; if accepted, nothing changes but what it may set (itself; the Job\'s date-time properties, for a field that says it is a date).',
    open: true,
    sources: [doc(`${OPERATION}/requestBody`), team('The body', 'A field not sent keeps its value (partial update).')],
  },
  'body.unknown-ignored': {
    statement: 'Unknown properties are ignored, whatever JSON they hold.',
    sources: [team('The body', 'Unknown properties are ignored.'), rfc('RFC 8259 7')],
  },
  'body.read-only-ignored': {
    statement: 'Read-only Job fields sent in the body (id, status, stats, ...) never change the job.',
    sources: [team('The body', 'Read-only Job fields sent in the body (id, status, stats, ...) never change the job.')],
  },
  'body.partial': {
    statement: 'A field not sent keeps its value (partial update): an accepted update changes nothing it does not set, read-only properties included.',
    sources: [
      team('The body', 'A field not sent keeps its value (partial update).'),
      team('Responses', 'What a request sets, and the absence of any other change the request itself makes, is the request\'s to judge.'),
    ],
  },
  'body.size': {
    statement: 'A body of up to 1 MiB is judged by the rules above; a larger one may be refused with 413 and the Error body.',
    sources: [team('Size', 'A body of up to 1 MiB is judged by the rules above; a larger one may be refused with 413 and the Error body.')],
  },
  // The request envelope
  'envelope.media-type': {
    statement: 'application/json in any letter case, with charset=utf-8 in any spelling, is judged as JSON.',
    sources: [rfc('RFC 9110 8.3.1'), rfc('RFC 8259 11'), team('Open choices', 'media types in any letter case')],
  },
  'envelope.chunked': {
    statement: 'A body sent chunked (no Content-Length): the same answer as with a Content-Length, or 411.',
    open: true,
    sources: [rfc('RFC 9112 7.1'), rfc('RFC 9112 6.3')],
  },
  'envelope.expect-continue': {
    statement: 'Expect: 100-continue gets the interim 100 and the answer, or the answer at once; never a 417.',
    sources: [rfc('RFC 9110 10.1.1')],
  },
  'envelope.no-content-type': {
    statement: 'A JSON body with no Content-Type, as text/plain, or with another media type parameter: judged as JSON, or 415 with the Error body.',
    open: true,
    sources: [team('Open choices', 'a JSON body sent without a Content-Type, or as `text/plain` | judged as JSON | 415 with the Error body'), rfc('RFC 9110 15.5.16'), rfc('RFC 8259 11')],
  },
  'envelope.empty-body': {
    statement: 'An empty body (zero bytes) with a JSON Content-Type: the job unchanged, or 400.',
    open: true,
    sources: [team('Open choices', 'an empty body (zero bytes) with a JSON Content-Type | the job unchanged, as with no body | 400')],
  },
  'envelope.bom': {
    statement: 'A body starting with a byte-order mark: accepted, or 400.',
    open: true,
    sources: [team('Open choices', 'a body starting with a byte-order mark | accepted | 400'), rfc('RFC 8259 8.1')],
  },
  'envelope.duplicate-keys': {
    statement: 'Duplicate keys in the JSON body: one of the values wins, or 400.',
    open: true,
    sources: [team('Open choices', 'duplicate keys in the JSON body | the last (or first) one wins | 400'), rfc('RFC 8259 4')],
  },
  'envelope.reader-limits': {
    statement: 'Unknown fields holding deep nesting, huge numbers or long strings, and lone surrogates: ignored, or a 4xx with the Error body.',
    open: true,
    sources: [team('Open choices', 'unknown fields holding deep nesting or huge values | ignored | a 4xx with the Error body (never a 5xx)'), rfc('RFC 8259 9'), rfc('RFC 8259 8.2')],
  },
  // Responses
  'request.accept': {
    statement: 'An Accept header that a JSON answer meets (absent, */*, application/*, application/json with parameters or q-values): the same answer as without it.',
    sources: [rfc('RFC 9110 12.5.1'), doc(`${OPERATION}/responses/200`)],
  },
  'request.accept-unmatched': {
    statement: 'An Accept header that no JSON answer meets (only text/html, application/json;q=0): the answer anyway, or 406 with the Error body.',
    open: true,
    sources: [rfc('RFC 9110 12.5.1'), rfc('RFC 9110 15.5.7')],
  },
  'status.documented': {
    statement: 'The status is one the operation documents (200, 401, or an error under default); 201, 204 and 3xx are not.',
    sources: [doc(`${OPERATION}/responses`), team('Responses', 'Undocumented success codes (201, 204) are not conformant.')],
  },
  'response.no-5xx': {
    statement: 'No request, however malformed, gets a 5xx.',
    sources: [team('Responses', 'No request, however malformed, gets a 5xx.')],
  },
  'response.every-request-answered': {
    statement: 'Every request gets an answer (a status line, headers and a body), not a closed or reset connection.',
    sources: [team('Responses', 'No request, however malformed, gets a 5xx.'), rfc('RFC 9110 15')],
  },
  'response.media-type': {
    statement: 'The Content-Type is one documented for the status (a charset parameter is fine; media types in any letter case); a response without content needs none.',
    sources: [doc(`${OPERATION}/responses`), team('Responses', '200: `application/json` (a charset parameter is fine)'), rfc('RFC 9110 8.3')],
  },
  'response.schema': {
    statement: 'The body is valid against the schema documented for its status and media type: the Job, the Error with its message, the 401 text; date-times strict RFC 3339.',
    sources: [
      doc('/components/schemas/Job'),
      doc('/components/schemas/Error'),
      team('Responses', 'Every other 4xx, and every error under `default`: `application/json` with `{"message": string}`.'),
      team('The body', 'A `due` (or any date-time) in a response must be strict RFC 3339'),
    ],
  },
  'response.content-coding': {
    statement: 'A response may be content-coded (gzip, deflate, br) when the request sent no Accept-Encoding; it is judged decoded. A coding the client cannot decode is a fault.',
    sources: [rfc('RFC 9110 12.5.3'), rfc('RFC 9110 8.4'), team('Open choices', 'a response may be content-coded')],
  },
  'response.job-id': {
    statement: 'A 200 carries the Job of the path id.',
    sources: [team('Responses', '`id` equal to the path id')],
  },
  'update.round-trip': {
    statement: 'A valid update gets 200 with the Job showing name, due and isProcessing as just set.',
    sources: [doc(`${OPERATION}/responses/200`), team('Responses', 'and name / due / isProcessing equal to what was just set.')],
  },
  'update.same-twice': {
    statement: 'The same PUT twice gives the same Job.',
    sources: [team('Responses', 'The same PUT twice gives the same Job.')],
  },
  'update.refusal-unchanged': {
    statement: 'A refused request changes nothing.',
    sources: [team('Responses', 'What a request sets, and the absence of any other change the request itself makes, is the request\'s to judge.')],
  },
  'update.other-jobs-unchanged': {
    statement: 'An update of one job changes no other job.',
    sources: [team('Responses', 'What a request sets, and the absence of any other change the request itself makes, is the request\'s to judge.')],
  },
  'job.live-properties': {
    statement: 'Server-maintained properties may move on their own on a live job: a property seen to move while the run sent the job nothing but reads is not judged.',
    sources: [team('Responses', 'Server-maintained properties (such as `stats`) may change at any moment on a live job, without any request')],
  },
  'quota.429': {
    statement: 'Past the quota, 429; the client waits (Retry-After when given, else 60 s) before sending more.',
    sources: [doc('/info/description'), team('Responses', 'Quota: 4000 requests a minute.'), rfc('RFC 6585 4')],
  },
});

export type RuleId = keyof typeof RULE_TABLE;
export const RULES: Readonly<Record<RuleId, Rule>> = RULE_TABLE;

/**
 * A preference: good practice the contract does not require. Each refines an open rule (the side we would pick), and
 * what it finds is an advisory, reported apart with its reason, never failing the run (unless --fail-on-advisory).
 */
export interface Advice {
  /** What we would prefer a provider to do. */
  readonly statement: string;
  /** Why, and why it is only a preference. */
  readonly reason: string;
  /** The open rule it takes a side of. */
  readonly rule: RuleId;
}

function advices<const T extends Record<string, Advice>>(table: T): T {
  return table;
}

const ADVICE_TABLE = advices({
  'advice.refuse-wrong-key-copy': {
    statement: 'A query holding the key and a wrong key (`?key=<key>&key=<wrong>`, either order) is refused with 401.',
    reason:
      'A server that reads one copy lets in a request that also carries a wrong key, so a client (or a proxy that adds a parameter) cannot tell which one counted. The contract allows either: the team reading lists it among the open choices.',
    rule: 'auth.key-and-wrong-copy',
  },
  'advice.accept-chunked': {
    statement: 'A body sent chunked is read like one with a Content-Length.',
    reason:
      'Streaming clients send chunked bodies, and every HTTP/1.1 recipient must parse chunked (RFC 9112 7.1); but a server may refuse a body without a Content-Length with 411 (RFC 9112 6.3), so refusing is allowed.',
    rule: 'envelope.chunked',
  },
});

export type AdviceId = keyof typeof ADVICE_TABLE;
export const ADVICE: Readonly<Record<AdviceId, Advice>> = ADVICE_TABLE;

/** A source in one line: `OpenAPI #/components/...`, `team BEHAVIOUR.md (Auth): "..."`, `RFC 9110 12.5.3 (Accept-Encoding)`. */
export function describeSource(source: Source): string {
  switch (source.kind) {
    case 'document':
      return `OpenAPI #${source.pointer}`;
    case 'team': {
      // The passage's opening words: enough to find it (contracts/BEHAVIOUR.md's table has it whole).
      const quote = source.quote.length > 64 ? `${source.quote.slice(0, 60).replace(/\s+\S*$/, '')}...` : source.quote;
      return `BEHAVIOUR.md (${source.section}): "${quote}"`;
    }
    case 'rfc': {
      const ref = `RFC ${source.rfc} ${source.section}`;
      const title = RFC_SECTIONS[ref];
      return title === undefined ? ref : `${ref} (${title})`;
    }
  }
}

/** The distinct sources of some rules, in one line each, in order. */
export function sourcesOf(ids: readonly RuleId[]): string[] {
  return [...new Set(ids.flatMap((id) => RULES[id].sources.map(describeSource)))];
}
