/** The key scan finds the key plain, URL-encoded and inside base64 Basic credentials, in text and in files. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { keyForms, redactor, REDACTED, scanPaths, scanText } from '../../src/reports/key-scan';

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
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'key-scan-'));
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
  expect(clean.split(REDACTED)).toHaveLength(4);
});
