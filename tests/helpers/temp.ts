/**
 * Temporary folders for tests, removed when the test file ends (tests/setup/temp-cleanup.ts registers the removal for
 * every test file). The only place in tests/ that makes one: a machine that runs `npm test` many times (a CI runner,
 * a developer's laptop) keeps nothing of it in its temp folder. tests/architecture/temp-folders.test.ts holds both halves to it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Every folder made in this test file and not yet removed (jest gives each test file its own module registry). */
const made = new Set<string>();

/** A new empty folder under the system's temp folder, named `<prefix>XXXXXX`; removed when the test file ends. */
export function tempDir(prefix = 'lilt-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.add(dir);
  return dir;
}

/** A file `name` holding `content`, in a new temp folder. */
export function tempFile(name: string, content: string, prefix?: string): string {
  const file = path.join(tempDir(prefix), name);
  fs.writeFileSync(file, content);
  return file;
}

/** Removes every folder `tempDir` made (and what is in it); returns them. A folder already removed is no error. */
export function removeTempDirs(): string[] {
  const removed = [...made];
  for (const dir of removed) {
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    made.delete(dir);
  }
  return removed;
}
