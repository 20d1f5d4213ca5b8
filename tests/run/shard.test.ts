/**
 * --shard i/n: the shards together run exactly the unsharded plan, each case once; the rate is shared; a spec that
 * does not parse is one line, exit 2.
 */
import { resolveRunConfig } from '../../src/config/run-config';
import { loadContract, type Contract } from '../../src/contract/load';
import { conformanceFacts, type ConformanceFacts } from '../../src/checks/facts';
import { planOf } from '../../src/run/plan';
import { runConformance } from '../../src/run/run';
import { createValidators } from '../../src/validation/validators';
import { userErrorOf } from '../helpers/user-error';

let contract: Contract;
let facts: ConformanceFacts;
beforeAll(async () => {
  contract = await loadContract();
  facts = conformanceFacts(createValidators(contract));
});

const names = (shard?: string) => {
  const { config } = resolveRunConfig({ runs: '5', seed: '1', ...(shard ? { shard } : {}) }, {}, contract);
  return planOf(config, facts, [242, 243]).flatMap((suite) => suite.cases.map((c) => `${suite.id} › ${c.def.name}`));
};

test.each([2, 3, 5])('%i shards together run exactly the unsharded plan, each case once', (n) => {
  const all = names();
  const parts = Array.from({ length: n }, (_, i) => names(`${i + 1}/${n}`));
  expect(parts.flat().sort()).toEqual([...all].sort());
  for (const part of parts) expect(part.length).toBeGreaterThan(0);
  expect(new Set(parts.flat()).size).toBe(all.length);
});

test('a shard shares the rate: the documented quota split across the matrix', () => {
  const env = { LILT_API_KEY: 'k', LILT_JOB_ID: '7' };
  const whole = resolveRunConfig({ target: 'https://staging.example.com' }, env, contract).config.rate;
  const third = resolveRunConfig({ target: 'https://staging.example.com', shard: '2/3' }, env, contract).config.rate;
  expect(whole.kind === 'per-minute' && third.kind === 'per-minute' && third.perMinute).toBe(
    whole.kind === 'per-minute' ? Math.floor(whole.perMinute / 3) : -1,
  );
});

test.each(['0/2', '3/2', 'a/b', '1/0', '2', ''])('shard spec %p is one line, exit 2', (spec) => {
  const error = userErrorOf(() => resolveRunConfig({ shard: spec }, {}, contract));
  expect(error.exitCode).toBe(2);
  expect(error.message).toMatch(/--shard must be i\/n with 1 <= i <= n/);
});

test('a sharded run against the reference provider runs its share and is conformant', async () => {
  const { config } = resolveRunConfig({ runs: '5', seed: '1', shard: '2/3' }, {}, contract);
  const result = await runConformance({ config, contract });
  expect(result.verdict).toEqual({ kind: 'conformant' });
  expect(result.planned).toBe(names('2/3').length);
}, 60_000);
