/**
 * The arbitraries follow the contract: change the document, and what is generated changes with it. Nothing about
 * the body fields, the enum, the id range or the key parameter is copied by hand.
 */
import fc from 'fast-check';
import { loadContract } from '../../src/contract/load';
import { buildArbitraries } from '../../src/arbitraries';
import { contractCopy } from '../helpers/contract-copy';

const sample = <T>(arb: fc.Arbitrary<T>, n = 1000) => fc.sample(arb, { seed: 11, numRuns: n });

test('a different isProcessing enum changes what is accepted (numbers derived from the strings)', async () => {
  const file = contractCopy((t) => t.replace("- '-2'", "- '7'"));
  const arbs = buildArbitraries(await loadContract(file));
  const accepted = new Set(sample(arbs.field('isProcessing'), 2000).filter((c) => c.expectation === 'accept').map((c) => JSON.stringify(c.value)));
  expect([...accepted].sort()).toEqual(['"0"', '"1"', '"7"', '0', '1', '7'].sort());
  const rejected = sample(arbs.field('isProcessing'), 2000).filter((c) => c.expectation === 'reject').map((c) => c.value);
  expect(rejected).toContain(8); // a neighbour of the new value
  expect(rejected).toContain('07');
});

test('a non-numeric enum accepts only its strings', async () => {
  const file = contractCopy((t) => t.replace("- '0'\n                    - '1'\n                    - '-2'", "- idle\n                    - busy"));
  const arbs = buildArbitraries(await loadContract(file));
  const accepted = new Set(sample(arbs.field('isProcessing')).filter((c) => c.expectation === 'accept').map((c) => c.value));
  expect([...accepted].sort()).toEqual(['busy', 'idle']);
});

test('an int32 path parameter makes 2^31 invalid', async () => {
  const file = contractCopy((t) => t.replace('schema:\n            type: integer', 'schema:\n            type: integer\n            format: int32'));
  const arbs = buildArbitraries(await loadContract(file));
  const cases = sample(arbs.jobId({ existing: 241, missing: 999999 }), 3000);
  expect(cases.find((c) => c.segment === String(2 ** 31))?.expectation).toBe('invalid');
  expect(cases.find((c) => c.segment === String(2 ** 31 - 1))?.expectation).toBe('missing');
});

test('a renamed key parameter, and a request body property the Job lacks, are followed', async () => {
  const file = contractCopy((t) => t.replace('name: key\n      in: query', 'name: api_key\n      in: query'));
  const arbs = buildArbitraries(await loadContract(file));
  expect(new Set(sample(arbs.auth).flatMap((c) => (c.queryParameter ? [c.queryParameter] : [])))).toEqual(new Set(['api_key']));
  // processingErrorMsg is not a Job property: never in expectedChanges
  for (const c of sample(arbs.validBody)) expect(c.expectedChanges.processingErrorMsg).toBeUndefined();
});

test('body fields come from the document, by kind: a renamed field is generated under its new name, the old name is a user error', async () => {
  const file = contractCopy((t) => t.replace('                processingErrorMsg:\n', '                errorMessage:\n'));
  const arbs = buildArbitraries(await loadContract(file));
  expect(Object.keys(arbs.fields).sort()).toEqual(['due', 'errorMessage', 'isProcessing', 'name']);
  expect(sample(arbs.field('errorMessage'), 200).some((c) => typeof c.value === 'string')).toBe(true);
  expect(() => arbs.field('processingErrorMsg')).toThrow(/no property 'processingErrorMsg'/);
});
