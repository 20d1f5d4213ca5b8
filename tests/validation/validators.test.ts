import type { OpenAPIV3 } from 'openapi-types';
import { exampleFromSchema } from '../helpers/schema-example';
import { loadContract } from '../../src/contract/load';
import { UserError } from '../../src/errors';
import { createValidators, loadValidators, type ValidationResult } from '../../src/validation/validators';
import { formatViolations } from '../../src/validation/violations';
import { contractCopy } from '../helpers/contract-copy';

const JSON_TYPE = 'application/json';

function violationsOf(result: ValidationResult) {
  if (result.valid) throw new Error('expected the value to be refused, but it was valid');
  return result.violations;
}

/** Every schema rule reachable from a schema: one case per type, enum, required and format it states. */
interface RuleCase {
  readonly rule: string;
  readonly pointer: string;
  /** Sets a bad value at the pointer (or removes a required property) in a copy of a valid document. */
  readonly apply: (valid: unknown) => unknown;
}

const wrongValueFor = (schema: OpenAPIV3.SchemaObject): unknown =>
  schema.type === 'string' ? 42 : schema.type === 'array' ? 'not an array' : schema.type === 'object' ? [] : 'a string';

function rulesOf(schema: OpenAPIV3.SchemaObject, pointer = ''): RuleCase[] {
  const cases: RuleCase[] = [];
  const at = (value: unknown, replace: (parent: Record<string, unknown>, key: string) => void) => {
    const copy = structuredClone(value) as Record<string, unknown>;
    const tokens = pointer.split('/').slice(1);
    let parent: Record<string, unknown> = copy;
    for (const token of tokens.slice(0, -1)) parent = parent[token] as Record<string, unknown>;
    replace(parent, tokens[tokens.length - 1]!);
    return copy;
  };
  if (pointer !== '' && schema.type) {
    cases.push({ rule: `type ${schema.type}`, pointer, apply: (v) => at(v, (p, k) => (p[k] = wrongValueFor(schema))) });
  }
  if (schema.enum) {
    cases.push({ rule: 'enum', pointer, apply: (v) => at(v, (p, k) => (p[k] = `${String(schema.enum![0])}_`)) });
  }
  if (schema.format) {
    cases.push({ rule: `format ${schema.format}`, pointer, apply: (v) => at(v, (p, k) => (p[k] = '2022-02-30T10:00:00Z')) });
  }
  for (const [name, sub] of Object.entries(schema.properties ?? {})) {
    const child = `${pointer}/${name}`;
    if (schema.required?.includes(name)) {
      const parentPointer = pointer;
      cases.push({
        rule: `required ${name}`,
        pointer: child,
        apply: (v) => {
          const copy = structuredClone(v) as Record<string, unknown>;
          let parent: Record<string, unknown> = copy;
          for (const token of parentPointer.split('/').slice(1)) parent = parent[token] as Record<string, unknown>;
          delete parent[name];
          return copy;
        },
      });
    }
    cases.push(...rulesOf(sub as OpenAPIV3.SchemaObject, child));
  }
  if (schema.type === 'array' && schema.items) cases.push(...rulesOf(schema.items as OpenAPIV3.SchemaObject, `${pointer}/0`));
  return cases;
}

describe('validators compiled from the contract', () => {
  let validators: Awaited<ReturnType<typeof loadValidators>>;
  let jobSchema: OpenAPIV3.SchemaObject;
  let documentedJob: Record<string, unknown>;

  beforeAll(async () => {
    validators = await loadValidators();
    jobSchema = validators.contract.document.components!.schemas!.Job as OpenAPIV3.SchemaObject;
    documentedJob = exampleFromSchema(jobSchema) as Record<string, unknown>;
  });

  describe('the 200 Job', () => {
    const job = () => validators.responseValidator('updateJob', 200, JSON_TYPE);

    it('accepts the Job built from the document examples', () => {
      expect(job().validate(documentedJob)).toEqual({ valid: true, value: documentedJob });
    });

    it('accepts a charset parameter on the content type, and extra properties', () => {
      const v = validators.responseValidator('updateJob', 200, 'application/json; charset=utf-8');
      expect(v.validate({ ...documentedJob, somethingNew: true }).valid).toBe(true);
    });

    it('rejects {"id": "241"} pointing at /id', () => {
      const [violation, ...rest] = violationsOf(job().validate({ id: '241' }));
      expect(rest).toEqual([]);
      expect(violation).toMatchObject({ pointer: '/id', keyword: 'type', expected: 'type integer' });
      expect(formatViolations([violation!])).toBe('/id: type: expected type integer, got "241" (string)');
    });

    it.each([
      ['2022-02-30T10:00:00Z', 'an impossible date'],
      ['2022-05-05 10:56:44Z', 'a space for T (ajv-formats would accept it)'],
      ['2022-05-05T10:56:44+0900', 'an offset without colon'],
      ['2022-05-05T10:56:44', 'no offset'],
    ])('rejects due %s (%s)', (due) => {
      const violations = violationsOf(job().validate({ ...documentedJob, due }));
      expect(violations).toEqual([expect.objectContaining({ pointer: '/due', keyword: 'format' })]);
    });

    it('states every rule of the Job schema: one refused case per type, enum, required and format', () => {
      const cases = rulesOf(jobSchema);
      // The schema states these, at least: a sanity floor so that a walker bug cannot make the test vacuous.
      expect(cases.map((c) => c.rule)).toEqual(
        expect.arrayContaining(['type integer', 'type string', 'enum', 'format date-time', 'required id', 'required name']),
      );
      for (const c of cases) {
        const violations = violationsOf(job().validate(c.apply(documentedJob)));
        expect(violations.map((v) => v.pointer)).toContain(c.pointer);
      }
    });

    it('trims long actual values in messages', () => {
      const text = formatViolations(violationsOf(job().validate({ name: 'x'.repeat(10_000), id: 'y'.repeat(500) })));
      expect(text.length).toBeLessThan(400);
      expect(text).toMatch(/\/id: type: expected type integer, got "y+\.\.\. \(502 chars\) \(string\)/);
    });
  });

  describe('the default Error', () => {
    it.each([404, 400, 429])('covers status %i: {"message": string}', (status) => {
      const v = validators.responseValidator('updateJob', status, JSON_TYPE);
      expect(v.validateText('{"message":"Job not found."}').valid).toBe(true);
      expect(violationsOf(v.validateText('{"message": 404}'))).toEqual([
        expect.objectContaining({ pointer: '/message', keyword: 'type' }),
      ]);
      expect(violationsOf(v.validateText('<html>oops</html>'))).toEqual([
        expect.objectContaining({ pointer: '', keyword: 'json' }),
      ]);
      expect(violationsOf(v.validateText('"a string"'))).toEqual([expect.objectContaining({ keyword: 'type' })]);
    });
  });

  describe('the 401 text body', () => {
    it.each(['text/plain', 'application/octet-stream', 'text/plain; charset=utf-8'])('accepts text as %s', (type) => {
      expect(validators.responseValidator('updateJob', 401, type).validateText('Unauthorized').valid).toBe(true);
    });

    it('lists both documented content types, and not JSON', () => {
      expect(validators.documentedMediaTypes('updateJob', 401)).toEqual(['application/octet-stream', 'text/plain']);
      expect(validators.findResponseValidator('updateJob', 401, JSON_TYPE)).toBeUndefined();
    });
  });

  describe('the request body (JobUpdateParameters)', () => {
    const body = () => validators.requestBodyValidator('updateJob');

    it('accepts the documented curl body, an empty object and unknown fields', () => {
      expect(body().validate({ name: 'test job', due: '2022-05-05T10:56:44.985Z' }).valid).toBe(true);
      expect(body().validate({}).valid).toBe(true);
      expect(body().validate({ id: 1, whatever: [1] }).valid).toBe(true);
    });

    it.each([
      [{ isProcessing: 'ExportError' }, '/isProcessing', 'enum'],
      [{ isProcessing: '2' }, '/isProcessing', 'enum'],
      [{ isProcessing: 0 }, '/isProcessing', 'type'],
      [{ name: null }, '/name', 'type'],
      [{ due: '2022-02-30T10:00:00Z' }, '/due', 'format'],
      [{ processingErrorMsg: 5 }, '/processingErrorMsg', 'type'],
      [[], '', 'type'],
    ])('rejects %j at %s (%s)', (value, pointer, keyword) => {
      expect(violationsOf(body().validate(value))).toEqual(expect.arrayContaining([expect.objectContaining({ pointer, keyword })]));
    });
  });

  describe('lookups the document does not have', () => {
    it('a content type not documented for a status is a user error naming what is', () => {
      expect(() => validators.responseValidator('updateJob', 200, 'text/html')).toThrow(
        /response '200' has no content type 'text\/html' \(documented: application\/json\)/,
      );
    });

    it('an unknown operation is a user error', () => {
      expect(() => validators.requestBodyValidator('createJob')).toThrow(UserError);
    });

    it('a status with no response and no default is a user error', async () => {
      const file = contractCopy((t) => t.replace(/        default:\n          description: Unexpected error\n[\s\S]*?\/Error'\n/, ''));
      const v = createValidators(await loadContract(file));
      expect(() => v.responseValidator('updateJob', 404, JSON_TYPE)).toThrow(/documents no response for status 404 \(documented: 200, 401\)/);
    });
  });

  it('a schema ajv cannot compile is a user error naming the file and the place', async () => {
    const file = contractCopy((t) =>
      t.replace('format: date-time\n                  description: An ISO', 'format: not-a-format\n                  description: An ISO'),
    );
    const contract = await loadContract(file);
    expect(() => createValidators(contract)).toThrow(UserError);
    expect(() => createValidators(contract)).toThrow(
      /contract\.yaml: #\/paths\/~1v2~1jobs~1\{jobId\}\/put\/requestBody\/content\/application~1json\/schema: schema cannot be compiled: unknown format "not-a-format"/,
    );
  });
});
