/**
 * The last thing a run does: look for the API key in everything it wrote (reports, the run directory, its own
 * output), as written, URL-encoded, and inside a base64 Basic header. Never prints the key: only where it was found.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export function keyForms(apiKey: string): string[] {
  const forms = new Set([
    apiKey,
    encodeURIComponent(apiKey),
    Buffer.from(`${apiKey}:${apiKey}`, 'utf8').toString('base64'),
    // The credentials inside a longer base64 text (a logged header line): each of the three alignments.
    ...[0, 1, 2].map((offset) => base64Core(`${apiKey}:${apiKey}`, offset)),
  ]);
  return [...forms].filter((form) => form.length >= 4);
}

/**
 * The base64 of `secret` as it appears when it starts `offset` bytes (mod 3) into a longer encoded text: the
 * encoding of its whole 3-byte groups from the first group boundary inside it.
 */
function base64Core(secret: string, offset: number): string {
  const bytes = Buffer.from(secret, 'utf8');
  const skip = (3 - offset) % 3;
  const whole = Math.floor((bytes.length - skip) / 3) * 3;
  return whole <= 0 ? '' : bytes.subarray(skip, skip + whole).toString('base64');
}

export interface KeyLeak {
  readonly where: string;
  readonly form: 'plain' | 'url-encoded' | 'base64';
}

function formName(apiKey: string, form: string): KeyLeak['form'] {
  if (form === apiKey) return 'plain';
  if (form === encodeURIComponent(apiKey)) return 'url-encoded';
  return 'base64';
}

export function scanText(apiKey: string, text: string, where: string): KeyLeak[] {
  return keyForms(apiKey)
    .filter((form) => text.includes(form))
    .map((form) => ({ where, form: formName(apiKey, form) }));
}

function filesUnder(target: string): string[] {
  if (!fs.existsSync(target)) return [];
  const stat = fs.statSync(target);
  if (stat.isFile()) return [target];
  if (!stat.isDirectory()) return [];
  return fs.readdirSync(target).flatMap((name) => filesUnder(path.join(target, name)));
}

export function scanPaths(apiKey: string, targets: readonly string[]): KeyLeak[] {
  return targets.flatMap(filesUnder).flatMap((file) => scanText(apiKey, fs.readFileSync(file, 'utf8'), file));
}

/** Shown instead of the key wherever a target echoed it back (an error message quoting the URL or a header). */
export const REDACTED = '[redacted: LILT_API_KEY]';

/**
 * Replaces every form of the key in a text (the target may echo it in a body the run then shows), and each other
 * secret (a secret header's value) as written and URL-encoded, by `[redacted: <its label>]`.
 */
export function redactor(apiKey: string, others: ReadonlyArray<{ readonly value: string; readonly label: string }> = []): (text: string) => string {
  const replacements: Array<readonly [string, string]> = [
    ...keyForms(apiKey).map((form) => [form, REDACTED] as const),
    ...others.flatMap(({ value, label }) =>
      [...new Set([value, encodeURIComponent(value)])].filter((form) => form.length >= 4).map((form) => [form, `[redacted: ${label}]`] as const),
    ),
  ].sort((a, b) => b[0].length - a[0].length);
  return (text) => replacements.reduce((out, [form, shown]) => out.split(form).join(shown), text);
}

/** Where a secret other than the key (a secret header's value) appears in `text`, as written or URL-encoded. */
export function scanSecret(value: string, label: string, text: string, where: string): Array<{ readonly where: string; readonly what: string }> {
  const forms = [...new Set([value, encodeURIComponent(value)])].filter((form) => form.length >= 4);
  return forms.some((form) => text.includes(form)) ? [{ where, what: label }] : [];
}
