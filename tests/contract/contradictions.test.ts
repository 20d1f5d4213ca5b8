/** The self-contradiction detector the model and the lint share: what contradicts a type, and what does not. */
import type { OpenAPIV3 } from 'openapi-types';
import { contradictionsOf, selfContradiction } from '../../src/contract/contradictions';
import { describeKind, kindOf } from '../../src/contract/kinds';

const by = (schema: object) => contradictionsOf(schema as OpenAPIV3.SchemaObject).map((c) => c.by);

describe('a field that contradicts itself', () => {
  it.each([
    ['an integer described as an ISO date', { type: 'integer', description: 'An ISO string date.' }, ['description']],
    ['an integer with a date-time example', { type: 'integer', example: '2021-10-05T14:48:00.000Z' }, ['example']],
    ['an integer with format date-time', { type: 'integer', format: 'date-time' }, ['format']],
    ['a string whose enum has numbers', { type: 'string', enum: [0, 1, -2] }, ['enum']],
    ['a boolean with format int32', { type: 'boolean', format: 'int32' }, ['format']],
    ['a number described as RFC 3339 time', { type: 'number', description: 'The time, RFC 3339.' }, ['description']],
    ['a 3.1 integer whose examples hold a string', { type: ['integer', 'null'], examples: [1, 'soon'] }, ['example']],
  ])('%s', (_, schema, expected) => {
    expect(by(schema)).toEqual(expected);
  });

  it.each([
    ['a date-time string described as an ISO date', { type: 'string', format: 'date-time', description: 'An ISO string date.' }],
    ['an integer counted in epoch seconds', { type: 'integer', description: 'The due date, as Unix epoch seconds (not an ISO date string).' }],
    ['a string enum of integer spellings', { type: 'string', enum: ['0', '1', '-2'], example: 'ExportError' }],
    ['a nullable integer with a null example', { type: 'integer', nullable: true, example: null }],
    ['a string with format int64 (a big number as text)', { type: 'string', format: 'int64' }],
    ['an object whose example is an array (the example rule judges that)', { type: 'object', example: [1] }],
    ['no type at all', { description: 'An ISO date.' }],
  ])('not: %s', (_, schema) => {
    expect(by(schema)).toEqual([]);
  });

  it('says how a run treats it: unjudged for dueDate, by the enum rule for an enum of integers', () => {
    expect(selfContradiction({ type: 'integer', description: 'An ISO string date.' })?.treatment.kind).toBe('schema-valid-unjudged');
    expect(selfContradiction({ type: 'string', enum: ['0', '1', -2] } as unknown as OpenAPIV3.SchemaObject)?.treatment.kind).toBe('numeric-enum');
    expect(selfContradiction({ type: 'string', enum: ['a', 2] } as unknown as OpenAPIV3.SchemaObject)?.treatment.kind).toBe('schema-valid-unjudged');
    expect(selfContradiction({ type: 'string' })).toBeUndefined();
  });
});

describe('kinds in words', () => {
  it.each([
    [{ type: 'string' }, 'string'],
    [{ type: 'string', format: 'date-time' }, 'date-time string'],
    [{ type: 'string', format: 'email' }, 'string (format email)'],
    [{ type: 'integer', format: 'int64' }, 'integer (format int64)'],
    [{ type: 'string', enum: ['0', '1', '-2'] }, 'string enum of integers ("0", "1", "-2")'],
    [{ type: 'string', enum: ['a', 'b'] }, 'string enum ("a", "b")'],
    [{ type: 'integer', enum: [1, 2] }, 'integer enum (1, 2)'],
    [{ type: 'array', items: { type: 'string', format: 'date-time' } }, 'array of date-time string'],
    [{ type: ['string', 'integer'] }, 'string or integer'],
    [{ type: ['string', 'null'] }, 'string'],
    [{}, 'any value'],
  ])('%j is %s', (schema, text) => {
    expect(describeKind(kindOf(schema as OpenAPIV3.SchemaObject))).toBe(text);
  });
});
