/** The workflow annotations' escaping, as the GitHub runner reads a workflow command. */
import { escapeData, escapeProperty } from '../../src/reports/annotations';

/** The runner's reading of an escaped value (its unescaping, in the other order). */
function unescape(text: string): string {
  return text.replace(/%2C/g, ',').replace(/%3A/g, ':').replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%');
}

test('a message: %, CR and LF escaped, and read back as it was', () => {
  const text = 'expected: 100%\r\nactual: %0A, "a:b"';
  const escaped = escapeData(text);
  expect(escaped).toBe('expected: 100%25%0D%0Aactual: %250A, "a:b"');
  expect(escaped).not.toMatch(/[\r\n]/);
  expect(unescape(escaped)).toBe(text);
});

test('a property (the title): also : and , escaped, so "::" cannot end it early', () => {
  const title = 'lilt-conformance schema.x: a, b::c%';
  const escaped = escapeProperty(title);
  expect(escaped).not.toMatch(/[:,\r\n]/);
  expect(unescape(escaped)).toBe(title);
});
