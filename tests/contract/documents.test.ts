/**
 * Any version of the provider's document, read as it is: small documents of our own (tests/contract/documents/) that
 * reproduce what a provider's published documents do differently from the bundled one: Swagger 2.0 with defects in
 * operations not tested, OpenAPI 3.1, a base path of `/2` with the path `/jobs/{jobId}`, a GET beside the PUT, a
 * `dueDate` that is an integer described as an ISO date. And the loader's one-line errors.
 */
import * as http from 'node:http';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadContract } from '../../src/contract/load';
import { operationModel, type OperationModel } from '../../src/contract/model';
import { parseSelector } from '../../src/contract/selector';
import { UserError } from '../../src/errors';
import { createValidators } from '../../src/validation/validators';
import { contractCopy, writeTemp } from '../helpers/contract-copy';
import { listen, type Listening } from '../helpers/net';

const DOCS = path.join(__dirname, 'documents');
const SWAGGER = path.join(DOCS, 'jobs.swagger.yaml');
const NEWER = path.join(DOCS, 'jobs-2025.openapi.yaml');
const V31 = path.join(DOCS, 'jobs-3.1.openapi.yaml');

async function modelOf(file: string, operation?: string): Promise<OperationModel> {
  return operationModel(await loadContract(file, operation === undefined ? {} : { operation: parseSelector(operation) }));
}

async function userError(load: Promise<unknown>): Promise<UserError> {
  const error = await load.then(
    () => new Error('expected a UserError'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  const userError = error as UserError;
  expect(userError.exitCode).toBe(2);
  expect(userError.message).not.toContain('\n');
  return userError;
}

const kinds = (model: OperationModel) => Object.fromEntries(model.bodyFields.map((field) => [field.name, field.kindText]));

describe('a Swagger 2.0 document with defects in operations that are not tested', () => {
  let model: OperationModel;
  beforeAll(async () => {
    model = await modelOf(SWAGGER);
  });

  it('is converted to OpenAPI 3.0, and the defects elsewhere are kept as warnings with pointers into the Swagger document', () => {
    const contract = model.contract;
    expect(contract.format).toEqual({ spec: 'swagger', version: '2.0' });
    expect(contract.raw.openapi).toMatch(/^3\.0\./);
    expect(contract.defects.map((defect) => [defect.kind, defect.pointer])).toEqual([
      ['unresolved-ref', '/paths/~1memories~1{memoryId}/get/responses/200/schema'],
      ['schema', '/paths/~1memories~1import/post'],
      ['schema', '/paths/~1documents/put'],
    ]);
    expect(contract.defects[1]!.message).toMatch(/^not valid Swagger 2\.0: .*items: has an unexpected property '\$ref'/);
    expect(contract.defects[2]!.message).toBe('not valid Swagger 2.0: must be object');
  });

  it('serves /jobs/{jobId} under the base path /2, with a GET beside the PUT', () => {
    expect(model.method).toBe('PUT');
    expect(model.path).toBe('/jobs/{jobId}');
    expect(model.basePath).toBe('/2');
    expect(model.fullPath).toBe('/2/jobs/{jobId}');
    expect(model.servers).toEqual(['https://jobs.example.test/2']);
    expect(model.hasGet).toBe(true);
    expect(model.read).toMatchObject({ operationId: 'getJob', returnsJob: true });
    expect(model.securitySchemes.map((scheme) => scheme.text)).toEqual(['API key in query parameter "key"', 'HTTP basic']);
  });

  it('flags dueDate as contradicting itself (type vs description and example), sent but not judged', () => {
    expect(kinds(model)).toEqual({ name: 'string', dueDate: 'integer', isProcessing: 'string enum of integers (0, 1, -2)' });
    const dueDate = model.bodyFieldsByName.dueDate!;
    expect(dueDate.jobProperty).toBeUndefined();
    expect(dueDate.fieldKind).toBeUndefined();
    expect(dueDate.contradiction?.contradictions.map((c) => c.by)).toEqual(['description', 'example']);
    expect(dueDate.contradiction?.treatment.kind).toBe('schema-valid-unjudged');
    // isProcessing's enum of integers under `type: string` is the other contradiction, judged by BEHAVIOUR.md's rule.
    expect(model.contradictions.map((c) => `${c.where} ${c.field.name}`)).toEqual(['request dueDate', 'request isProcessing']);
    // The fields FieldKind describes stay as they were for the modules that read requestFields.
    expect(model.requestFields.map((field) => field.name)).toEqual(['name', 'isProcessing']);
    expect(model.updatableFields.map((field) => field.name)).toEqual(['name', 'isProcessing']);
  });

  it('compiles its validators although other operations are broken', async () => {
    const validators = createValidators(model.contract);
    expect(validators.requestBodyValidator('updateJob').validate({ dueDate: 1 })).toMatchObject({ valid: true });
    expect(validators.requestBodyValidator('updateJob').validate({ dueDate: '2021-10-05T14:48:00Z' })).toMatchObject({ valid: false });
  });

  it('is found by method and path, with or without the base path', async () => {
    expect((await modelOf(SWAGGER, 'PUT /jobs/{jobId}')).operationId).toBe('updateJob');
    expect((await modelOf(SWAGGER, 'put /2/jobs/{id}')).operationId).toBe('updateJob');
    expect((await modelOf(SWAGGER, 'GET /2/jobs/{jobId}')).operationId).toBe('getJob');
  });

  it('is refused, one line, when the defect is in the tested operation', async () => {
    const broken = writeTemp(
      'broken.swagger.yaml',
      fs.readFileSync(SWAGGER, 'utf8').replace("- { in: path, name: jobId, required: true, type: integer }\n        - in: body", '- { in: path, name: jobId, required: true, type: whole }\n        - in: body'),
    );
    const error = await userError(loadContract(broken));
    expect(error.message).toMatch(/broken\.swagger\.yaml: not a valid OpenAPI document where operation 'updateJob' is: #\/paths\/~1jobs~1\{jobId\}\/put: not valid Swagger 2\.0: .*parameters\.0\.type: must be one of "string"/);
  });
});

describe('an OpenAPI 3.1 document', () => {
  it('is read as it is: a server variable, a nullable name, an integer enum', async () => {
    const model = await modelOf(V31);
    expect(model.contract.format).toEqual({ spec: 'openapi', version: '3.1.0' });
    expect(model.contract.defects).toEqual([]);
    expect(model.servers).toEqual(['https://api.example.test/v2']);
    expect(model.fullPath).toBe('/v2/jobs/{jobId}');
    expect(model.hasGet).toBe(false);
    expect(kinds(model)).toEqual({ name: 'string', due: 'date-time string', priority: 'integer enum (1, 2, 3)' });
    expect(model.bodyFieldsByName.name!.nullable).toBe(true);
    expect(model.jobFields.find((field) => field.name === 'id')?.required).toBe(true);
    expect(model.contradictions).toEqual([]);
    expect(model.idParameter.range.min).toBe(1n);
  });
});

describe('a newer document in a provider style', () => {
  it('models dueDate beside the Job due, and a numeric enum with a number in it judged by the enum rule', async () => {
    const model = await modelOf(NEWER);
    expect(kinds(model)).toEqual({
      name: 'string',
      dueDate: 'integer',
      isProcessing: 'string enum of integers ("0", "1", -2)',
      processingErrorMsg: 'string',
    });
    expect(model.bodyFieldsByName.isProcessing!.contradiction?.treatment.kind).toBe('numeric-enum');
    expect(model.bodyFieldsByName.dueDate!.contradiction?.treatment.kind).toBe('schema-valid-unjudged');
    expect(model.jobFields.map((field) => field.name)).not.toContain('domains');
    expect(model.hasGet).toBe(true);
    expect(model.basePath).toBe('');
  });
});

describe('the bundled document, through the new parts of the model', () => {
  it('has no contradiction, no GET, no base path, and the two security schemes', async () => {
    const model = await modelOf(path.join(__dirname, '..', '..', 'contracts', 'lilt-update-job.openapi.yaml'));
    expect(model.contradictions).toEqual([]);
    expect(model.hasGet).toBe(false);
    expect(model.fullPath).toBe('/v2/jobs/{jobId}');
    expect(model.contract.defects).toEqual([]);
    expect(model.bodyFields.map((field) => field.name)).toEqual(model.requestFields.map((field) => field.name));
    expect(model.securitySchemes.map((scheme) => [scheme.name, scheme.text])).toEqual([
      ['BasicAuth', 'HTTP basic'],
      ['ApiKeyAuth', 'API key in query parameter "key"'],
    ]);
  });

  it('a GET added beside the PUT is found', async () => {
    const withGet = contractCopy((t) =>
      t.replace(
        '  /v2/jobs/{jobId}:\n    put:',
        "  /v2/jobs/{jobId}:\n    get:\n      operationId: getJob\n      parameters:\n        - { name: jobId, in: path, required: true, schema: { type: integer } }\n      responses:\n        '200':\n          description: A job.\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Job'\n    put:",
      ),
    );
    const model = await modelOf(withGet);
    expect(model.read).toMatchObject({ operationId: 'getJob', returnsJob: true });
  });
});

describe('reading a document from a URL', () => {
  let server: Listening;
  beforeAll(async () => {
    server = await listen(
      http.createServer((request, response) => {
        if (request.url === '/jobs.swagger.yaml') {
          response.writeHead(200, { 'content-type': 'application/yaml' });
          response.end(fs.readFileSync(SWAGGER));
          return;
        }
        response.writeHead(404).end('no such document');
      }),
    );
  });
  afterAll(() => server.close());

  it('loads the document the URL serves', async () => {
    const contract = await loadContract(`${server.url}/jobs.swagger.yaml`);
    expect(contract.file).toBe(`${server.url}/jobs.swagger.yaml`);
    expect(operationModel(contract).fullPath).toBe('/2/jobs/{jobId}');
  });

  it('never shows a token in the URL (query values, credentials) in its message', async () => {
    const url = new URL(`${server.url}/missing.yaml?token=s3cr3t-t0ken`);
    url.username = 'user';
    url.password = 'hunter2';
    const error = await userError(loadContract(url.toString()));
    expect(error.message).toMatch(/\/missing\.yaml\?token=\*\*\*: cannot fetch the document/);
    expect(error.message).not.toMatch(/s3cr3t|hunter2/);
  });

  it('says in one line that it cannot fetch a URL that answers 404', async () => {
    const error = await userError(loadContract(`${server.url}/missing.yaml`));
    expect(error.message).toMatch(new RegExp(`^${server.url.replace(/[.]/g, '\\.')}/missing\\.yaml: cannot fetch the document: .*404`));
  });
});

describe('a document without the operation', () => {
  it('is one line, exit 2, naming the operation and some that the document has', async () => {
    const error = await userError(loadContract(SWAGGER, { operation: parseSelector('DELETE /jobs/{jobId}') }));
    expect(error.message).toMatch(/jobs\.swagger\.yaml: DELETE \/jobs\/\{jobId\} is not in the document \(operations: GET \/jobs\/\{jobId\}, PUT \/jobs\/\{jobId\}/);
  });

  it.each([[''], ['PUT /jobs/{jobId} extra'], ['FETCH /jobs']])('--operation %j is a usage error', (text) => {
    expect(() => parseSelector(text)).toThrow(UserError);
  });
});
