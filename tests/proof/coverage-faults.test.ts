/**
 * The faults only the coverage group catches (COVERAGE_FAULTS in faults.ts, part of the catalogue) are real: each
 * misbehaves on the coverage values it names, sent to it directly and judged by the
 * values' own expectations, while the reference provider answers the same values right. And every dataset of the
 * phase has such a fault.
 */
import { loadContract } from '../../src/contract/load';
import { operationModel, type OperationModel } from '../../src/contract/model';
import { buildCoverage, type CoverageDatasets, type CoverageValue } from '../../src/coverage';
import { DEFAULT_FIXTURES_FILE, loadFixtures, startReferenceProvider } from '../../src/provider';
import { judge, type Target } from '../coverage/send';
import { COVERAGE_FAULTS, startFaultyProvider, type Fault } from './faults';

const NOW = new Date('2026-12-01T00:00:00Z');
const JOB = 241;
const API_KEY = loadFixtures(DEFAULT_FIXTURES_FILE).apiKeys[0] ?? 'test-key';

let model: OperationModel;
let coverage: CoverageDatasets;

beforeAll(async () => {
  model = operationModel(await loadContract());
  coverage = buildCoverage(model, { ids: { existing: JOB, missing: 999999 }, now: NOW });
});

function targetsOf(fault: Fault): CoverageValue[] {
  const all = coverage.all.flatMap((d) => [...d.values]);
  return (fault.coverageTargets ?? []).map((pattern) => {
    const found = all.filter((v) => (typeof pattern === 'string' ? v.id === pattern : pattern.test(v.id)));
    if (found.length !== 1) throw new Error(`${fault.name}: ${String(pattern)} names ${found.length} coverage values, not one`);
    return found[0]!;
  });
}

test('the coverage faults: at least one per dataset, each naming the values it misbehaves on and the check to catch it', () => {
  expect(COVERAGE_FAULTS.length).toBeGreaterThanOrEqual(9);
  for (const fault of COVERAGE_FAULTS) {
    expect({ name: fault.name, targets: (fault.coverageTargets ?? []).length > 0, caughtBy: fault.caughtBy !== undefined }).toEqual({
      name: fault.name,
      targets: true,
      caughtBy: true,
    });
  }
  const datasets = new Set(COVERAGE_FAULTS.flatMap((fault) => targetsOf(fault).map((v) => v.dataset)));
  expect([...datasets].sort()).toEqual(['date-times', 'integers', 'requests', 'strings']);
});

describe('each coverage fault misbehaves on its values; the reference provider does not', () => {
  test.each(COVERAGE_FAULTS.map((fault) => [fault.name, fault] as const))('%s', async (_name, fault) => {
    const values = targetsOf(fault);
    const reference = await startReferenceProvider({ port: 0 });
    const faulty = await startFaultyProvider(fault);
    try {
      const onReference: string[] = [];
      const onFaulty: string[] = [];
      for (const value of values) {
        const right = await judge({ url: reference.url, apiKey: API_KEY, model, jobId: JOB } satisfies Target, value);
        if (!right.ok) onReference.push(`${value.id}: ${right.why}`);
        const wrong = await judge({ url: faulty.url, apiKey: API_KEY, model, jobId: JOB } satisfies Target, value);
        if (wrong.ok) onFaulty.push(`${value.id}: answered as expected`);
        else process.stdout.write(`${fault.name} on ${value.id}: ${wrong.why}\n`);
      }
      // The reference answers each value right; the faulty provider answers none of them right.
      expect({ onReference, onFaulty }).toEqual({ onReference: [], onFaulty: [] });
    } finally {
      await faulty.close();
      await reference.close();
    }
  });
});
