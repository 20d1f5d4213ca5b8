/**
 * Group 4, ids: the missing job gets 404; ids that are not positive integers get a 4xx with the Error body; spellings
 * BEHAVIOUR.md leaves open (leading zero, leading +) get a conformant answer either way. None touches the run's job,
 * so they run concurrently (up to --concurrency).
 */
import type { CaseDef } from '../case/case';
import { jsonRequest } from './common';

/** Not positive integers, as sent on the wire (percent-encoded where needed). */
export const INVALID_ID_SEGMENTS: ReadonlyArray<readonly [string, string]> = [
  ['letters', 'abc'],
  ['decimal', '1.5'],
  ['negative', '-1'],
  ['zero', '0'],
  ['exponent', '1e3'],
  ['2^63', '9223372036854775808'],
  ['2^64', '18446744073709551616'],
  ['digits then letters', '241abc'],
  ['hexadecimal', '0x1F'],
  ['space', '%20'],
  ['empty', ''],
];

export const OPEN_ID_SEGMENTS: ReadonlyArray<readonly [string, (jobId: number) => string]> = [
  ['leading zero', (id) => `0${id}`],
  ['leading +', (id) => `%2B${id}`],
];

export const ID_CASES: readonly CaseDef[] = [
  {
    name: 'the missing job id gets 404',
    estimate: () => 1,
    independent: true,
    run: async (s) => {
      await s.send(jsonRequest(s, {}, s.auth, String(s.missingJobId)), { expect: { kind: 'not-found' } });
    },
  },
  ...INVALID_ID_SEGMENTS.map(
    ([label, segment]): CaseDef => ({
      name: `id ${label} (${JSON.stringify(segment)}) gets a 4xx with the Error body`,
      estimate: () => 1,
      independent: true,
      run: async (s) => {
        await s.send(jsonRequest(s, {}, s.auth, segment), { expect: { kind: 'invalid-id' } });
      },
    }),
  ),
  ...OPEN_ID_SEGMENTS.map(
    ([label, segment]): CaseDef => ({
      name: `id with a ${label} gets a conformant answer either way`,
      estimate: () => 1,
      probe: true,
      run: async (s) => {
        await s.send(jsonRequest(s, {}, s.auth, segment(s.jobId)), { expect: { kind: 'observe', rule: 'id.open-spellings' } });
      },
    }),
  ),
];
