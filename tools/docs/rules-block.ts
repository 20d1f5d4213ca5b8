/**
 * The "Where each rule comes from" block of contracts/BEHAVIOUR.md, from src/contract/rules.ts: each rule's id, its
 * statement, whether it is an open choice, and its sources; then the advice, each with the open rule it takes a side
 * of. The statements above the block carry the ids; tests/contract/rules.test.ts holds the two together.
 */
import { ADVICE, describeSource, RULES, type Source } from '../../src/contract/rules';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** A source with its passage whole (a finding shows its opening words). */
const whole = (source: Source) => (source.kind === 'team' ? `BEHAVIOUR.md (${source.section}): "${source.quote}"` : describeSource(source));

export function renderRuleSources(): string {
  const rules = Object.entries(RULES).map(
    ([id, rule]) =>
      `| \`${id}\` | ${rule.open === true ? 'open: ' : ''}${cell(rule.statement)} | ${rule.sources.map((s) => cell(whole(s))).join('<br>')} |`,
  );
  const advice = Object.entries(ADVICE).map(([id, a]) => `| \`${id}\` | ${cell(a.statement)} | \`${a.rule}\` | ${cell(a.reason)} |`);
  return [
    '| rule | statement | sources |',
    '| --- | --- | --- |',
    ...rules,
    '',
    'Advice (an advisory, never a failure unless `--fail-on-advisory`):',
    '',
    '| advice | what we would prefer | of the open rule | why it is only advice |',
    '| --- | --- | --- | --- |',
    ...advice,
  ].join('\n');
}
