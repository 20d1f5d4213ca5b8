/**
 * The operation model: what it reads from the repository's contract, and that a changed document changes it (so no
 * fact is copied by hand). The expected values below are read off contracts/lilt-update-job.openapi.yaml.
 */
import { loadContract, type Contract } from '../../src/contract/load';
import {
  expectedJobValue,
  FALLBACK_QUOTA,
  operationModel,
  type FieldKind,
  type OperationModel,
} from '../../src/contract/model';
import { conformanceFacts } from '../../src/checks/facts';
import { createValidators } from '../../src/validation/validators';
import { contractCopy } from '../helpers/contract-copy';
import { userErrorOf } from '../helpers/user-error';

let contract: Contract;
let model: OperationModel;
beforeAll(async () => {
  contract = await loadContract();
  model = operationModel(contract);
});

/** The model of a copy of the contract with `edit` applied to its text. */
async function modelOf(edit: (text: string) => string): Promise<OperationModel> {
  return operationModel(await loadContract(contractCopy(edit)));
}

const kinds = (m: OperationModel): Record<string, FieldKind> =>
  Object.fromEntries(m.requestFields.map((field) => [field.name, field.kind]));

/** The request body's properties start here in the document; a new one inserted before it is the first field. */
const FIRST_REQUEST_PROPERTY = `                name:
                  type: string
                  description: A name for the Job.`;

describe('the model of the repository contract', () => {
  test('operation, method, path, route and the id parameter with its integer range', () => {
    expect(model.operationId).toBe('updateJob');
    expect(model.method).toBe('PUT');
    expect(model.path).toBe('/v2/jobs/{jobId}');
    expect(model.route).toBe('/v2/jobs/:jobId');
    expect(model.idParameter.name).toBe('jobId');
    expect(model.idParameter.schema).toEqual({ type: 'integer' });
    // No minimum and no format: BEHAVIOUR.md's positive ids below 2^63.
    expect(model.idParameter.range).toEqual({ min: 1n, max: 2n ** 63n - 1n });
  });

  test('request fields, each with one kind: name string, due date-time, isProcessing a numeric enum', () => {
    expect(model.requestFields.map((field) => field.name)).toEqual(['name', 'due', 'isProcessing', 'processingErrorMsg']);
    expect(kinds(model)).toEqual({
      name: { type: 'string' },
      due: { type: 'date-time' },
      isProcessing: { type: 'enum', values: ['0', '1', '-2'], numeric: true },
      processingErrorMsg: { type: 'string' },
    });
    expect(model.requestFieldsByName.due?.schema.format).toBe('date-time');
    // The Job's isProcessing is an integer, the request's a string enum: both schemas are kept.
    expect(model.requestFieldsByName.isProcessing?.schema.type).toBe('string');
    expect(model.requestFieldsByName.isProcessing?.jobSchema?.type).toBe('integer');
    expect(model.requestFieldsByName.processingErrorMsg?.jobSchema).toBeUndefined();
  });

  test('updatable, read-only and date-time Job fields, the id field', () => {
    expect(model.updatableFields.map((field) => [field.name, field.jobType, field.jobFormat])).toEqual([
      ['name', 'string', undefined],
      ['due', 'string', 'date-time'],
      ['isProcessing', 'integer', undefined],
    ]);
    expect(model.updatableFields.find((field) => field.name === 'isProcessing')?.requestEnum).toEqual(['0', '1', '-2']);
    expect(Object.keys(model.readOnlyFields)).toEqual(expect.arrayContaining(['id', 'status', 'stats', 'creationStatus']));
    for (const field of model.requestFields) expect(model.readOnlyFields).not.toHaveProperty(field.name);
    expect([...model.dateTimeFields].sort()).toEqual(['deliveredAt', 'due']);
    expect(model.idField).toBe('id');
    expect(Object.keys(model.jobProperties)).toContain('domains');
  });

  test('statuses, media types and the error body', () => {
    expect(model.explicitStatuses).toEqual([200, 401]);
    expect(model.hasDefault).toBe(true);
    expect(model.mediaTypes).toEqual({
      job: 'application/json',
      unauthorized: ['application/octet-stream', 'text/plain'],
      unauthorizedPreferred: 'text/plain',
      error: 'application/json',
    });
    expect(model.errorProperties).toEqual(['message']);
    expect(model.errorMessageProperty).toBe('message');
  });

  test('security, and the quota stated in the prose (4000 a minute, wait 60 seconds)', () => {
    expect(model.security).toEqual({ basic: true, apiKeyQueryParameter: 'key' });
    expect(model.quota).toEqual({ perMinute: 4000, waitMs: 60_000 });
  });

  test('computed once per contract', async () => {
    expect(operationModel(contract)).toBe(model);
    expect(operationModel(await loadContract())).toBe(model);
  });

  test('expectedJobValue: an integer Job field shows a numeric string as its number, anything else as sent', () => {
    expect(expectedJobValue(model, 'isProcessing', '-2')).toBe(-2);
    expect(expectedJobValue(model, 'isProcessing', 1)).toBe(1);
    expect(expectedJobValue(model, 'isProcessing', 'x')).toBe('x');
    expect(expectedJobValue(model, 'name', '1')).toBe('1');
    expect(expectedJobValue(model, 'due', '2031-01-02T03:04:05Z')).toBe('2031-01-02T03:04:05Z');
  });

  test('the conformance facts are the model in the checks\' shape', () => {
    const facts = conformanceFacts(createValidators(contract));
    expect(facts.model).toBe(model);
    expect(facts.operation).toBe(model.operation);
    expect(Object.keys(facts.requestFields)).toEqual(['name', 'due', 'isProcessing', 'processingErrorMsg']);
    expect(facts.requestFields.due).toBe(model.requestFieldsByName.due?.schema);
    expect(facts.updatableFields).toEqual(['name', 'due', 'isProcessing']);
    expect(facts).toMatchObject({ method: 'PUT', keyParameter: 'key', basicAuth: true, idField: 'id', jsonMediaType: 'application/json' });
  });
});

describe('a changed contract changes the model', () => {
  test('a new string request field shows up with kind string, not updatable when the Job lacks it', async () => {
    const m = await modelOf((t) =>
      t.replace(FIRST_REQUEST_PROPERTY, `                reference:\n                  type: string\n${FIRST_REQUEST_PROPERTY}`),
    );
    expect(m.requestFields[0]).toMatchObject({ name: 'reference', kind: { type: 'string' } });
    expect(m.requestFieldsByName.reference?.jobSchema).toBeUndefined();
    expect(m.updatableFields.map((field) => field.name)).not.toContain('reference');
  });

  test('a request field the Job has becomes updatable and is no longer read-only', async () => {
    const m = await modelOf((t) =>
      t.replace(FIRST_REQUEST_PROPERTY, `                status:\n                  type: string\n${FIRST_REQUEST_PROPERTY}`),
    );
    expect(m.updatableFields.map((field) => field.name)).toContain('status');
    expect(m.readOnlyFields).not.toHaveProperty('status');
    expect(m.readOnlyFields).toHaveProperty('id');
  });

  test('an enum follows the document: other integers stay numeric, words do not', async () => {
    const sevens = await modelOf((t) => t.replace("- '-2'", "- '7'"));
    expect(kinds(sevens).isProcessing).toEqual({ type: 'enum', values: ['0', '1', '7'], numeric: true });
    const words = await modelOf((t) => t.replace("- '0'\n                    - '1'\n                    - '-2'", '- idle\n                    - busy'));
    expect(kinds(words).isProcessing).toEqual({ type: 'enum', values: ['idle', 'busy'], numeric: false });
  });

  test("the id range follows the parameter's format and minimum", async () => {
    const m = await modelOf((t) =>
      t.replace('schema:\n            type: integer', 'schema:\n            type: integer\n            format: int32\n            minimum: 100'),
    );
    expect(m.idParameter.range).toEqual({ min: 100n, max: 2n ** 31n - 1n });
  });

  test('a renamed path parameter and another method change the route and the method', async () => {
    const m = await modelOf((t) =>
      t
        .replace('  /v2/jobs/{jobId}:\n    put:', '  /v2/jobs/{id}:\n    patch:')
        .replace('        - name: jobId\n          in: path', '        - name: id\n          in: path'),
    );
    expect([m.method, m.path, m.route, m.idParameter.name]).toEqual(['PATCH', '/v2/jobs/{id}', '/v2/jobs/:id', 'id']);
  });

  test('a 401 documented in one media type, and a renamed key parameter', async () => {
    const m = await modelOf((t) =>
      t
        .replace('        text/plain:\n          schema:\n            type: string\n', '')
        .replace('name: key\n      in: query', 'name: api_key\n      in: query'),
    );
    expect(m.mediaTypes.unauthorized).toEqual(['application/octet-stream']);
    expect(m.mediaTypes.unauthorizedPreferred).toBe('application/octet-stream');
    expect(m.security.apiKeyQueryParameter).toBe('api_key');
  });

  test('a document with no quota prose has no quota', async () => {
    const m = await modelOf((t) => t.replace(/    ## Quotas\n[\s\S]*?you can send another request\.\n/, ''));
    expect(m.quota).toBeUndefined();
  });

  test('other quota figures are read as written; a figure the prose drops is the fallback', async () => {
    const other = await modelOf((t) => t.replace('quota of 4000 requests', 'quota of 1,200 requests').replace('wait 60 seconds', 'wait 30 seconds'));
    expect(other.quota).toEqual({ perMinute: 1200, waitMs: 30_000 });
    const noWait = await modelOf((t) => t.replace('wait 60 seconds', 'wait a while'));
    expect(noWait.quota).toEqual({ perMinute: 4000, waitMs: FALLBACK_QUOTA.waitMs });
    const noRate = await modelOf((t) => t.replace('quota of 4000 requests per minute', 'quota of some requests per minute').replace('wait 60 seconds', 'wait 5 seconds'));
    expect(noRate.quota).toEqual({ perMinute: FALLBACK_QUOTA.perMinute, waitMs: 5000 });
  });

  test('the model serves a Basic-only contract; the conformance run, which needs both methods, refuses it', async () => {
    const file = contractCopy((t) => t.replace('security:\n  - BasicAuth: []\n  - ApiKeyAuth: []\n', 'security:\n  - BasicAuth: []\n'));
    const basicOnly = await loadContract(file);
    expect(operationModel(basicOnly).security).toEqual({ basic: true });
    const error = userErrorOf(() => conformanceFacts(createValidators(basicOnly)));
    expect(error.message).toMatch(/updateJob must offer HTTP Basic and an API-key query parameter/);
  });
});

describe('a contract the model cannot describe is one line naming the file and the problem', () => {
  test.each([
    [
      'a Job without an id',
      (t: string) => t.replace('        id:\n          type: integer\n          description: An id for the job.\n          example: 241\n', ''),
      /contract\.yaml: the Job schema has no id property/,
    ],
    [
      'a path id that is not an integer',
      (t: string) => t.replace('          required: true\n          schema:\n            type: integer', '          required: true\n          schema:\n            type: string'),
      /contract\.yaml: path parameter 'jobId' has type string; expected integer/,
    ],
    [
      'a 200 without JSON',
      (t: string) => t.replace("          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Job'", "          content:\n            text/html:\n              schema:\n                type: string"),
      /contract\.yaml: updateJob documents no JSON 200 response/,
    ],
  ])('%s', async (_, edit, message) => {
    const changed = await loadContract(contractCopy(edit));
    const error = userErrorOf(() => operationModel(changed));
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('\n');
  });
});
