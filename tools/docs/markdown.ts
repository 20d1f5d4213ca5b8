/** Small helpers the generated pages share. */

/** Text for a Markdown table cell: pipes escaped, on one line. */
export function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ').trim();
}

/** A Markdown table: a header row, the separator, the rows. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((row) => `| ${row.join(' | ')} |`)];
}

/** The comment that opens every generated page: where it comes from, and the one command that regenerates it. */
export function generatedNotice(from: string, by: string): string[] {
  return [
    `<!-- Generated from ${from} by ${by}:`,
    '     run `npm run docs:generate` (npx tsx tools/docs/generate.ts) after changing them. Do not edit by hand. -->',
    '',
  ];
}
