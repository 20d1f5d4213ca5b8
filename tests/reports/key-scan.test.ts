/** The key scan finds the key plain, URL-encoded and inside base64 Basic credentials, in text and in files. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { keyForms, redactor, REDACTED, scanPaths, scanText } from '../../src/http/key-scan';
import { tempDir } from '../helpers/temp';

const KEY = 'sk live/key+1';

test('plain, URL-encoded and base64 (Basic header, at any offset) are found; clean text is not', () => {
  expect(scanText(KEY, `key=${KEY}`, 'a')).toEqual([{ where: 'a', form: 'plain' }]);
  expect(scanText(KEY, `?key=${encodeURIComponent(KEY)}`, 'b')).toEqual([{ where: 'b', form: 'url-encoded' }]);
  const basic = `Authorization: Basic ${Buffer.from(`${KEY}:${KEY}`).toString('base64')}`;
  expect(scanText(KEY, basic, 'c').map((l) => l.form)).toContain('base64');
  for (const prefix of ['x', 'xy', 'xyz']) {
    const embedded = Buffer.from(`${prefix}${KEY}:${KEY}trailing`).toString('base64');
    expect(scanText(KEY, embedded, 'd').length).toBeGreaterThan(0);
  }
  expect(scanText(KEY, 'curl -u "$LILT_API_KEY:$LILT_API_KEY"', 'e')).toEqual([]);
  expect(keyForms(KEY).every((form) => form.length >= 4)).toBe(true);
});

test('files under a directory are scanned, and name where the key was', () => {
  const dir = tempDir('key-scan-');
  try {
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.writeFileSync(path.join(dir, 'clean.md'), 'nothing here');
    fs.writeFileSync(path.join(dir, 'sub', 'leak.json'), JSON.stringify({ url: `https://x/?key=${encodeURIComponent(KEY)}` }));
    const leaks = scanPaths(KEY, [dir]);
    expect(leaks).toEqual([{ where: path.join(dir, 'sub', 'leak.json'), form: 'url-encoded' }]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('redaction removes every form of the key from a text a target echoed', () => {
  const redact = redactor(KEY);
  const echoed = `url ?key=${encodeURIComponent(KEY)} header Basic ${Buffer.from(`${KEY}:${KEY}`).toString('base64')} plain ${KEY}`;
  const clean = redact(echoed);
  expect(scanText(KEY, clean, 'x')).toEqual([]);
  expect(clean.split(REDACTED).length).toBeGreaterThanOrEqual(4); // each of the three echoes (base64 may leave a fragment between two)
});

test('every form a target may echo the key in is found and redacted: base64(url) of the key and of key:key, either-case percent-encoding, JSON \\u escapes, hex, split across lines', () => {
  const key = 'sk-live_Key/42+xyz';
  const b64 = (text: string) => Buffer.from(text).toString('base64');
  const echoes: ReadonlyArray<readonly [string, string, string]> = [
    ['base64 of the key alone', `token ${b64(key)} end`, 'base64'],
    ['base64url of key:key', Buffer.from(`${key}:${key}`).toString('base64url'), 'base64'],
    ['lower-case percent-encoding', encodeURIComponent(key).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()), 'url-encoded'],
    ['every byte percent-encoded', [...Buffer.from(key)].map((b) => `%${b.toString(16)}`).join(''), 'url-encoded'],
    ['JSON \\u escapes', `{"m":"${[...key].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}"}`, 'json-escaped'],
    ['hex', Buffer.from(key).toString('hex').toUpperCase(), 'hex'],
    ['split by a newline', `${key.slice(0, 6)}\n${key.slice(6)}`, 'split across lines'],
    ['split by a JSON \\n', JSON.stringify(`${key.slice(0, 6)}\n${key.slice(6)}`), 'split across lines'],
    ['XML-escaped in junit.xml', key.replace(/-/g, '&#45;'), 'xml-escaped'],
  ];
  const redact = redactor(key);
  for (const [label, text, form] of echoes) {
    expect({ label, forms: scanText(key, text, 'x').map((l) => l.form) }).toEqual({ label, forms: [form] });
    const clean = redact(text);
    expect({ label, after: scanText(key, clean, 'x') }).toEqual({ label, after: [] });
    expect(clean).toContain(REDACTED);
  }
  expect(scanText(key, 'sk-live and Key/42 apart, $LILT_API_KEY', 'x')).toEqual([]);
});

test('a key shorter than 4 characters is not looked for as text (it would match ordinary words)', () => {
  expect(scanText('k', 'a key k in a kettle', 'x')).toEqual([]);
});

test('the near misses the auth group sends give the key away too: case swapped, one character short', () => {
  const key = 'Abc123-secret-KEY';
  const swapped = [...key].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('');
  for (const echoed of [swapped, key.slice(0, -1), `${key}x`]) {
    const text = `{"message":"bad key ${echoed}"}`;
    expect(scanText(key, text, 'body').length).toBeGreaterThan(0);
    expect(redactor(key)(text)).not.toMatch(new RegExp(key.slice(0, -1), 'i'));
  }
});
