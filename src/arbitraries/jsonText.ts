/**
 * Writing a body as JSON text from an ordered list of members, not from a JS object: so that keys like `__proto__`
 * stay plain members, duplicate keys can be written on purpose, and a member can be spelled differently (an escaped
 * key, `1.0` for 1) while meaning the same JSON.
 */

export interface Member {
  readonly key: string;
  readonly value: unknown;
  /** The value's JSON text, instead of JSON.stringify(value) (e.g. `1.0`). */
  readonly valueText?: string;
}

export interface Spelling {
  /** Indented over several lines, as JSON.stringify(x, null, 2) would. */
  readonly pretty: boolean;
  /** Every character of every key written as a \uXXXX escape: `"\u006e\u0061..."` is still "name". */
  readonly escapeKeys: boolean;
  /** Every non-ASCII UTF-16 code unit written as a \uXXXX escape (an ASCII-only body with the same meaning). */
  readonly asciiOnly: boolean;
}

export const PLAIN: Spelling = { pretty: false, escapeKeys: false, asciiOnly: false };

const hex = (code: number): string => `\\u${code.toString(16).padStart(4, '0')}`;

export function objectText(members: readonly Member[], spelling: Spelling = PLAIN): string {
  const key = (k: string) =>
    spelling.escapeKeys ? `"${Array.from({ length: k.length }, (_, i) => hex(k.charCodeAt(i))).join('')}"` : JSON.stringify(k);
  const parts = members.map((m) => `${key(m.key)}:${spelling.pretty ? ' ' : ''}${m.valueText ?? JSON.stringify(m.value)}`);
  const text = spelling.pretty
    ? parts.length === 0
      ? '{}'
      : `{\n${parts.map((p) => `  ${p}`).join(',\n')}\n}`
    : `{${parts.join(',')}}`;
  // Outside strings JSON text is ASCII, so escaping every non-ASCII code unit only touches string contents.
  return spelling.asciiOnly ? text.replace(/[\u007f-\uffff]/g, (c) => hex(c.charCodeAt(0))) : text;
}
