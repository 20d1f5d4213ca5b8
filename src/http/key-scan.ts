/**
 * The key, in every form a target may echo it in, for the one redaction every line and report of a run passes
 * through, and for the last thing a run does: look for the key in what it wrote (the files it wrote, never others in
 * the report directory, and its own output). Both use the same patterns. Never prints the key: only where it was.
 *
 * Forms: the key as text, where each character may be itself, percent-encoded (either case), a JSON `\u` escape
 * (either case) or JSON's own escape, an XML or HTML entity (named, decimal, hex), a Markdown backslash escape, and
 * (a non-ASCII character) its UTF-8 bytes read as Latin-1, as a header's value is; base64 and base64url of the key and
 * of `key:key` (at each of the three alignments inside a longer base64 text); hex of both (either case). In every form
 * a line break (raw, JSON's `\n`, a workflow command's `%0A`, or the space a writer that flattens lines puts in its
 * place) may split it between any two characters.
 *
 * Every writer escapes again what it is given (JSON doubles a backslash, HTML and XML turn `&` into `&amp;`, a workflow
 * command turns `%` into `%25`), so each escape is matched under any number of such layers: a run of backslashes,
 * `&` followed by any number of `amp;`, `%` followed by any number of `25`. The redaction after each writer's escaping
 * and the final scan therefore see the key in the form every writer makes of it.
 *
 * Values are redacted before an excerpt of them is made (`redactForExcerpt`, with the redaction of every run open in
 * the process, `redactExcerpts`): a text cut to its first characters could cut the key too, past what the patterns
 * recognise.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export type LeakForm = 'plain' | 'url-encoded' | 'json-escaped' | 'xml-escaped' | 'split across lines' | 'base64' | 'hex';

export interface KeyLeak {
  readonly where: string;
  readonly form: LeakForm;
}

interface KeyPattern {
  /** For derived forms; the text form is classified by what matched. */
  readonly form: LeakForm | 'text';
  readonly regex: RegExp;
}

/** A key shorter than this is not looked for as text (it would match ordinary words). */
const MIN_KEY_LENGTH = 4;
/** A derived form (base64, hex) shorter than this is not looked for. */
const MIN_DERIVED_LENGTH = 6;

/**
 * A line break between two characters: raw, JSON-escaped (once or more) or a workflow command's `%0A`, with the
 * indentation a wrapped line may carry; or the one space a writer that flattens lines (Markdown) puts in its place.
 */
const BREAK = String.raw`(?:(?:\r\n|\r|\n|\\+r\\+n|\\+n|\\+r|%(?:25)*0[dD]%(?:25)*0[aA]|%(?:25)*0[aAdD])[ \t]*| )?`;

/** A backslash, escaped by any number of JSON writers after the first. */
const BACKSLASH = String.raw`\\+`;
/** `&`, escaped by any number of HTML or XML writers after the first. */
const AMP = '&(?:amp;)*';
/** The `#` of a character reference, which Markdown escapes with a backslash. */
const HASH = String.raw`\\*#`;
/** `%`, escaped by any number of workflow-command (or URL) encodings after the first. */
const PERCENT = '%(?:25)*';

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** A hex digit in either case, as a regex class. */
function hexDigit(digit: string): string {
  return /[a-f]/i.test(digit) ? `[${digit.toLowerCase()}${digit.toUpperCase()}]` : digit;
}

function hexOf(text: string): string {
  return [...text].map(hexDigit).join('');
}

const XML_ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Every way one character of the key may be written by a target or by the run's own formats. */
function characterForms(char: string): string {
  const forms = new Set<string>([escapeRegex(char)]);
  const bytes = Buffer.from(char, 'utf8');
  forms.add([...bytes].map((b) => `${PERCENT}${hexOf(b.toString(16).padStart(2, '0'))}`).join(''));
  forms.add(unicodeEscapes(char));
  const json = JSON.stringify(char).slice(1, -1);
  if (json !== char) forms.add(`${BACKSLASH}${escapeRegex(json.slice(1))}`);
  // Markdown's backslash escape of punctuation (and JSON's `\/`).
  if (/[!-/:-@[-`{-~]/.test(char)) forms.add(`${BACKSLASH}${escapeRegex(char)}`);
  const code = char.codePointAt(0) ?? 0;
  forms.add(`${AMP}${HASH}0*${code};`);
  forms.add(`${AMP}${HASH}[xX]0*${hexOf(code.toString(16))};`);
  const entity = XML_ENTITIES[char];
  if (entity !== undefined) forms.add(`${AMP}${escapeRegex(entity.slice(1))}`);
  if (char === "'") forms.add(`${AMP}${HASH}39;`);
  if (code > 0x7f) {
    // UTF-8 read as Latin-1 (a header's value as undici decodes it), and that text's own escapes.
    const latin1 = bytes.toString('latin1');
    forms.add(escapeRegex(latin1));
    forms.add(unicodeEscapes(latin1));
    forms.add([...latin1].map((c) => `(?:${escapeRegex(c)}|${AMP}${HASH}0*${c.charCodeAt(0)};|${AMP}${HASH}[xX]0*${hexOf(c.charCodeAt(0).toString(16))};)`).join(''));
  }
  return `(?:${[...forms].join('|')})`;
}

/** The JSON `\u` escapes of a text's UTF-16 code units, under any number of JSON writers. */
function unicodeEscapes(text: string): string {
  return [...text]
    .flatMap((c) => [...Array(c.length).keys()].map((i) => c.charCodeAt(i)))
    .map((code) => `${BACKSLASH}u${hexOf(code.toString(16).padStart(4, '0'))}`)
    .join('');
}

/** The base64 of `secret` as it appears when it starts `offset` bytes (mod 3) into a longer encoded text. */
function base64Core(secret: string, offset: number): string {
  const bytes = Buffer.from(secret, 'utf8');
  const skip = (3 - offset) % 3;
  const whole = Math.floor((bytes.length - skip) / 3) * 3;
  return whole <= 0 ? '' : bytes.subarray(skip, skip + whole).toString('base64');
}

/** base64 and base64url at once: `+` or `-`, `/` or `_` (or JSON's `\/`). */
function base64Regex(core: string): string {
  return [...core]
    .map((c) => (c === '+' ? '[+-]' : c === '/' ? `(?:/|${BACKSLASH}/|_)` : escapeRegex(c)))
    .join(BREAK);
}

const cache = new Map<string, readonly KeyPattern[]>();

function patternsOf(apiKey: string): readonly KeyPattern[] {
  const known = cache.get(apiKey);
  if (known) return known;
  const patterns: KeyPattern[] = [];
  if (apiKey.length >= MIN_KEY_LENGTH) {
    // Case-insensitive, and the key without its last character too: the near misses the auth group sends (the key
    // with its case swapped, or one character short) give the key away all the same when a target echoes them.
    patterns.push({ form: 'text', regex: new RegExp([...apiKey].map(characterForms).join(BREAK), 'gi') });
    if (apiKey.length >= 2 * MIN_KEY_LENGTH) {
      patterns.push({ form: 'text', regex: new RegExp([...apiKey.slice(0, -1)].map(characterForms).join(BREAK), 'gi') });
    }
  }
  const secrets = [apiKey, `${apiKey}:${apiKey}`];
  const cores = new Set(secrets.flatMap((secret) => [0, 1, 2].map((offset) => base64Core(secret, offset))));
  for (const core of cores) {
    if (core.length >= MIN_DERIVED_LENGTH) patterns.push({ form: 'base64', regex: new RegExp(base64Regex(core), 'g') });
  }
  for (const secret of secrets) {
    const hex = Buffer.from(secret, 'utf8').toString('hex');
    if (hex.length >= MIN_DERIVED_LENGTH && apiKey.length >= MIN_KEY_LENGTH) {
      patterns.push({ form: 'hex', regex: new RegExp([...hex].map(hexDigit).join(BREAK), 'g') });
    }
  }
  cache.set(apiKey, patterns);
  return patterns;
}

function textForm(apiKey: string, match: string): LeakForm {
  if (match === apiKey || apiKey.toLowerCase().startsWith(match.toLowerCase())) return 'plain';
  if (/\r|\n|\\n|\\r/.test(match)) return 'split across lines';
  if (/%[0-9a-f]{2}/i.test(match)) return 'url-encoded';
  if (/&#|&[a-z]+;/i.test(match)) return 'xml-escaped';
  return 'json-escaped';
}

export function scanText(apiKey: string, text: string, where: string): KeyLeak[] {
  const forms = new Set<LeakForm>();
  for (const { form, regex } of patternsOf(apiKey)) {
    for (const match of text.matchAll(regex)) forms.add(form === 'text' ? textForm(apiKey, match[0]) : form);
  }
  return [...forms].map((form) => ({ where, form }));
}

/** The files the run wrote (a directory's files, recursively); only these are read, never others beside them. */
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
  const patterns = patternsOf(apiKey);
  const replacements: Array<readonly [string, string]> = others
    .flatMap(({ value, label }) =>
      [...new Set([value, encodeURIComponent(value)])].filter((form) => form.length >= MIN_KEY_LENGTH).map((form) => [form, `[redacted: ${label}]`] as const),
    )
    .sort((a, b) => b[0].length - a[0].length);
  return (text) =>
    replacements.reduce((out, [form, shown]) => out.split(form).join(shown), patterns.reduce((out, { regex }) => out.replace(regex, REDACTED), text));
}

/** The redactions of the runs open in this process: every excerpt (a text cut to its first characters) passes them first. */
const excerptRedactions = new Set<(text: string) => string>();

/** Makes `redact` apply to every excerpt made from now on (a run's session does, from its start); returns its removal. */
export function redactExcerpts(redact: (text: string) => string): () => void {
  excerptRedactions.add(redact);
  return () => excerptRedactions.delete(redact);
}

/**
 * `text` redacted by every open run's redaction: called before a text is cut to its first characters (a finding's
 * body, a value in a check's message, a header quoted in a line), so that a cut never leaves part of the key behind.
 */
export function redactForExcerpt(text: string): string {
  let out = text;
  for (const redact of excerptRedactions) out = redact(out);
  return out;
}

/** Where a secret other than the key (a secret header's value) appears in `text`, as written or URL-encoded. */
export function scanSecret(value: string, label: string, text: string, where: string): Array<{ readonly where: string; readonly what: string }> {
  const forms = [...new Set([value, encodeURIComponent(value)])].filter((form) => form.length >= MIN_KEY_LENGTH);
  return forms.some((form) => text.includes(form)) ? [{ where, what: label }] : [];
}

/** The forms looked for, as plain strings (for tests and docs): the key, and its base64 Basic credentials. */
export function keyForms(apiKey: string): string[] {
  const forms = new Set([apiKey, encodeURIComponent(apiKey), Buffer.from(`${apiKey}:${apiKey}`, 'utf8').toString('base64')]);
  return [...forms].filter((form) => form.length >= MIN_KEY_LENGTH);
}
