/**
 * The decimal digits of every script: the code points of Unicode's general category Nd (`\p{Nd}` in Node's regular
 * expressions, so the Unicode version of Node's ICU), found by scanning every code point. Unicode assigns them in
 * runs of ten, zero to nine; a run's zero names the set.
 */

/** The zero of each set of ten decimal digits, in code point order (U+0030 first). */
export function digitZeros(): readonly number[] {
  cached ??= scan();
  return cached;
}

let cached: readonly number[] | undefined;

function scan(): number[] {
  const isDigit = /^\p{Nd}$/u;
  const zeros: number[] = [];
  let run = 0;
  for (let cp = 0; cp <= 0x10ffff; cp += 1) {
    if (cp >= 0xd800 && cp <= 0xdfff) {
      run = 0;
      continue;
    }
    if (isDigit.test(String.fromCodePoint(cp))) {
      if (run % 10 === 0) zeros.push(cp);
      run += 1;
      continue;
    }
    if (run % 10 !== 0) throw new Error(`the decimal digits before U+${hex(cp)} are not in runs of ten`);
    run = 0;
  }
  return zeros;
}

export const hex = (cp: number): string => cp.toString(16).toUpperCase().padStart(4, '0');

/** The ASCII decimal `text` (an optional '-' and digits) with its digits taken from the set whose zero is `zero`. */
export function inDigits(text: string, zero: number): string {
  return text.replace(/[0-9]/g, (d) => String.fromCodePoint(zero + Number(d)));
}

/** The Unicode version of Node's regular expressions (its ICU's), when Node says. */
export function unicodeVersion(): string {
  return process.versions.unicode ?? 'unknown';
}
