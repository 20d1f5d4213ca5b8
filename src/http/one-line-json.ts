/**
 * JSON of a value for a line of text. `JSON.stringify` leaves C1 controls (NEL, U+0085) and U+2028 / U+2029 raw, and a
 * terminal, a log viewer or a JavaScript pattern's `.` takes them as the end of a line: the one-line error would be
 * two. They are escaped here as well (`\u2028`), which JSON allows: the text is still JSON, of the same value.
 */
export function oneLineJson(value: unknown): string | undefined {
  return JSON.stringify(value)?.replace(/[\u0080-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
