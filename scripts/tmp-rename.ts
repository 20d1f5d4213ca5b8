// Renames symbols across the project with the TypeScript language service (every reference, types included).
// usage: tsx scripts/tmp-rename.ts <file> <line> <text-on-line> <newName> [...more quadruples]
import * as ts from 'typescript';
import * as fs from 'node:fs';
import * as path from 'node:path';
const root = process.cwd();
const files: string[] = [];
const walk = (d: string) => { for (const e of fs.readdirSync(d, { withFileTypes: true })) { const p = path.join(d, e.name); if (e.isDirectory()) { if (e.name !== 'node_modules') walk(p); } else if (/\.ts$/.test(p) && !p.endsWith('.d.ts')) files.push(p); } };
walk(path.join(root, 'src')); walk(path.join(root, 'tests'));
const versions = new Map<string, number>(files.map((f) => [f, 0]));
const contents = new Map<string, string>(files.map((f) => [f, fs.readFileSync(f, 'utf8')]));
const options: ts.CompilerOptions = { strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, esModuleInterop: true, resolveJsonModule: true, skipLibCheck: true };
const host: ts.LanguageServiceHost = {
  getScriptFileNames: () => files,
  getScriptVersion: (f) => String(versions.get(f) ?? 0),
  getScriptSnapshot: (f) => { const c = contents.get(f) ?? (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined); return c === undefined ? undefined : ts.ScriptSnapshot.fromString(c); },
  getCurrentDirectory: () => root,
  getCompilationSettings: () => options,
  getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
  fileExists: ts.sys.fileExists, readFile: ts.sys.readFile, readDirectory: ts.sys.readDirectory,
};
const service = ts.createLanguageService(host);
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i += 4) {
  const [file, line, text, newName] = [path.resolve(args[i]!), Number(args[i + 1]), args[i + 2]!, args[i + 3]!];
  const content = contents.get(file)!;
  const lines = content.split('\n');
  const col = lines[line - 1]!.indexOf(text);
  if (col < 0) throw new Error(`not found: ${text} at ${file}:${line}: ${lines[line - 1]}`);
  const pos = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + col;
  const locs = service.findRenameLocations(file, pos, false, false, { providePrefixAndSuffixTextForRename: true }) ?? [];
  const byFile = new Map<string, ts.RenameLocation[]>();
  for (const l of locs) byFile.set(l.fileName, [...(byFile.get(l.fileName) ?? []), l]);
  for (const [f, ls] of byFile) {
    let c = contents.get(f)!;
    for (const l of [...ls].sort((a, b) => b.textSpan.start - a.textSpan.start)) {
      c = c.slice(0, l.textSpan.start) + (l.prefixText ?? '') + newName + (l.suffixText ?? '') + c.slice(l.textSpan.start + l.textSpan.length);
    }
    contents.set(f, c); versions.set(f, (versions.get(f) ?? 0) + 1);
  }
  console.log(`${text} -> ${newName}: ${locs.length} places in ${byFile.size} files`);
}
for (const [f, c] of contents) if (c !== fs.readFileSync(f, 'utf8')) fs.writeFileSync(f, c);
