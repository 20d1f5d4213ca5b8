/**
 * One run, one process: no module of the run hands state to another through a file or the environment. The
 * environment is read only at the edges (the command-line entry points, the jest adapter, the benchmark), and the
 * only files the run writes are the reports the user asked for.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const SRC = path.join(__dirname, '..', '..', 'src');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : sources(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

const rel = (file: string) => path.relative(SRC, file).split(path.sep).join('/');
const EDGES = /^(cli\/|jest\/adapter\.ts:|bench\/|pact\/)/;

test('process.env is read only at the edges, and never written', () => {
  const offenders = sources(SRC).flatMap((file) =>
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .map((line, i) => ({ where: `${rel(file)}:${i + 1}`, line }))
      .filter(({ line }) => /process\.env/.test(line) && !/^(\*|\/\*)/.test(line.trim()) && !line.trim().startsWith('//'))
      .filter(({ where, line }) => !EDGES.test(where) || /process\.env(\.\w+|\[[^\]]+\])\s*(\?\?)?=[^=]/.test(line) && !/PACT_DO_NOT_TRACK/.test(line)),
  );
  expect(offenders).toEqual([]);
});

/**
 * The files that may touch the file system: the reports the user asked for, the baseline (written by the CLI and by
 * the jest adapter), the benchmark's scratch.
 */
const FILE_WRITERS = ['bench/bench.ts', 'cli/conformance.ts', 'jest/adapter.ts', 'reports/files.ts'];
const WRITES = /\b(writeFile|appendFile|mkdtemp|createWriteStream|mkdir|copyFile|rename|rm|rmdir|unlink|symlink|truncate)(Sync)?\(/;

test('only the report writers and the edges write a file: the run, the cases, the checks and the provider write none', () => {
  const writers = sources(SRC)
    .filter((file) => WRITES.test(fs.readFileSync(file, 'utf8')))
    .map(rel)
    .sort();
  // Exactly these: a new writer fails, and so does a listed file that no longer writes (a stale list).
  expect(writers).toEqual(FILE_WRITERS);
});
