import { loadContract } from '../../src/contract/load';
import {
  explicitStatuses,
  findOperation,
  mediaTypeOf,
  parametersOf,
  requestBodySchema,
  responseKeyFor,
  securityFacts,
} from '../../src/contract/operation';
import { exampleFromSchema } from '../helpers/schema-example';
import { UserError } from '../../src/errors';

describe('reading the operation from the contract', () => {
  it('finds updateJob: method, path template, parameters, body', async () => {
    const contract = await loadContract();
    const op = findOperation(contract, 'updateJob');
    expect([op.method, op.path]).toEqual(['put', '/v2/jobs/{jobId}']);
    expect(parametersOf(op).find((p) => p.in === 'path' && p.name === 'jobId')?.schema).toEqual({ type: 'integer' });
    expect(Object.keys(requestBodySchema(op)?.properties ?? {})).toEqual([
      'name',
      'due',
      'isProcessing',
      'processingErrorMsg',
    ]);
  });

  it('maps statuses to response keys: exact code, else default', async () => {
    const op = findOperation(await loadContract(), 'updateJob');
    expect(explicitStatuses(op)).toEqual([200, 401]);
    expect([200, 401, 404, 400, 500].map((s) => responseKeyFor(op, s))).toEqual(['200', '401', 'default', 'default', 'default']);
  });

  it('reads both security schemes', async () => {
    expect(securityFacts(await loadContract())).toEqual({ basic: true, apiKeyQueryParameter: 'key' });
  });

  it('names an unknown operation and lists the known ones', async () => {
    const contract = await loadContract();
    expect(() => findOperation(contract, 'deleteJob')).toThrow(UserError);
    expect(() => findOperation(contract, 'deleteJob')).toThrow(/'deleteJob' is not in the document \(operations: updateJob\)/);
  });

  it('strips media type parameters', () => {
    expect(mediaTypeOf('Application/JSON; charset=utf-8')).toBe('application/json');
    expect(mediaTypeOf(undefined)).toBe('');
  });

  it('builds the documented Job from the examples', async () => {
    const job = exampleFromSchema((await loadContract()).document.components!.schemas!.Job as never) as Record<string, unknown>;
    expect(job).toMatchObject({ id: 241, name: 'My New Job', due: '2021-06-03T13:43:00Z', isProcessing: 0 });
    expect(job.domains).toEqual([{ id: 12, name: 'Marketing' }]);
  });
});
