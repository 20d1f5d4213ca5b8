/**
 * Every rule has a source, and every source says what it is cited for: each normative statement of
 * contracts/BEHAVIOUR.md names its rule, each rule (src/contract/rules.ts) names its sources, each source resolves
 * (a path in the OpenAPI document, a passage of the team's BEHAVIOUR.md, an RFC section the table knows), each check
 * names the rules it enforces, each expectation kind has a rule, and each piece of advice takes a side of an open rule.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadContract, type Contract } from '../../src/contract/load';
import { ADVICE, RFC_SECTIONS, RULES, type Source } from '../../src/contract/rules';
import { ALL_CHECKS } from '../../src/checks/registry';
import { DEFAULT_RULES } from '../../src/checks/types';

const ROOT = path.join(__dirname, '..', '..');
const BEHAVIOUR = fs.readFileSync(path.join(ROOT, 'contracts', 'BEHAVIOUR.md'), 'utf8');
const TEAM_FILE = path.join(ROOT, 'contracts', 'team-BEHAVIOUR.md');
const TEAM = fs.readFileSync(TEAM_FILE, 'utf8');
const SHARED = path.join(ROOT, '..', 'shared', 'BEHAVIOUR.md');

const squash = (text: string) => text.replace(/\s+/g, ' ');

let contract: Contract;
beforeAll(async () => {
  contract = await loadContract();
});

/** The value at a JSON pointer of the raw document, or undefined. */
function at(document: unknown, pointer: string): unknown {
  return pointer
    .split('/')
    .slice(1)
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, token) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[token] : undefined), document);
}

/** Why a source does not resolve, or undefined when it does. */
function unresolved(source: Source): string | undefined {
  switch (source.kind) {
    case 'document':
      return at(contract.raw, source.pointer) === undefined ? `no #${source.pointer} in the document` : undefined;
    case 'team':
      return squash(TEAM).includes(squash(source.quote)) ? undefined : `not in team-BEHAVIOUR.md: "${source.quote}"`;
    case 'rfc':
      return RFC_SECTIONS[`RFC ${source.rfc} ${source.section}`] === undefined ? `RFC ${source.rfc} ${source.section} is not in RFC_SECTIONS` : undefined;
  }
}

/** The statements (bullets) of the normative sections, each with the rule ids it names. */
function statements(): Array<{ section: string; text: string; rules: string[] }> {
  const out: Array<{ section: string; text: string; rules: string[] }> = [];
  let section = '';
  let current: { section: string; text: string; rules: string[] } | undefined;
  for (const line of BEHAVIOUR.split('\n')) {
    if (line.startsWith('## ')) {
      section = line.slice(3);
      current = undefined;
      continue;
    }
    if (line.startsWith('- ')) {
      current = { section, text: line, rules: [] };
      out.push(current);
    } else if (current && line.startsWith('  ')) current.text += ` ${line.trim()}`;
    else current = undefined;
  }
  for (const s of out) s.rules = [...s.text.matchAll(/\(rule: ([\w.-]+)\)/g)].map((m) => m[1] as string);
  return out;
}

/** Sections whose every bullet is a statement a provider is held to. */
const NORMATIVE = ['Auth (checked before anything else)', 'The path id', 'The body (optional; a JSON object, Content-Type application/json)', 'Size', 'The request envelope (the same request in the shapes real clients send it)', 'Responses'];

test('every rule resolves: its document paths, its passages of the team\'s reading, its RFC sections', () => {
  const broken = Object.entries(RULES).flatMap(([id, rule]) => rule.sources.map(unresolved).filter((why) => why !== undefined).map((why) => `${id}: ${why}`));
  expect(broken).toEqual([]);
});

test('the check can fail: a misquoted passage and a path the document lacks are caught', () => {
  expect(unresolved({ kind: 'team', section: 'Auth', quote: 'a wrong key beside the key must be 401' })).toMatch(/not in team-BEHAVIOUR.md/);
  expect(unresolved({ kind: 'document', pointer: '/components/schemas/NoSuchSchema' })).toMatch(/no #/);
  expect(unresolved({ kind: 'rfc', rfc: 9110, section: '99.9' })).toMatch(/not in RFC_SECTIONS/);
});

test('every normative statement of contracts/BEHAVIOUR.md names a rule, and only rules that exist', () => {
  const found = statements().filter((s) => NORMATIVE.includes(s.section));
  expect(found.length).toBeGreaterThan(40);
  const untagged = found.filter((s) => s.rules.length === 0 && !/outside this contract/.test(s.text)).map((s) => s.text.slice(0, 80));
  expect(untagged).toEqual([]);
  const unknown = found.flatMap((s) => s.rules).filter((id) => !(id in RULES));
  expect(unknown).toEqual([]);
});

test('every rule is stated in contracts/BEHAVIOUR.md', () => {
  const stated = new Set(statements().flatMap((s) => s.rules));
  expect(Object.keys(RULES).filter((id) => !stated.has(id))).toEqual([]);
});

test('every check names the rules it enforces, and each is a rule', () => {
  for (const check of ALL_CHECKS) {
    expect([check.id, check.rules.length > 0, check.rules.every((id) => id in RULES)]).toEqual([check.id, true, true]);
  }
});

test('every kind of expectation applies a rule (an open input names its own)', () => {
  for (const [kind, id] of Object.entries(DEFAULT_RULES)) expect([kind, id in RULES]).toEqual([kind, true]);
});

test('each piece of advice takes a side of an open rule, and says why it is only advice', () => {
  for (const [id, advice] of Object.entries(ADVICE)) {
    const rule = RULES[advice.rule];
    expect([id, rule.open, advice.reason.length > 40]).toEqual([id, true, true]);
    expect(BEHAVIOUR).toContain(`(${id})`);
  }
});

test("team-BEHAVIOUR.md is the team's page, byte for byte (when the team's is beside the checkout)", () => {
  if (!fs.existsSync(SHARED)) return; // a clone on its own: the kept copy is all there is
  expect(fs.readFileSync(TEAM_FILE).equals(fs.readFileSync(SHARED))).toBe(true);
});
