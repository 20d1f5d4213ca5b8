/**
 * The version and branch a pact or verification is published under: the git commit sha and branch of the checkout,
 * read with git itself. CI checkouts are often detached; the usual CI variables name the branch then.
 */
import { execFileSync } from 'node:child_process';
import { UserError } from '../errors';

function git(args: string[], cwd: string): string | undefined {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/**
 * The commit sha of HEAD, or a UserError when this is not a git checkout or it has no commit yet. `versionFlag` is
 * the calling command's flag that gives the version instead (`--consumer-version`, `--provider-version`, `--version`),
 * which the error names.
 */
export function gitCommit(versionFlag: string, cwd: string = process.cwd()): string {
  if (git(['rev-parse', '--git-dir'], cwd) === undefined) {
    throw new UserError(`${cwd} is not a git checkout: the version is the commit sha (or pass ${versionFlag})`);
  }
  const sha = git(['rev-parse', '--verify', '--quiet', 'HEAD'], cwd);
  if (!sha) throw new UserError(`this git checkout has no commit yet: commit first (the version is the commit sha), or pass ${versionFlag}`);
  return sha;
}

/** The branch: the checked-out one, else the CI's (GITHUB_HEAD_REF, GITHUB_REF_NAME, CI_COMMIT_REF_NAME, BRANCH_NAME). */
export function gitBranch(cwd: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): string {
  const branch = git(['symbolic-ref', '--quiet', '--short', 'HEAD'], cwd);
  if (branch) return branch;
  for (const name of ['GITHUB_HEAD_REF', 'GITHUB_REF_NAME', 'CI_COMMIT_REF_NAME', 'BRANCH_NAME']) {
    const fromCi = env[name]?.trim();
    if (fromCi) return fromCi;
  }
  throw new UserError('cannot tell the git branch (detached HEAD and no CI branch variable): pass --branch');
}
