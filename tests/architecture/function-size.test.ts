/**
 * No function in src/ runs over 80 lines (issue 18): a function declaration, method, arrow function, function
 * expression, constructor or accessor is measured from its first line to its last, with the TypeScript parser.
 * Generated code (src/client/generated/) is left out.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

const SRC = path.join(__dirname, '..', '..', 'src');
const LIMIT = 80;

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return full === path.join(SRC, 'client', 'generated') ? [] : sources(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

type FunctionLike =
  | ts.FunctionDeclaration
  | ts.MethodDeclaration
  | ts.ArrowFunction
  | ts.FunctionExpression
  | ts.ConstructorDeclaration
  | ts.GetAccessorDeclaration
  | ts.SetAccessorDeclaration;

function isFunctionLike(node: ts.Node): node is FunctionLike {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isArrowFunction(node) ||
    ts.isFunctionExpression(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node)
  );
}

/** A readable name: the declared one, else the variable, property or call the function is handed to. */
function nameOf(node: FunctionLike, file: ts.SourceFile): string {
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  if (node.name) return node.name.getText(file);
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) {
    return parent.name.getText(file);
  }
  if (ts.isCallExpression(parent)) return `(callback of ${parent.expression.getText(file).slice(0, 40)})`;
  return '(anonymous)';
}

interface Oversize {
  where: string;
  name: string;
  lines: number;
}

/** Every function-like node of one source text longer than `limit` lines. */
function oversize(fileName: string, text: string, limit = LIMIT): Oversize[] {
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: Oversize[] = [];
  const visit = (node: ts.Node): void => {
    if (isFunctionLike(node) && node.body) {
      const first = file.getLineAndCharacterOfPosition(node.getStart(file)).line;
      const last = file.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = last - first + 1;
      if (lines > limit) found.push({ where: `${fileName}:${first + 1}`, name: nameOf(node, file), lines });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

test('the counter measures a function from its first line to its last, and names it', () => {
  const body = (n: number) => Array.from({ length: n - 2 }, (_, i) => `  const a${i} = ${i};`).join('\n');
  const text = [
    `export function long() {\n${body(81)}\n}`,
    `export function short() {\n${body(80)}\n}`,
    `const arrow = () => {\n${body(81)}\n};`,
    `class K {\n  method() {\n${body(81)}\n  }\n  constructor() {\n${body(81)}\n  }\n  get value() {\n${body(81)}\n    return 1;\n  }\n}`,
    `register(function () {\n${body(81)}\n});`,
  ].join('\n');
  const names = oversize('x.ts', text).map((o) => `${o.name} ${o.lines}`);
  expect(names).toEqual([
    'long 81',
    'arrow 81',
    'method 81',
    'constructor 81',
    'value 82',
    '(callback of register) 81',
  ]);
  expect(oversize('x.ts', text)[0]?.where).toBe('x.ts:1');
});

test(`no function in src/ runs over ${LIMIT} lines`, () => {
  const offenders = sources(SRC).flatMap((full) =>
    oversize(path.relative(SRC, full).split(path.sep).join('/'), fs.readFileSync(full, 'utf8')).map(
      (o) => `src/${o.where} ${o.name} (${o.lines} lines)`,
    ),
  );
  expect(offenders).toEqual([]);
});
