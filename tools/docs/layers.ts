/**
 * The layers of src/, bottom first, and the rule they make: a module imports from its own folder, or from a folder of
 * a lower layer; never from a folder of its own layer or a higher one, never from outside src/ (the tests, tools/).
 * docs/architecture.md shows the table (its "Import rules"); tests/architecture/imports.test.ts holds every import of
 * src/ to it, and finds no circle between files either.
 */
export interface Layer {
  readonly folders: readonly string[];
  /** What the layer is, in a few words. */
  readonly what: string;
}

export const LAYERS: readonly Layer[] = [
  { folders: ['errors', 'http', 'client'], what: 'the ground: errors, the transport and what a request is, the typed client' },
  { folders: ['contract'], what: 'the OpenAPI document, its model of the operation, the rules and their sources' },
  { folders: ['validation'], what: 'validators compiled from the document' },
  { folders: ['checks', 'arbitraries', 'lint', 'provider'], what: 'what judges a response, what generates inputs, the spec lint, the reference provider' },
  { folders: ['config', 'coverage'], what: 'the configuration of a run; the coverage datasets' },
  { folders: ['case'], what: 'a case: sends, judges, records' },
  { folders: ['cases'], what: 'the cases of each group' },
  { folders: ['run'], what: 'the run: its session, plan, schedule and end' },
  { folders: ['reports', 'pact'], what: "what a run's result becomes; the Pact tooling" },
  { folders: ['cli'], what: 'the commands' },
  { folders: ['jest', 'bench', 'index'], what: "entry points for a team's jest, the benchmark, the package's API" },
];

/** The layer of a folder of src/ (its first path segment; a file at the top by its name without .ts). */
export function layerOf(folder: string): number | undefined {
  const index = LAYERS.findIndex((layer) => layer.folders.includes(folder));
  return index < 0 ? undefined : index;
}

/** The import rules, as Markdown (for docs/architecture.md). */
export function renderImportRules(): string[] {
  return [
    '## Import rules',
    '',
    'A module imports from its own folder, or from a folder of a lower layer below; never from its own layer\'s other',
    'folders or a higher layer, never from outside `src/` (tests, `tools/`). `tests/architecture/imports.test.ts`',
    'fails on an import that breaks this, and on any circle of imports between files.',
    '',
    '| layer | folders | what |',
    '| ---: | --- | --- |',
    ...LAYERS.map((layer, i) => `| ${i} | ${layer.folders.map((f) => `\`${f === 'index' || f === 'errors' ? `${f}.ts` : `${f}/`}\``).join(', ')} | ${layer.what} |`).reverse(),
  ];
}
