/**
 * The parsers and validators of the options table (src/config/options.ts): each takes an option's text and where it
 * came from (its flag, or its environment variable) and returns the value, or throws a one-line UserError (exit 2)
 * naming where the bad value came from.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../errors';
import { parseHeader, type RequestHeader } from '../http/headers';

/** An option's text, and where it came from: `--runs`, or `LILT_RUNS`. */
export type Parse<T> = (text: string, where: string) => T;

/** The longest delay Node's timers take (ms): a longer one fires at once. */
export const MAX_TIMER_MS = 2_147_483_647;

/** A whole number of at least `min` (and at most `max`, with its own reason). */
export function integer(min: number, what: string, max?: { readonly value: number; readonly why: (got: number) => string }): Parse<number> {
  return (text, where) => {
    const value = /^[+]?\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < min) throw new UserError(`${where} must be ${what} (got '${text}')`);
    if (max !== undefined && value > max.value) throw new UserError(`${where} ${max.why(value)}`);
    return value;
  };
}

/** A duration in whole seconds, as milliseconds within Node's timer limit. */
export function seconds(min: 0 | 1): Parse<number> {
  const whole = integer(min, `a whole number of seconds${min === 0 ? '' : ', at least 1'}`, {
    value: Math.floor(MAX_TIMER_MS / 1000),
    why: (got) => `must be at most ${Math.floor(MAX_TIMER_MS / 1000)} seconds (Node's timer limit; got ${got})`,
  });
  return (text, where) => whole(text, where) * 1000;
}

/** A switch given as text (its environment variable): true or false, 1 or 0, yes or no. */
export const truth: Parse<boolean> = (text, where) => {
  if (/^(1|true|yes)$/i.test(text)) return true;
  if (/^(0|false|no)$/i.test(text)) return false;
  throw new UserError(`${where} must be true or false (got '${text}')`);
};

/** The text as given. */
export const text: Parse<string> = (given) => given;

/** A base URL: http(s), without credentials, query or fragment (the production guard is the target's: target.ts). */
export const baseUrl: Parse<URL> = (given, where) => {
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    throw new UserError(`${where} '${given}' is not a URL; pass the base URL, e.g. https://staging.example.com`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UserError(`${where} '${given}' must be an http:// or https:// URL`);
  if (url.username || url.password) {
    throw new UserError(`${where} must not carry credentials; pass the key with --api-key or LILT_API_KEY`);
  }
  if (url.search || url.hash) throw new UserError(`${where} must be a base URL without ?query or #fragment`);
  return url;
};

/** The API key: Basic auth sends key:key, so a ':' would split it. The key itself is never echoed. */
export const apiKey: Parse<string> = (given, where) => {
  if (given.includes(':') || /\s/.test(given)) throw new UserError(`${where} must not contain ':' or whitespace`);
  return given;
};

/** `241,242,243`: positive integers, comma-separated, each once. */
export const jobIds: Parse<number[]> = (given, where) => {
  const ids: number[] = [];
  const parts = given.split(',').map((p) => p.trim());
  for (const part of parts) {
    const id = /^[+]?\d+$/.test(part) ? Number(part) : Number.NaN;
    if (!Number.isSafeInteger(id) || id < 1) {
      // One id given: say what is wanted; several: which of them is wrong (the value is quoted once either way).
      throw new UserError(
        parts.length === 1
          ? `${where} must be a positive integer job id, or several comma-separated like 241,242 (got '${given}')`
          : `${where} takes positive integer job ids, comma-separated: ${part === '' ? 'an empty one' : `'${part}'`} in '${given}' is not one`,
      );
    }
    if (ids.includes(id)) throw new UserError(`${where} names job ${id} twice (got '${given}')`);
    ids.push(id);
  }
  return ids;
};

/** `Name: value` headers, one a line (the flag's values joined by the table). A refusal names the header, never its value. */
export const headers: Parse<RequestHeader[]> = (given, where) => {
  const parsed = given
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      const outcome = parseHeader(line);
      if (outcome.kind === 'refused') throw new UserError(`${where} #${i + 1}: ${outcome.why}`);
      return outcome.header;
    });
  const seen = new Set<string>();
  for (const header of parsed) {
    const key = header.name.toLowerCase();
    if (seen.has(key)) throw new UserError(`${where}: ${header.name} is given twice; give each header once`);
    seen.add(key);
  }
  return parsed;
};

/** `i/n` with 1 <= i <= n: a CI matrix of n machines, this one the i-th. */
export const shard: Parse<{ readonly index: number; readonly count: number }> = (given, where) => {
  const match = /^(\d+)\/(\d+)$/.exec(given.trim());
  const index = match ? Number(match[1]) : Number.NaN;
  const count = match ? Number(match[2]) : Number.NaN;
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(count) || count < 1 || index < 1 || index > count) {
    throw new UserError(`${where} must be i/n with 1 <= i <= n, e.g. 1/3 (got '${given}')`);
  }
  return { index, count };
};

/** A file to write, in a directory that exists. */
export const fileToWrite: Parse<string> = (given, where) => {
  const dir = path.dirname(path.resolve(given));
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new UserError(`${where} ${given}: the directory ${dir} does not exist; create it or choose another file`);
  }
  return given;
};

/** A file to write, in a directory that exists, that is not a directory itself; resolved to an absolute path. */
export const fileToCreate: Parse<string> = (given, where) => {
  fileToWrite(given, where);
  const resolved = path.resolve(given);
  if (fs.existsSync(resolved) && fs.statSync(resolved).isDirectory()) {
    throw new UserError(`${where} ${given}: is a directory; give a file name, e.g. ${path.join(given, 'run.har')}`);
  }
  return resolved;
};

/** A calendar date as YYYY-MM-DD (what the broker takes for work-in-progress pacts). */
export const date: Parse<string> = (given, where) => {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(given) ? new Date(`${given}T00:00:00Z`) : undefined;
  if (day === undefined || Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== given) {
    throw new UserError(`${where} must be a date as YYYY-MM-DD, e.g. 2026-01-31 (got '${given}')`);
  }
  return given;
};

/** A positive whole number, as pact verify's --timeout has always said it. */
export const positive: Parse<number> = (given, where) => {
  const n = Number(given);
  if (!/^\d+$/.test(given) || !Number.isSafeInteger(n) || n <= 0) throw new UserError(`${where} must be a positive integer, got '${given}'`);
  return n;
};

/** A whole number kept as text (handed on to the Pact CLI). */
export const wholeText: Parse<string> = (given, where) => {
  if (!/^\d+$/.test(given)) throw new UserError(`${where} must be a whole number, got '${given}'`);
  return given;
};

/** An integer from `min` to `max`, said as serve has always said it (`port must be an integer from 0 to 65535.`). */
export function integerIn(min: number, max: number, what: string): Parse<number> {
  return (given) => {
    if (!/^\d+$/.test(given) || Number(given) < min || Number(given) > max) {
      throw new UserError(`${what} must be an integer from ${min} to ${max}.`);
    }
    return Number(given);
  };
}

/** Consumer version selectors: a non-empty JSON array of objects. */
export const selectors: Parse<readonly Readonly<Record<string, unknown>>[]> = (given, where) => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(given);
  } catch {
    throw new UserError(`${where} is not JSON (expected e.g. [{"mainBranch":true}])`);
  }
  if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((s) => typeof s === 'object' && s !== null && !Array.isArray(s))) {
    throw new UserError(`${where} must be a non-empty JSON array of selector objects`);
  }
  return parsed as Readonly<Record<string, unknown>>[];
};
