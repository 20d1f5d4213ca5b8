/** The version a pact command publishes under is the commit sha; without one, the error names the command's own flag. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gitCommit } from '../../src/pact/git';
import { userErrorOf } from '../helpers/user-error';
import { tempDir } from '../helpers/temp';

let tmp: string;
beforeEach(() => {
  tmp = tempDir('pact-git-');
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

test.each(['--consumer-version', '--provider-version', '--version'])('a checkout without a commit: the error names %s', (flag) => {
  execFileSync('git', ['init', '-q'], { cwd: tmp });
  const error = userErrorOf(() => gitCommit(flag, tmp));
  expect(error.message).toBe(`this git checkout has no commit yet: commit first (the version is the commit sha), or pass ${flag}`);
});

test('outside a git checkout: the error names the flag', () => {
  expect(userErrorOf(() => gitCommit('--consumer-version', tmp)).message).toMatch(/is not a git checkout: .*\(or pass --consumer-version\)$/);
});

test('in a checkout with a commit: its sha', () => {
  const git = (args: string[]) => execFileSync('git', args, { cwd: tmp, encoding: 'utf8' }).trim();
  git(['init', '-q']);
  fs.writeFileSync(path.join(tmp, 'file'), 'x\n');
  git(['add', 'file']);
  git(['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'one']);
  expect(gitCommit('--consumer-version', tmp)).toBe(git(['rev-parse', 'HEAD']));
});
