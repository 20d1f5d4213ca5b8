/**
 * Redaction that survives every writer (issue 22): the key in each form a target may echo it in, put through each
 * escaping the run's writers make (JSON once and twice as findings.json does, HTML, XML, Markdown, a workflow
 * command), is found by the final scan and taken out by the redaction applied after that escaping: once the writer's
 * escaping is undone, the form is gone. Also a non-ASCII key, and its UTF-8 read as Latin-1 (a header's value).
 */
import { redactor, redactForExcerpt, redactExcerpts, scanText } from '../../src/http/key-scan';
import { escapeData, escapeProperty } from '../../src/reports/annotations';
import { mdText } from '../../src/reports/files';
import { html } from '../../src/reports/html';
import { xmlContent, xmlText } from '../../src/reports/junit';
import { retryAfterOf } from '../../src/http/rate-limiter';
import { trimText } from '../../src/case/finding';
import { HOSTILE_KEY } from '../conformance/hostile-target';

const NON_ASCII_KEY = 'S3kr/t+Key=42#ü~x';

/** The forms of a key a target may echo, each computed here from the key (not from the run's patterns). */
function formsOf(key: string): Record<string, string> {
  const both = `${key}:${key}`;
  const utf16 = [...key].flatMap((c) => [...Array(c.length).keys()].map((i) => c.charCodeAt(i)));
  const forms: Record<string, string> = {
    plain: key,
    'percent-encoded': encodeURIComponent(key),
    'percent-encoded, lower case': encodeURIComponent(key).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    'every character percent-encoded': [...Buffer.from(key, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join(''),
    'JSON \\u escapes': utf16.map((c) => `\\u${c.toString(16).padStart(4, '0')}`).join(''),
    'JSON \\u escapes, upper case': utf16.map((c) => `\\u${c.toString(16).padStart(4, '0').toUpperCase()}`).join(''),
    'decimal entities': [...key].map((c) => `&#${c.codePointAt(0)};`).join(''),
    'hex entities': [...key].map((c) => `&#x${c.codePointAt(0)!.toString(16)};`).join(''),
    'base64 of key:key': Buffer.from(both).toString('base64'),
    'base64url of key:key': Buffer.from(both).toString('base64url'),
    'base64 of the key': Buffer.from(key).toString('base64'),
    hex: Buffer.from(key).toString('hex'),
    'split by a line break': `${key.slice(0, 6)}\n${key.slice(6)}`,
  };
  if (/[^\x00-\x7f]/.test(key)) forms['UTF-8 read as Latin-1'] = Buffer.from(key, 'utf8').toString('latin1');
  return forms;
}

const decodeEntities = (text: string) =>
  text
    .replace(/&#x([0-9a-f]+);/gi, (_m, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_m, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

/** Each writer's escaping, and its undoing (what a reader of that output sees). */
const WRITERS: ReadonlyArray<readonly [string, (text: string) => string, (text: string) => string]> = [
  ['the terminal (as is)', (t) => t, (t) => t],
  ['JSON', (t) => JSON.stringify(t), (t) => JSON.parse(t) as string],
  ['JSON twice (findings.json of a JSON body)', (t) => JSON.stringify(JSON.stringify(t)), (t) => JSON.parse(JSON.parse(t) as string) as string],
  ['HTML', html, decodeEntities],
  ['HTML twice', (t) => html(html(t)), (t) => decodeEntities(decodeEntities(t))],
  ['XML attribute', xmlText, decodeEntities],
  ['XML content', xmlContent, decodeEntities],
  ['Markdown', mdText, (t) => t.replace(/\\([\\`*_{}[\]<>|#])/g, '$1')],
  ['a workflow command message', escapeData, (t) => t.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%')],
  ['a workflow command property', escapeProperty, (t) => t.replace(/%2C/g, ',').replace(/%3A/g, ':').replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%')],
];

describe.each([
  ['an ASCII key', HOSTILE_KEY],
  ['a non-ASCII key', NON_ASCII_KEY],
])('%s', (_label, key) => {
  const redact = redactor(key);
  const cases = WRITERS.flatMap(([writer, write, read]) => Object.entries(formsOf(key)).map(([form, text]) => [form, writer, text, write, read] as const));
  test.each(cases)('%s, through %s: found by the scan, gone once redacted', (_form, _writer, form, write, read) => {
    const original = `upstream said: ${form} (end)`;
    const written = write(original);
    // Markdown and the terminal flatten line breaks in their own way: the form as each writer would show it.
    expect(scanText(key, written, 'output')).not.toEqual([]);
    const redacted = redact(written);
    expect(scanText(key, redacted, 'output')).toEqual([]);
    const seen = read(redacted);
    expect(seen).not.toContain(form);
    expect(seen).toContain('[redacted: LILT_API_KEY]');
    expect(seen).toMatch(/^upstream said: .*\(end\)$/s);
  });
});

test('an excerpt is redacted before it is cut: a Retry-After and a long body never show a part of the key', () => {
  const release = redactExcerpts(redactor(HOSTILE_KEY));
  try {
    const encoded = [...HOSTILE_KEY].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('');
    const header = `later ${encoded}`;
    expect(retryAfterOf(header, 60_000).said).not.toContain(encoded.slice(0, 12));
    expect(retryAfterOf(header, 60_000).said).toContain('[redacted: LILT_API_KEY]');
    const body = `${'x'.repeat(590)}${HOSTILE_KEY}`;
    expect(trimText(body, 600)).not.toContain(HOSTILE_KEY.slice(0, 8));
    expect(redactForExcerpt(`a ${HOSTILE_KEY}`)).toBe('a [redacted: LILT_API_KEY]');
  } finally {
    release();
  }
  // Released: no run, no redaction of excerpts.
  expect(redactForExcerpt(`a ${HOSTILE_KEY}`)).toBe(`a ${HOSTILE_KEY}`);
});
