/**
 * `npm test` leaves nothing in the machine's temp folder: every temp folder a test makes comes from
 * tests/helpers/temp.ts, and the setup file in jest.config.ts removes them when each test file ends.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { removeTempDirs, tempDir, tempFile } from '../helpers/temp';

const ROOT = path.join(__dirname, '..', '..');
const TESTS = path.join(ROOT, 'tests');

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : files(full);
    return /\.(ts|mjs|js)$/.test(entry.name) ? [full] : [];
  });
}

const leftWith = (prefix: string) => fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith(prefix));

test('removeTempDirs removes every folder tempDir and tempFile made, with what is in it, and only those', () => {
  const prefix = `lilt-temp-unit-${process.pid}-`;
  const mine = tempDir(prefix);
  const file = tempFile('a.txt', 'x', prefix);
  fs.mkdirSync(path.join(mine, 'a', 'b'), { recursive: true });
  const neighbour = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}not-mine-`));
  try {
    expect(leftWith(prefix)).toHaveLength(3);
    expect(removeTempDirs().sort()).toEqual([mine, path.dirname(file)].sort());
    expect(leftWith(prefix)).toEqual([path.basename(neighbour)]);
    expect(removeTempDirs()).toEqual([]);
  } finally {
    fs.rmSync(neighbour, { recursive: true, force: true });
  }
});

test('a test file that makes temp folders and removes none leaves none behind (a child jest with the project\'s configuration)', () => {
  const prefix = `lilt-temp-child-${process.pid}-`;
  const child = spawnSync(
    process.execPath,
    [require.resolve('jest/bin/jest'), '--config', path.join(ROOT, 'jest.config.ts'), '--roots', '<rootDir>/tests/fixtures/temp-cleanup', '--testMatch', '**/*.fixture.ts', '--ci', '--json'],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, TEMP_CLEANUP_PREFIX: prefix }, timeout: 120_000 },
  );
  expect(child.status).toBe(0);
  const summary = JSON.parse(child.stdout) as { numPassedTests: number; numFailedTests: number };
  expect(summary).toMatchObject({ numPassedTests: 1, numFailedTests: 0 });
  expect(leftWith(prefix)).toEqual([]);
}, 120_000);

test('no file under tests/ makes a temp folder but tests/helpers/temp.ts (one that is not removed stays on the machine)', () => {
  const makers = files(TESTS)
    .filter((file) => file !== path.join(TESTS, 'helpers', 'temp.ts') && file !== __filename)
    .filter((file) => /\bmkdtemp(Sync)?\s*\(/.test(fs.readFileSync(file, 'utf8')))
    .map((file) => path.relative(ROOT, file));
  expect(makers).toEqual([]);
});
