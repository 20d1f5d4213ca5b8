/**
 * docs/contract.md, for the person who updates the provider's OpenAPI document or reads why the run judges as it does:
 * where the contract lives, how it is loaded and validated, and the spec lint, with its rules (src/lint/rules/) and
 * the defects of the document acknowledged in the baseline (contracts/lint-baseline.json), read from the code.
 */
import type { BaselineEntry } from '../lint/baseline';
import type { LintRule } from '../lint/types';
import { cell, generatedNotice, table } from './markdown';

const code = (text: string) => `\`${text}\``;

export function renderContractPage(rules: readonly LintRule[], baseline: readonly BaselineEntry[]): string {
  const lines: string[] = [
    ...generatedNotice('the lint rules (src/lint/rules/) and contracts/lint-baseline.json', 'src/docs/contract-page.ts'),
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
    '## Loading and validators',
    '',
    'The document is validated against the OpenAPI 3.0 schema and dereferenced once per process',
    '(`@apidevtools/swagger-parser`). A missing or unparsable file, or one that is not OpenAPI 3.0, is one line naming',
    'the file and the problem, exit 2. Every request body and documented response (the Job, the Error, the 401 text) is',
    'compiled by ajv once. OpenAPI 3.0\'s dialect is handled on purpose: `nullable` is ajv\'s own keyword; `example`,',
    '`xml` and `externalDocs` are annotations, so ajv\'s strict mode stays on; `readOnly` properties are not required in',
    'requests, nor `writeOnly` ones in responses. `date-time` is RFC 3339 section 5.6, strictly: the forms ajv-formats',
    'lets through (`2022-05-05 10:56:44Z`, `+09`, `+0900`) are not RFC 3339. A failure reads as pointer, rule, expected',
    'and actual: `/due: format: expected format date-time (RFC 3339 section 5.6), got "2022-02-30T10:00:00Z"`.',
    '',
    '## The spec lint',
    '',
    '`npx lilt-conformance lint-spec [--contract FILE] [--baseline FILE] [--no-baseline]` (`npm run lint:spec` in a',
    'clone), one rule a file in `src/lint/rules/`:',
    '',
    ...table(['rule', 'severity', 'what it asks of the document'], rules.map((rule) => [code(rule.id), rule.severity, cell(rule.description)])),
    '',
    'Acknowledged findings are printed and do not fail; a new finding (a newer document, or an entry removed from the',
    'baseline) exits 1; a baseline entry that no longer matches is reported as stale.',
    '',
    `### Acknowledged in \`contracts/lint-baseline.json\` (${baseline.length})`,
    '',
    ...table(['rule', 'where', 'why'], baseline.map((entry) => [code(entry.rule), code(entry.pointer), cell(entry.reason)])),
  ];
  return `${lines.join('\n')}\n`;
}
