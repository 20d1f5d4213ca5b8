import { DEFAULT_CONTRACT_FILE, loadContract } from '../../src/contract/load';
import { UserError } from '../../src/errors';
import { contractCopy, writeTemp } from '../helpers/contract-copy';

describe('loadContract', () => {
  it('loads the provider document, validated and dereferenced, keeping the raw form', async () => {
    const contract = await loadContract();
    expect(contract.file).toBe(DEFAULT_CONTRACT_FILE);
    expect(contract.document.openapi).toBe('3.0.3');
    const put = contract.document.paths['/v2/jobs/{jobId}']?.put;
    const ok = put?.responses['200'] as { content: Record<string, { schema: { properties: object } }> };
    expect(Object.keys(ok.content['application/json']!.schema.properties)).toContain('isProcessing');
    expect(JSON.stringify(contract.raw)).toContain('#/components/schemas/Job');
    expect(JSON.stringify(contract.document)).not.toContain('$ref');
  });

  it('loads a file once per process', async () => {
    expect(await loadContract()).toBe(await loadContract());
  });

  it.each([
    ['a missing file', () => '/nonexistent/contract.yaml', /contract\.yaml: contract file not found/],
    ['unparsable YAML', () => writeTemp('broken.yaml', 'openapi: 3.0.3\ninfo: [unclosed\n'), /broken\.yaml: not a valid OpenAPI document/],
    [
      'a document that breaks the OpenAPI schema in the tested operation',
      () => contractCopy((t) => t.replace('          in: path\n', '          in: body\n')),
      /contract\.yaml: not a valid OpenAPI document where operation 'updateJob' is: #\/paths\/~1v2~1jobs~1\{jobId\}\/put: not valid OpenAPI 3\.0: parameters\.0\.in: must be one of/,
    ],
    [
      'a document whose operationId is not a string (so no updateJob)',
      () => contractCopy((t) => t.replace('operationId: updateJob', 'operationId: [not, a, string]')),
      /contract\.yaml: operation 'updateJob' is not in the document \(operations: PUT \/v2\/jobs\/\{jobId\}\)/,
    ],
    [
      'a document without updateJob',
      () => contractCopy((t) => t.replace('operationId: updateJob', 'operationId: changeJob')),
      /contract\.yaml: operation 'updateJob' is not in the document \(operations: changeJob\); name another with --operation/,
    ],
    [
      'a dangling $ref',
      () => contractCopy((t) => t.replace("'#/components/schemas/Job'", "'#/components/schemas/Nope'")),
      /contract\.yaml: not a valid OpenAPI document where operation 'updateJob' is: #\/paths\/~1v2~1jobs~1\{jobId\}\/put\/responses\/200\/content\/application~1json\/schema: \$ref '#\/components\/schemas\/Nope' points at nothing/,
    ],
    [
      'an OpenAPI 3.2 document',
      () => contractCopy((t) => t.replace('openapi: 3.0.3', 'openapi: 3.2.0')),
      /contract\.yaml: not a valid OpenAPI document: Unsupported OpenAPI version: 3\.2\.0/,
    ],
    [
      'a Swagger 1.2 document',
      () => writeTemp('old.json', JSON.stringify({ swaggerVersion: '1.2', apis: [] })),
      /old\.json: not a valid OpenAPI document/,
    ],
  ])('refuses %s with a one-line user error naming the file', async (_, file, message) => {
    const error = await loadContract(file()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).exitCode).toBe(2);
    expect((error as UserError).message).toMatch(message);
  });
});
