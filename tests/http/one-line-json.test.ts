/** Values shown in a one-line message stay on one line, and stay the JSON of the same value. */
import { oneLineJson } from '../../src/http/one-line-json';
import { shownValue } from '../../src/run/marker';
import { describeOriginal } from '../../src/run/job-guard';

const BREAKS = 'CRLF\r\nLF\nCR\rNEL\u0085LS\u2028PS\u2029end';
const LINE_ENDS = /[\n\r\u0085\u2028\u2029]/;

test('every line break and C1 control is escaped; JSON.parse gives the value back', () => {
  const text = oneLineJson({ name: BREAKS, c1: '\u0080\u009f' }) ?? '';
  expect(text).not.toMatch(LINE_ENDS);
  expect(text).not.toMatch(/[\u0080-\u009f]/);
  expect(text).toContain('NEL\\u0085LS\\u2028PS\\u2029end');
  expect(JSON.parse(text)).toEqual({ name: BREAKS, c1: '\u0080\u009f' });
  // What JSON.stringify already writes one line is left as it is.
  expect(oneLineJson({ a: 'é ✓ 😀', n: -2 })).toBe(JSON.stringify({ a: 'é ✓ 😀', n: -2 }));
  expect(oneLineJson(undefined)).toBeUndefined();
});

test('the refusal line of a shared job and the restore lines show such a name on one line', () => {
  expect(shownValue(BREAKS)).not.toMatch(LINE_ENDS);
  expect(describeOriginal({ fields: { name: BREAKS, isProcessing: 0 } })).not.toMatch(LINE_ENDS);
});
