/**
 * Every generated page in docs/ is what its generator produces now: a check changed without regenerating its page
 * fails here, with the command that regenerates it. And the comparison itself notices a missing or edited page.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GENERATED_PAGES, REGENERATE, stalePages, writePages, type GeneratedPage } from '../../tools/docs/generate';
import { tempDir } from '../helpers/temp';

test.each(GENERATED_PAGES.map((page) => page.file))('%s is what the generator produces now', async (file) => {
  const stale = await stalePages(undefined, GENERATED_PAGES.filter((page) => page.file === file));
  if (stale.length > 0) {
    throw new Error(`${file} is out of date (${stale.map((s) => s.problem).join('; ')}): run ${REGENERATE} and commit it`);
  }
});

describe('the comparison', () => {
  const page: GeneratedPage = { file: 'docs/example.md', render: async () => '# Example\n\nline two\n' };
  let root: string;
  beforeEach(() => {
    root = tempDir('docs-generated-');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  test('a missing page is stale; written, it is not', async () => {
    expect(await stalePages(root, [page])).toEqual([{ file: 'docs/example.md', problem: 'missing' }]);
    expect(await writePages(root, [page])).toEqual(['docs/example.md']);
    expect(await stalePages(root, [page])).toEqual([]);
  });

  test('a block: only the text between its markers is generated; outside it is left alone', async () => {
    const block: GeneratedPage = { file: 'README.md', block: 'table', render: async () => '| a |\n| --- |' };
    const file = path.join(root, 'README.md');
    fs.writeFileSync(file, '# Title\n\nby hand\n');
    expect(await stalePages(root, [block])).toEqual([{ file: 'README.md', problem: 'no <!-- generated: table --> block' }]);
    await expect(writePages(root, [block])).rejects.toThrow(/README\.md has no <!-- generated: table --> \.\.\. <!-- \/generated: table --> markers/);

    fs.writeFileSync(file, '# Title\n\n<!-- generated: table -->\nold\n<!-- /generated: table -->\n\nby hand\n');
    expect(await stalePages(root, [block])).toEqual([
      { file: 'README.md', problem: 'block table: line 1 is "old", the generator now gives "| a |"' },
    ]);
    await writePages(root, [block]);
    expect(fs.readFileSync(file, 'utf8')).toBe('# Title\n\n<!-- generated: table -->\n| a |\n| --- |\n<!-- /generated: table -->\n\nby hand\n');
    expect(await stalePages(root, [block])).toEqual([]);
  });

  test('an edited page is stale, with the first line that differs', async () => {
    await writePages(root, [page]);
    fs.writeFileSync(path.join(root, 'docs/example.md'), '# Example\n\nline 2, edited by hand\n');
    expect(await stalePages(root, [page])).toEqual([
      { file: 'docs/example.md', problem: 'line 3 is "line 2, edited by hand", the generator now gives "line two"' },
    ]);
  });
});
