import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadContract } from '../../src/contract/load';
import { DEFAULT_BASELINE_FILE, loadBaseline } from '../../src/lint/baseline';
import { formatLintReport, lintContract } from '../../src/lint/lint';
import { UserError } from '../../src/errors';
import { parseSelector } from '../../src/contract/selector';
import { contractCopy, writeTemp } from '../helpers/contract-copy';

const EXPORT_ERROR_EXAMPLE =
  '/paths/~1v2~1jobs~1{jobId}/put/requestBody/content/application~1json/schema/properties/isProcessing/example';

describe('spec lint on the provider document', () => {
  it('finds the contradictions BEHAVIOUR.md lists, each acknowledged by the baseline', async () => {
    const report = lintContract(await loadContract(), loadBaseline(DEFAULT_BASELINE_FILE));
    const summary = report.findings.map((f) => `${f.severity} ${f.rule} ${f.name} ${f.status}`);
    expect(summary).toEqual([
      'error example-matches-schema JobUpdateParameters.isProcessing acknowledged',
      'warning request-response-type-split JobUpdateParameters.isProcessing acknowledged',
      'warning inconsistent-format JobProject.due acknowledged',
      'warning copied-description JobStats.newWords acknowledged',
      'warning copied-description JobStats.numLanguagePairs acknowledged',
    ]);
    expect(report.newCount).toBe(0);
    expect(report.stale).toEqual([]);
    expect(report.findings[0]).toMatchObject({ pointer: EXPORT_ERROR_EXAMPLE });
    expect(report.findings[0]!.message).toMatch(/example "ExportError" is not valid against its own schema: .*enum/);
  });

  it('without the ExportError entry, that finding is new', async () => {
    const baseline = loadBaseline(DEFAULT_BASELINE_FILE).filter((e) => e.pointer !== EXPORT_ERROR_EXAMPLE);
    const report = lintContract(await loadContract(), baseline);
    expect(report.newCount).toBe(1);
    expect(report.findings.find((f) => f.status === 'new')).toMatchObject({ rule: 'example-matches-schema', severity: 'error' });
    expect(formatLintReport(report, 'baseline.json')).toMatch(/1 new\nNew findings fail the lint/);
  });

  it('a new bad example in a newer document is new; a fixed defect makes its entry stale', async () => {
    const file = contractCopy((t) =>
      t.replace("example: 241", "example: '241'").replace('example: ExportError', "example: '-2'"),
    );
    const report = lintContract(await loadContract(file), loadBaseline(DEFAULT_BASELINE_FILE));
    const fresh = report.findings.filter((f) => f.status === 'new');
    expect(fresh).toEqual([
      // An integer whose example is a string contradicts itself, and the example is not valid against the schema.
      expect.objectContaining({ rule: 'self-contradicting-field', name: 'Job.id', pointer: '/components/schemas/Job/properties/id' }),
      expect.objectContaining({ rule: 'example-matches-schema', name: 'Job.id', pointer: '/components/schemas/Job/properties/id/example' }),
    ]);
    expect(report.stale.map((e) => e.pointer)).toEqual([EXPORT_ERROR_EXAMPLE]);
  });
});

describe('spec lint on a small broken document', () => {
  const broken = `openapi: 3.0.3
info: { title: broken, version: '1' }
paths:
  /things/{id}:
    put:
      operationId: putThing
      parameters:
        - { name: id, in: path, required: true, schema: { type: integer }, example: abc }
      requestBody:
        content:
          application/json:
            schema:
              title: ThingUpdate
              type: object
              properties:
                size: { type: string, description: The size. }
                when: { type: string }
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Thing' }
              example: { size: 'three' }
components:
  schemas:
    Thing:
      type: object
      required: [size]
      properties:
        size: { type: integer, description: The size. }
        weight: { type: integer, description: The size. }
        when: { type: string, format: date-time, example: 'yesterday' }
`;

  it('reports each rule at its place, all new', async () => {
    const report = lintContract(await loadContract(writeTemp('broken.yaml', broken), { operation: parseSelector('putThing') }), []);
    const lines = report.findings.map((f) => `${f.rule} ${f.name} ${f.pointer}`);
    expect(lines).toEqual([
      'example-matches-schema Thing.when /components/schemas/Thing/properties/when/example',
      'example-matches-schema putThing parameter id /paths/~1things~1{id}/put/parameters/0/example',
      'example-matches-schema putThing 200 response (application/json) /paths/~1things~1{id}/put/responses/200/content/application~1json/example',
      'request-response-type-split ThingUpdate.size /paths/~1things~1{id}/put/requestBody/content/application~1json/schema/properties/size',
      'inconsistent-format ThingUpdate.when /paths/~1things~1{id}/put/requestBody/content/application~1json/schema/properties/when',
      'copied-description Thing.weight /components/schemas/Thing/properties/weight/description',
    ]);
    expect(report.newCount).toBe(6);
  });
});

describe('the baseline file', () => {
  it.each([
    ['not JSON', '{', /cannot read the lint baseline/],
    ['no list', '{"entries": []}', /expected \{"acknowledged"/],
    ['an entry without a reason', '{"acknowledged": [{"rule": "r", "pointer": "/p"}]}', /acknowledged\[0\]\.reason must be a non-empty string/],
  ])('refuses %s with a user error', (_, text, message) => {
    const file = writeTemp('baseline.json', text);
    expect(() => loadBaseline(file)).toThrow(UserError);
    expect(() => loadBaseline(file)).toThrow(message);
  });
});

describe('spec lint on a document broken outside the tested operation', () => {
  it('reads what it can: the broken operations are document-defect warnings, the tested one is linted', async () => {
    const swagger = fs.readFileSync(path.join(__dirname, '..', 'contract', 'documents', 'jobs.swagger.yaml'), 'utf8');
    const broken = swagger.replace(
      "  /documents:\n    put: 'not an operation'",
      "  /documents:\n    put:\n      parameters: 5\n      responses: 7\n  /odd:\n    get:\n      parameters:\n        - $ref: '#/parameters/nope'\n      responses: { '200': { $ref: '#/responses/none' } }",
    );
    expect(broken).not.toBe(swagger);
    const report = lintContract(await loadContract(writeTemp('broken.swagger.yaml', broken)), []);
    const lines = report.findings.map((f) => `${f.severity} ${f.rule} ${f.name}`);
    expect(lines).toEqual(
      expect.arrayContaining([
        'error self-contradicting-field JobUpdateParameters.dueDate',
        'warning document-defect PUT /documents',
        'warning document-defect GET /odd (parameters.0)',
        'warning document-defect GET /odd (responses.200)',
      ]),
    );
    expect(report.findings.find((f) => f.name === 'PUT /documents')?.message).toBe('not valid Swagger 2.0: parameters: must be array; responses: must be object');
  });
});
