/**
 * The README's fault table, generated from the catalogue (tests/proof/faults.ts), so the two cannot drift:
 * `npm run proof:table` rewrites it between the `proof:faults` markers; faults.test.ts fails when it is stale.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FAULTS, type Fault } from './faults';

export const README = path.join(__dirname, '..', '..', 'README.md');
const START = '<!-- proof:faults -->';
const END = '<!-- /proof:faults -->';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function faultTable(faults: readonly Fault[] = FAULTS): string {
  const rows = faults.map(
    (fault) =>
      `| \`${fault.name}\` | ${cell(fault.departure)} | ${fault.caughtBy === undefined ? '(no verdict possible)' : `\`${fault.caughtBy}\``} | ${fault.exit} |`,
  );
  return ['| fault | departure from BEHAVIOUR.md | caught by | exit |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/** The table as the README has it now, or undefined when the markers are missing. */
export function readmeTable(text: string = fs.readFileSync(README, 'utf8')): string | undefined {
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) return undefined;
  return text.slice(start + START.length, end).trim();
}

export function withTable(text: string, table: string = faultTable()): string {
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) {
    throw new Error(`README.md has no ${START} ... ${END} markers (inside the proof section); add them first`);
  }
  return `${text.slice(0, start + START.length)}\n${table}\n${text.slice(end)}`;
}

if (require.main === module) {
  const text = fs.readFileSync(README, 'utf8');
  const next = withTable(text);
  if (next === text) process.stdout.write('README.md: the fault table is up to date\n');
  else {
    fs.writeFileSync(README, next);
    process.stdout.write(`README.md: fault table rewritten (${FAULTS.length} faults)\n`);
  }
}
