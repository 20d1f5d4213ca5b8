/**
 * docs/proof.md, for the person deciding whether to trust a verdict (or adding a check): how the project shows that
 * the run catches what it claims and raises no false alarm. The fault table and the counts come from the catalogue
 * (tests/proof/faults.ts), the checks from the registry, the Prism findings from tests/proof/prism-findings.ts.
 *
 * It reads the test tree, which is why the generators live in tools/, outside the package's src/.
 */
import type { Check } from '../../src/checks/types';
import { ADVISED, FAULTS, KNOWN_MISSES, type Fault } from '../../tests/proof/faults';
import { TRUE_ON_PRISM } from '../../tests/proof/prism-findings';
import { cell, generatedNotice, table } from './markdown';

const code = (text: string) => `\`${text}\``;

function faultRow(fault: Fault): string[] {
  return [code(fault.name), cell(fault.departure), fault.caughtBy === undefined ? '(no verdict possible)' : code(fault.caughtBy), String(fault.exit)];
}

export function renderProofPage(checks: readonly Check[]): string {
  const ids = checks.map((check) => check.id);
  const lines: string[] = [
    ...generatedNotice('the fault catalogue (tests/proof/faults.ts), the check registry and tests/proof/prism-findings.ts', 'tools/docs/proof-page.ts'),
    '# The proof: the run catches what it claims, and raises no false alarm',
    '',
    'For the person deciding whether to trust a verdict, or adding a check. `tests/proof/` shows it rather than',
    'assuming it, and all of it runs in `npm test` (`npm run proof` runs it alone; `PROOF_ONLY=name,name` just those',
    'faults). Each run is the engine called with the CLI\'s arguments against a provider on loopback; the Prism test',
    'runs the CLI itself, as a child process.',
    '',
    '## No false alarms',
    '',
    'The unmodified reference provider exits 0, and so does `tests/proof/conformant-variant.ts`, a second provider',
    'written independently (plain `node:http`, its own RFC 3339 parser, nothing imported from `src/provider/`), in',
    'two flavours (`lenient` and `strict`) that between them take both sides of every open choice of',
    '[BEHAVIOUR.md](../contracts/BEHAVIOUR.md) (a `due` written back in UTC or as sent, 400 or 404 for a non-integer id,',
    'the non-RFC date forms accepted or refused, ...), each unlike the reference. `tests/proof/open-choices.test.ts` names',
    'the side each provider takes on each row of BEHAVIOUR.md\'s "Open choices" table, and probes it: a row without a',
    'provider on each side fails. The header of `tests/proof/conformant-variant.ts` lists every choice each flavour makes.',
    '',
    '## Every fault is caught, and every check can fail',
    '',
    `The catalogue holds ${FAULTS.length} faults, each one departure from BEHAVIOUR.md, injected into the reference`,
    'provider by fastify hooks around `createReferenceApp()` (the provider\'s code stays clean), one fault per app. The',
    'test asserts the exit code and that the named check is among the failed checks; for a target',
    'that stops answering, exit 3 and a line saying why. It also fails when a check of the registry is named by no',
    'fault, or failed by none: a check no fault trips proves nothing.',
    '',
    'Four checks never fail alone, by construction, and are the first to name the fault: `schema.no-server-error` (a',
    '5xx is never the status any other check expects), `schema.status-documented` (a 201 or 204 is also not the 200',
    '`semantics.update-accepted` wants), `auth.valid-key-accepted` (a valid key refused also breaks what that request expected) and',
    '`auth.methods-agree` (a Job that differs by auth method differs from what one of the two requests set).',
    '',
    'A departure the run does not catch yet goes into `KNOWN_MISSES` in `faults.ts` and runs as `test.failing`: the',
    'day the run catches it, that test fails and the fault moves into the catalogue.',
    KNOWN_MISSES.length === 0 ? 'There are none.' : `There are ${KNOWN_MISSES.length}: ${KNOWN_MISSES.map((fault) => code(fault.name)).join(', ')}.`,
    '',
    '### Faults per check',
    '',
    ...table(
      ['check', 'faults naming it'],
      ids.map((id) => [code(id), String(FAULTS.filter((fault) => fault.caughtBy === id).length)]),
    ),
    '',
    '### The catalogue',
    '',
    ...table(['fault', 'departure from BEHAVIOUR.md', 'caught by', 'exit'], FAULTS.map(faultRow)),
    '',
    '### Advised, not faults',
    '',
    'Behaviours the contract allows (an open choice) but the tool advises against: each must end conformant (exit 0)',
    'with its advisory, and exit 1 under `--fail-on-advisory`.',
    '',
    ...table(['behaviour', 'what it does', 'advice'], ADVISED.map((advised) => [code(advised.name), cell(advised.behaviour), code(advised.advice)])),
    '',
    '## A third-party mock: Stoplight Prism',
    '',
    '`tests/proof/prism.test.ts` starts `prism mock` (`@stoplight/prism-cli`, offline) on the contract and runs the',
    'suite against it. Prism answers from the document\'s examples and keeps no state, so the run exits 1, and every',
    'finding is true. The test asserts that only these checks fail:',
    '',
    ...table(
      ['check that fails on Prism', 'why it is true'],
      Object.entries(TRUE_ON_PRISM).map(([id, why]) => [code(id), cell(why)]),
    ),
    '',
    'No other check fails there: Prism\'s Jobs, 401s and example errors are conformant, and the run says so.',
  ];
  return `${lines.join('\n')}\n`;
}
