/**
 * Why a case stops short of its end, and what a case may never send. A case is cut short (CaseAborted) when the
 * target did not answer or its job could not be read; a request is withheld (RequestWithheld) when its body names a
 * field the job does not have, since the API cannot unset a field once written.
 */
import type { ApiRequest } from '../http/request';

/** The case cannot go on: the target did not answer, or the job could not be read. */
export class CaseAborted extends Error {
  override readonly name = 'CaseAborted';
}

/**
 * A request not sent because its body names a field the job does not have (the API cannot unset one, so the run
 * never writes it). The item or example is skipped, not failed: a case's loop and the properties move on.
 */
export class RequestWithheld extends Error {
  override readonly name = 'RequestWithheld';
  constructor(readonly field: string) {
    super(`not sent: the body names ${field}, which the job does not have (the API cannot unset it)`);
  }
}

/**
 * The field of `unwritable` a body names, if any, by what a JSON reader would see and by its text: every key a JSON
 * parser yields (escapes decoded, duplicates and nested objects included: `"\u0064ue"` is `due`), and, for a body no
 * parser reads whole, the field's name anywhere in the text, in any case (a lenient parser included).
 */
export function withheldField(body: string | undefined, unwritable: readonly string[]): string | undefined {
  if (body === undefined || unwritable.length === 0) return undefined;
  const keys = jsonKeys(body).map((key) => key.toLowerCase());
  const text = body.toLowerCase();
  return unwritable.find((field) => {
    const name = field.toLowerCase();
    return text.includes(name) || keys.some((key) => key.includes(name));
  });
}

/**
 * Every object key in a JSON-like text, decoded: each string literal followed by a colon, read by JSON.parse (so every
 * escape a reader decodes is decoded). Tolerant: the text need not be valid JSON as a whole.
 */
export function jsonKeys(text: string): string[] {
  const keys: string[] = [];
  const literal = /"(?:[^"\\]|\\.)*"\s*:/gs;
  for (const match of text.matchAll(literal)) {
    const quoted = match[0].replace(/\s*:$/, '');
    try {
      keys.push(JSON.parse(quoted) as string);
    } catch {
      // a lone backslash or an invalid escape: no JSON reader yields it as a key
    }
  }
  return keys;
}

/** Whether a request may change a job: any body but none and `{}`. */
export function mayWrite(request: Pick<ApiRequest, 'body'>): boolean {
  return request.body !== undefined && request.body.trim() !== '{}' && request.body.trim() !== '';
}
