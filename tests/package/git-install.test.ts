/**
 * The README's second install line, the git tag, as a team runs it: `npm install --save-dev git+https://...#vX.Y.Z`,
 * with the repository a local clone of this one (the committed tree and the changes not yet committed, tagged with
 * this version) in place of the host, and the registry out of reach (npm offline, its proxy a closed port: every
 * dependency from the local npm cache). npm clones the tag, installs its dependencies, builds it (its `prepare`) and
 * packs it; the command it installs then runs. Slow: about a minute on 2 cores, as the README says.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../../src/contract/load';
import { closedPort } from '../helpers/net';
import { readmeInstallLines } from '../helpers/readme';
import { tempDir } from '../helpers/temp';

jest.setTimeout(300_000);

const VERSION = (JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const GIT_USER = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };

let temp: string;

function git(args: readonly string[], cwd: string, input?: string): string {
  const run = spawnSync('git', [...args], { cwd, input, encoding: 'utf8', env: { ...process.env, ...GIT_USER }, maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`git ${args.join(' ')}: ${run.stderr}`);
  return run.stdout;
}

/** npm and the commands it installs, in a clean environment (nothing of the npm or jest that runs this test). */
function run(command: string, args: readonly string[], cwd: string, extra: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!/^(npm_|LILT_|JEST_)/.test(name) && name !== 'NODE_OPTIONS') env[name] = value;
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { cwd, env: { ...env, NO_COLOR: '1', ...extra } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test("the README's git line installs the tagged release with the registry out of reach, and its command runs", async () => {
  const line = readmeInstallLines().find((words) => words.some((word) => word.startsWith('git+')));
  expect(line).toBeDefined();
  const spec = line!.find((word) => word.startsWith('git+'))!;
  expect(spec).toMatch(new RegExp(`^git\\+https://[^/]+/[^/]+/lilt-conformance\\.git#v${VERSION.replace(/\./g, '\\.')}$`));

  temp = tempDir('lilt-git-install-');
  const repo = path.join(temp, 'lilt-conformance');
  git(['clone', '-q', PROJECT_ROOT, repo], temp);
  const diff = git(['diff', 'HEAD', '--binary'], PROJECT_ROOT);
  if (diff !== '') {
    git(['apply', '--whitespace=nowarn'], repo, diff);
    git(['commit', '-q', '-am', 'the changes not yet committed'], repo);
  }
  git(['tag', `v${VERSION}`], repo);

  const project = path.join(temp, 'project');
  fs.mkdirSync(project);
  fs.writeFileSync(path.join(project, 'package.json'), `${JSON.stringify({ name: 'team-project', version: '1.0.0', private: true })}\n`);
  const port = await closedPort();
  const offline = { npm_config_offline: 'true', npm_config_proxy: `http://127.0.0.1:${port}`, npm_config_https_proxy: `http://127.0.0.1:${port}` };
  const local = spec.replace(/^git\+https:\/\/[^#]+/, `git+file://${repo}`);
  const words = line!.map((word) => (word === spec ? local : word));
  const install = await run('npm', [...words.slice(1), '--omit=optional', '--no-audit', '--no-fund'], project, offline);
  expect(`exit ${String(install.code)}\n${install.stderr}`).toMatch(/^exit 0\n/);
  expect(install.stderr).not.toMatch(/EBADENGINE/);
  const team = JSON.parse(fs.readFileSync(path.join(project, 'package.json'), 'utf8')) as { devDependencies?: Record<string, string> };
  expect(team.devDependencies?.['lilt-conformance']).toBe(local);

  const bin = path.join(project, 'node_modules', '.bin', 'lilt-conformance');
  expect((await run(bin, ['--version'], project, {})).stdout).toBe(`${VERSION}\n`);
  const checked = await run(bin, ['--checks', 'schema', '--runs', '2'], project, {});
  expect(`exit ${String(checked.code)}\n${checked.stdout}`).toMatch(/^exit 0\n[\s\S]*verdict: conformant \(exit 0\)/);
});
