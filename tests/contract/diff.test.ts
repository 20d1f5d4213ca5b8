/**
 * contract diff, as a function: each kind of change reproduced by a one-line edit of the bundled document (or by a
 * small document of our own in tests/contract/documents/), and its level (breaking, addition, other).
 */
import * as path from 'node:path';
import { diffModels, formatDiff, type ContractDiff } from '../../src/contract/diff';
import { loadContract } from '../../src/contract/load';
import { operationModel, type OperationModel } from '../../src/contract/model';
import { pactImpact, readInteractions, undocumentedRequestFields } from '../../src/contract/pacts';
import { PACT_DIR } from '../../src/pact/config';
import { contractCopy } from '../helpers/contract-copy';

const DOCS = path.join(__dirname, 'documents');
const PACT = path.join(PACT_DIR, 'lilt-conformance-client-lilt-api.json');

let bundled: OperationModel;
beforeAll(async () => {
  bundled = operationModel(await loadContract());
});

const modelOf = async (file: string) => operationModel(await loadContract(file));
const diffTo = async (edit: (text: string) => string): Promise<ContractDiff> => diffModels(bundled, await modelOf(contractCopy(edit)));
const summary = (diff: ContractDiff) => diff.changes.map((change) => `${change.level} ${change.id}${change.field ? ` ${change.field}` : ''}${change.status ? ` ${change.status}` : ''}`);

const REQUEST_NAME = `                name:
                  type: string
                  description: A name for the Job.`;

describe('contract diff of one change at a time', () => {
  it('finds nothing between a document and itself', async () => {
    const diff = diffModels(bundled, bundled);
    expect(diff.changes).toEqual([]);
    expect(formatDiff(diff)).toMatch(/0 breaking changes, 0 additions, 0 other changes: the operation is the same$/);
  });

  it('an optional request field added is an addition, with its kind', async () => {
    const diff = await diffTo((t) => t.replace(REQUEST_NAME, `                priority:\n                  type: integer\n${REQUEST_NAME}`));
    expect(summary(diff)).toEqual(['addition request-property-added priority']);
    expect(diff.changes[0]!.message).toBe('request field `priority` added: integer');
    expect(diff.breakingCount).toBe(0);
  });

  it('a request field added as required, or an existing one made required, breaks', async () => {
    const diff = await diffTo((t) =>
      t
        .replace(REQUEST_NAME, `                priority:\n                  type: integer\n${REQUEST_NAME}`)
        .replace('              title: JobUpdateParameters\n              type: object\n', '              title: JobUpdateParameters\n              type: object\n              required: [name, priority]\n'),
    );
    expect(summary(diff)).toEqual(['breaking request-property-became-required name', 'breaking new-required-request-property priority']);
  });

  it('an enum narrowed breaks, naming the value', async () => {
    const diff = await diffTo((t) => t.replace("                    - '1'\n                    - '-2'", "                    - '1'"));
    expect(summary(diff)).toEqual(['breaking request-property-enum-value-removed isProcessing']);
    expect(diff.changes[0]!.values).toEqual(['-2']);
  });

  it('a request field retyped breaks, unless it accepts more', async () => {
    const narrower = await diffTo((t) => t.replace("                name:\n                  type: string\n                  description: A name for the Job.", '                name:\n                  type: integer\n                  description: A name for the Job.'));
    expect(summary(narrower)).toEqual(['breaking request-property-type-changed name']);
    expect(narrower.changes[0]!.message).toBe('request field `name` retyped: string -> integer');
    const wider = await diffTo((t) => t.replace('                  type: string\n                  format: date-time\n                  description: An ISO string date.', '                  type: string\n                  description: An ISO string date.'));
    expect(summary(wider)).toEqual(['change request-property-type-changed due']);
  });

  it('a response property removed or retyped breaks; one added is an addition', async () => {
    const diff = await diffTo((t) =>
      t
        .replace('        id:\n          type: integer\n          description: An id for the job.', '        id:\n          type: string\n          description: An id for the job.')
        .replace('        creationStatus:\n', '        priority:\n          type: integer\n        creationStatus:\n'),
    );
    expect(summary(diff)).toEqual(['breaking response-property-type-changed id', 'addition response-property-added priority']);
  });

  it('a nested response property removed is named by its path', async () => {
    const diff = await diffTo((t) => t.replace('        memoryId:\n          type: integer\n          description: A unique number identifying the associated Memory.\n          example: 2134\n', ''));
    expect(summary(diff)).toEqual(['breaking response-property-removed stats.projects[].memoryId']);
  });

  it('a status removed, a security scheme removed, the base moved: each breaks', async () => {
    const diff = await diffTo((t) =>
      t
        .replace("        '401':\n          $ref: '#/components/responses/UnauthorizedError'\n", '')
        .replace('security:\n  - BasicAuth: []\n  - ApiKeyAuth: []\n', 'security:\n  - BasicAuth: []\n')
        .replace('  - url: https://api.lilt.com\n', '  - url: https://api.lilt.com/v3\n'),
    );
    expect(summary(diff)).toEqual([
      'breaking path-moved',
      'breaking server-removed',
      'breaking response-status-removed 401',
      'breaking security-scheme-removed',
      'addition server-added',
    ]);
    expect(diff.changes[0]!.message).toBe('the operation moved: /v2/jobs/{jobId} -> /v3/v2/jobs/{jobId} (base path (none) -> /v3, path /v2/jobs/{jobId} -> /v2/jobs/{jobId})');
    expect(diff.changes[3]!.message).toBe('security: API key in query parameter "key" (ApiKeyAuth) is no longer accepted');
  });
});

describe('contract diff between documents of other versions', () => {
  it('the bundled document to a newer one: due removed, dueDate added as an integer, domains removed, GET added', async () => {
    const diff = diffModels(bundled, await modelOf(path.join(DOCS, 'jobs-2025.openapi.yaml')));
    expect(summary(diff)).toEqual([
      'breaking request-property-removed due',
      'breaking request-property-enum-value-removed isProcessing',
      'breaking response-property-removed domains',
      'addition read-added',
      'addition request-property-enum-value-added isProcessing',
      'addition request-property-added dueDate',
      'change request-property-contradicts-itself isProcessing',
    ]);
    const text = formatDiff(diff);
    expect(text).toMatch(/request-property-removed +request field `due` \(date-time string\) removed: .*\(renamed\? the new document has `dueDate`\)/);
    expect(text).toMatch(/request-property-added +request field `dueDate` added: integer, which contradicts itself \(type integer, but described as "An ISO string date\."\)/);
    expect(text).toMatch(/response-property-removed +Job property `domains` \(array of object\) removed/);
    expect(text).toMatch(/read-added +GET \/v2\/jobs\/\{jobId\} added \(getJob\)/);
    expect(text).toMatch(/^3 breaking changes, 3 additions, 1 other change: a client of the old document may break$/m);
  });

  it('the newer one back to the bundled one: the GET removed breaks', async () => {
    const diff = diffModels(await modelOf(path.join(DOCS, 'jobs-2025.openapi.yaml')), bundled);
    expect(summary(diff)).toContain('breaking read-removed');
  });

  it('the bundled document to a Swagger 2.0 one under /2: the path moved, the 401 gone', async () => {
    const diff = diffModels(bundled, await modelOf(path.join(DOCS, 'jobs.swagger.yaml')));
    const ids = summary(diff);
    expect(ids.slice(0, 2)).toEqual(['breaking path-moved', 'breaking server-removed']);
    expect(ids).toEqual(expect.arrayContaining(['breaking response-status-removed 401', 'breaking request-property-removed due', 'addition request-property-added dueDate', 'addition read-added']));
    expect(diff.changes[0]!.message).toContain('/v2/jobs/{jobId} -> /2/jobs/{jobId}');
  });

  it('the bundled document to a 3.1 one: the name may now be null in the Job', async () => {
    const diff = diffModels(bundled, await modelOf(path.join(DOCS, 'jobs-3.1.openapi.yaml')));
    expect(summary(diff)).toEqual(
      expect.arrayContaining(['breaking response-property-became-nullable name', 'addition request-property-added priority', 'change request-property-became-nullable name']),
    );
  });
});

describe('the pact interactions a newer document breaks', () => {
  it('names the interaction that sends due, and no other', async () => {
    const newer = await modelOf(path.join(DOCS, 'jobs-2025.openapi.yaml'));
    const interactions = readInteractions(PACT);
    const impact = pactImpact(diffModels(bundled, newer), bundled, interactions);
    expect(impact.checked).toBe(8);
    expect(impact.broken.map((b) => [b.interaction.description, b.reasons.map((r) => r.change)])).toEqual([
      ['a request to reschedule a job', ['request-property-removed']],
    ]);
    expect(undocumentedRequestFields(newer, interactions).map((b) => b.interaction.description)).toEqual(['a request to reschedule a job']);
    expect(undocumentedRequestFields(bundled, interactions)).toEqual([]);
  });

  it('names every interaction when the operation moved', async () => {
    const swagger = await modelOf(path.join(DOCS, 'jobs.swagger.yaml'));
    const impact = pactImpact(diffModels(bundled, swagger), bundled, readInteractions(PACT));
    expect(impact.broken).toHaveLength(8);
    expect(impact.broken.every((b) => b.reasons.some((r) => r.change === 'path-moved'))).toBe(true);
    // The interaction without credentials expects a 401, no longer documented.
    const anonymous = impact.broken.find((b) => b.interaction.status === 401)!;
    expect(anonymous.reasons.map((r) => r.change)).toContain('response-status-removed');
  });
});
