/**
 * Every check's declared examples, from the registry, each through `judge` (the declaration applied, then the body),
 * must give the result it declares; and every check declares at least one passing and one failing example, so a
 * body that always passes, or always fails, cannot get through.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadValidators } from '../../src/validation/validators';
import { conformanceFacts, type ConformanceFacts } from '../../src/checks/facts';
import { ALL_CHECKS } from '../../src/checks/registry';
import type { CheckExample } from '../../src/checks/types';
import { judge } from '../../src/case/judge';

let facts: ConformanceFacts;
beforeAll(async () => {
  facts = conformanceFacts(await loadValidators());
});

/** The examples are functions of the facts: the table is built per test, after beforeAll. */
function exampleOf(checkId: string, index: number): CheckExample {
  const check = ALL_CHECKS.find((c) => c.id === checkId);
  const example = check?.examples(facts)[index];
  if (example === undefined) throw new Error(`${checkId} has no example ${index}`);
  return example;
}

/**
 * `test.each` needs the table before the contract loads, so the examples are listed once with a stand-in for the
 * facts that throws if read: an example only holds the facts in its oracle, it does not read them while it is built.
 * The test after the table lists them again with the real facts and compares.
 */
const STAND_IN: ConformanceFacts = new Proxy({} as ConformanceFacts, {
  get(_target, property) {
    throw new Error(`an example read facts.${String(property)} while it was built; examples only hold the facts`);
  },
});
const TABLE = ALL_CHECKS.flatMap((check) =>
  check.examples(STAND_IN).map((example, index) => ({ id: check.id, index, title: example.title, result: example.result })),
);

test.each(TABLE)('$id: $title -> $result', ({ id, index }) => {
  const example = exampleOf(id, index);
  const check = ALL_CHECKS.find((c) => c.id === id)!;
  const result = judge(check, example.exchange, example.oracle);
  expect(result.status).toBe(example.result);
  if (example.result === 'fail' && example.actualContains !== undefined && result.status === 'fail') {
    expect(result.actual).toContain(example.actualContains);
  }
});

test('the table lists every example of every check, as built with the real facts', () => {
  const real = ALL_CHECKS.flatMap((check) => check.examples(facts).map((example) => `${check.id}: ${example.title} -> ${example.result}`));
  expect(TABLE.map(({ id, title, result }) => `${id}: ${title} -> ${result}`)).toEqual(real);
});

test('every check has at least one passing and one failing example', () => {
  const short = ALL_CHECKS.filter((check) => {
    const results = new Set(check.examples(facts).map((example) => example.result));
    return !results.has('pass') || !results.has('fail');
  });
  expect(short.map((check) => check.id)).toEqual([]);
});

test('example titles are unique within a check (a test name and a line of docs/checks.md each)', () => {
  for (const check of ALL_CHECKS) {
    const titles = check.examples(facts).map((example) => example.title);
    expect({ id: check.id, titles: [...new Set(titles)] }).toEqual({ id: check.id, titles });
  }
});

test('the check files leave applicability to the declaration: no expectation or oracle-field guard, and every remaining not-applicable says why', () => {
  const dir = path.join(__dirname, '..', '..', 'src', 'checks');
  for (const check of ALL_CHECKS) {
    const file = `${check.group}/${check.id.slice(check.group.length + 1)}.ts`;
    const lines = fs.readFileSync(path.join(dir, file), 'utf8').split('\n');
    const guards = lines.filter((line) => /expect\.kind|\b(before|after|earlier|otherMethod) === undefined/.test(line));
    const silent = lines.filter((line) => /return NOT_APPLICABLE;\s*$/.test(line));
    expect({ file, guards, silent }).toEqual({ file, guards: [], silent: [] });
  }
});

test('one check a file: src/checks/<group>/<name>.ts holds the check <group>.<name>, and nothing else declares one', () => {
  const dir = path.join(__dirname, '..', '..', 'src', 'checks');
  const files = fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).flatMap((d) => fs.readdirSync(path.join(dir, d.name)).map((f) => `${d.name}/${f}`));
  const expected = ALL_CHECKS.map((check) => `${check.id.split('.')[0]}/${check.id.split('.').slice(1).join('.')}.ts`);
  expect(files.sort()).toEqual([...expected].sort());
  for (const check of ALL_CHECKS) {
    expect([check.id, check.id.split('.')[0]]).toEqual([check.id, check.group]);
    const text = fs.readFileSync(path.join(dir, `${check.group}/${check.id.slice(check.group.length + 1)}.ts`), 'utf8');
    expect([check.id, (text.match(/defineCheck\(/g) ?? []).length, text.includes(`id: '${check.id}'`)]).toEqual([check.id, 1, true]);
  }
  const loose = fs.readdirSync(dir).filter((f) => f.endsWith('.ts')).filter((f) => /defineCheck\(\{/.test(fs.readFileSync(path.join(dir, f), 'utf8')));
  expect(loose).toEqual([]);
});