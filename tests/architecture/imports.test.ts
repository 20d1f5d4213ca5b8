/**
 * The import rules of docs/architecture.md (tools/docs/layers.ts): every import of src/ goes down a layer or stays
 * in its folder, none leaves src/, and no file imports itself through others (no circle).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { layerOf, LAYERS } from '../../tools/docs/layers';

const SRC = path.join(__dirname, '..', '..', 'src');

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return files(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** The relative imports of a file (static and `import()`; type-only ones too: a type can tie files as much as a value). */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)].map((m) => m[1] as string);
}

function resolve(from: string, spec: string): string {
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts'), base]) if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  return `${base}.ts`;
}

const folderOf = (file: string) => {
  const [first = ''] = path.relative(SRC, file).split(path.sep);
  return first.endsWith('.ts') ? first.slice(0, -3) : first;
};
const rel = (file: string) => path.relative(path.join(SRC, '..'), file);

const ALL = files(SRC).filter((file) => !file.includes(`${path.sep}generated${path.sep}`));
const GRAPH = new Map(ALL.map((file) => [file, importsOf(file).map((spec) => resolve(file, spec))]));

/** Why an import breaks the rules, or undefined. */
export function brokenRule(from: string, to: string): string | undefined {
  if (!to.startsWith(`${SRC}${path.sep}`)) return `${rel(from)} imports ${rel(to)}, outside src/`;
  const [a, b] = [folderOf(from), folderOf(to)];
  if (a === b) return undefined;
  const [la, lb] = [layerOf(a), layerOf(b)];
  if (la === undefined) return `${rel(from)}: src/${a} is in no layer of tools/docs/layers.ts`;
  if (lb === undefined) return `${rel(to)}: src/${b} is in no layer of tools/docs/layers.ts`;
  if (lb >= la) return `${rel(from)} (layer ${la}, ${a}) imports ${rel(to)} (layer ${lb}, ${b})`;
  return undefined;
}

test('every folder of src/ is in exactly one layer', () => {
  const folders = [...new Set(ALL.map(folderOf))].sort();
  expect(folders.filter((f) => layerOf(f) === undefined)).toEqual([]);
  const listed = LAYERS.flatMap((layer) => layer.folders);
  expect(listed.filter((f, i) => listed.indexOf(f) !== i)).toEqual([]);
  expect(listed.filter((f) => !folders.includes(f))).toEqual([]);
});

test('every import of src/ goes down a layer or stays in its folder, and none leaves src/', () => {
  const broken = [...GRAPH].flatMap(([from, tos]) => tos.map((to) => brokenRule(from, to)).filter((why): why is string => why !== undefined));
  expect(broken).toEqual([]);
});

test('the rule can fail: an import up a layer, across one layer, or out of src/ is named', () => {
  const at = (p: string) => path.join(SRC, p);
  expect(brokenRule(at('http/transport.ts'), at('config/run-config.ts'))).toMatch(/layer 0, http\) imports .*layer 4, config/);
  expect(brokenRule(at('config/run-config.ts'), at('coverage/index.ts'))).toMatch(/imports/);
  expect(brokenRule(at('docs/x.ts'), path.join(SRC, '..', 'tests', 'proof', 'faults.ts'))).toMatch(/outside src/);
  expect(brokenRule(at('run/run.ts'), at('case/case.ts'))).toBeUndefined();
});

test('no circle of imports between files', () => {
  // Tarjan's strongly connected components: any component of more than one file is a circle.
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  const visit = (v: string) => {
    indices.set(v, index);
    low.set(v, index);
    index += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of GRAPH.get(v) ?? []) {
      if (!GRAPH.has(w)) continue;
      if (!indices.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indices.get(w)!));
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(rel(w));
      } while (w !== v);
      if (component.length > 1) circles.push(component.sort());
    }
  };
  for (const file of GRAPH.keys()) if (!indices.has(file)) visit(file);
  expect(circles).toEqual([]);
});
