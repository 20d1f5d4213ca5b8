/**
 * The package as a team gets it: built, packed, and installed from the tarball into an empty project with the
 * README's own install line (and its `--omit=optional`), then run there with npx; the jest adapter's examples of
 * docs/jest.md, taken from the page, run there as the team's own jest tests. Slow: it builds and installs (from the
 * local npm cache first), about a minute and a half on 2 cores.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../../src/contract/load';
import { pageExamples, readmeInstallLines } from '../helpers/readme';
import { cleanEnv } from '../helpers/cli';
import { tempDir } from '../helpers/temp';

jest.setTimeout(180_000);

const VERSION = (JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const MAX_INSTALLED_MB = 30;

interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

function npm(args: readonly string[], cwd: string): string {
  const result = spawnSync('npm', [...args], { cwd, env: cleanEnv(), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    throw new Error(`npm ${args.join(' ')} failed (exit ${String(result.status)}):\n${result.stdout}\n${result.stderr}`);
  }
  npmWarnings += result.stderr;
  return result.stdout;
}

let npmWarnings = '';

interface Packed {
  readonly filename: string;
  readonly files: readonly { readonly path: string }[];
}

let workDir: string;
let installDir: string;
let packed: Packed;
/** The README's tarball line, as it was run. */
let tarballLine: string[];

/**
 * A copy of what the package is built and packed from (the build's inputs and package.json's `files`), with the
 * project's node_modules linked in: building there never empties the project's own dist/ under another test that is
 * running the bin at the same time.
 */
function stagePackageSource(into: string): void {
  const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { files: string[] };
  const packed = pkg.files.filter((entry) => !entry.startsWith('!') && entry !== 'dist');
  for (const entry of ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'scripts', 'src', ...packed]) {
    const from = path.join(PROJECT_ROOT, entry);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(into, entry), { recursive: true });
  }
  fs.symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(into, 'node_modules'), 'dir');
}

beforeAll(() => {
  workDir = tempDir('lilt-conformance-pack-');
  installDir = path.join(workDir, 'project');
  const source = path.join(workDir, 'source');
  stagePackageSource(source);
  npm(['run', 'build'], source);
  // Built just now: --ignore-scripts keeps pack from building again (prepare) and its stdout the JSON alone.
  const [first] = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', workDir], source)) as Packed[];
  if (first === undefined) throw new Error('npm pack --json listed no package');
  packed = first;
  fs.mkdirSync(installDir);
  const teamPackage = { name: 'team-project', version: '1.0.0', private: true };
  fs.writeFileSync(path.join(installDir, 'package.json'), `${JSON.stringify(teamPackage)}\n`);
  // The README's line, as a team types it beside the release tarball; with the --omit=optional it suggests.
  const line = readmeInstallLines().find((words) => words.some((word) => word.endsWith('.tgz')));
  if (line === undefined) throw new Error("the README's Install section has no `npm install ./...tgz` line");
  tarballLine = line;
  const tarball = line.find((word) => word.endsWith('.tgz'))!;
  fs.copyFileSync(path.join(workDir, packed.filename), path.join(installDir, tarball));
  npm([...line.slice(1), '--omit=optional', '--prefer-offline', '--no-audit', '--no-fund'], installDir);
}, 600_000);

interface RunOptions {
  /** Once stdout matches it, `whileRunning` gets the output so far; then the command is stopped with `stopWith`. */
  readonly ready?: RegExp;
  readonly whileRunning?: (stdout: () => string) => Promise<void>;
  readonly stopWith?: NodeJS.Signals;
  readonly killAfterMs?: number;
}

/**
 * Runs a command in the team's project, in its own process group (a timeout kills the whole group: npx's child too).
 * `npx` runs `npx --no -- lilt-conformance ...` (without the `--`, npm 11 takes --version, --runs... as its own).
 * `bin` runs node_modules/.bin/lilt-conformance, the very file npx runs, for a command that is stopped by a signal:
 * npm does not forward one to its child (the server would be orphaned), and it dies of the signal itself, so the
 * command's own exit code is only seen without it.
 */
function inProject(how: 'npx' | 'bin', args: readonly string[], options: RunOptions = {}): Promise<Run> {
  const [command, commandArgs] =
    how === 'npx'
      ? ['npx', ['--no', '--', 'lilt-conformance', ...args]]
      : [path.join(installDir, 'node_modules', '.bin', 'lilt-conformance'), [...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, {
      cwd: installDir,
      env: cleanEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const killGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        // Already gone.
      }
    };
    let stdout = '';
    let stderr = '';
    let started = false;
    const timer = setTimeout(() => killGroup('SIGKILL'), options.killAfterMs ?? 120_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (!started && options.ready !== undefined && options.whileRunning !== undefined && options.ready.test(stdout)) {
        started = true;
        options.whileRunning(() => stdout).then(
          () => child.kill(options.stopWith ?? 'SIGTERM'),
          (error: unknown) => {
            killGroup('SIGKILL');
            reject(error instanceof Error ? error : new Error(String(error)));
          },
        );
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

const LISTENING = /listening on (http:\/\/\S+)/;

/** The exit code first, then what the command printed: a failed expectation on it shows why. */
function outcome(run: Run): string {
  return `exit ${String(run.code)}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
}

describe("the README's tarball line", () => {
  it('names the tarball npm pack makes of this version, and installs it as a devDependency', () => {
    expect(tarballLine.slice(0, 3)).toEqual(['npm', 'install', '--save-dev']);
    expect(tarballLine.find((word) => word.endsWith('.tgz'))).toBe(`./${packed.filename}`);
    const team = JSON.parse(fs.readFileSync(path.join(installDir, 'package.json'), 'utf8')) as { devDependencies?: Record<string, string> };
    expect(team.devDependencies?.['lilt-conformance']).toBe(`file:${packed.filename}`);
  });

  it('installs without an EBADENGINE warning (no dependency wants a newer Node than the package says)', () => {
    expect(npmWarnings).not.toMatch(/EBADENGINE/);
  });
});

describe('the packed tarball', () => {
  it('holds the build, the command, the contract and the pacts; no tests, CI files or TypeScript sources', () => {
    const files = packed.files.map((file) => file.path);
    for (const file of [
      'package.json',
      'README.md',
      'bin/lilt-conformance.js',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/cli/main.js',
      'dist/provider/fixtures/default.json',
      'contracts/lilt-update-job.openapi.yaml',
      'contracts/lint-baseline.json',
    ]) {
      expect(files).toContain(file);
    }
    expect(files.some((file) => file.startsWith('pacts/') && file.endsWith('.json'))).toBe(true);
    expect(files.filter((file) => /^(tests|\.ci|\.github|src)\//.test(file))).toEqual([]);
    expect(files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))).toEqual([]);
  });
});

describe('installed without the optional Pact packages, run with npx (serve: the bin npx runs, see inProject)', () => {
  it('--version prints the version and exits 0', async () => {
    const run = await inProject('npx', ['--version']);
    expect(run.stdout).toBe(`${VERSION}\n`);
    expect(run.code).toBe(0);
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('serve --port 0 answers on the URL it prints, stops on %s, exit 0', async (signal) => {
    const run = await inProject('bin', ['serve', '--port', '0'], {
      ready: LISTENING,
      stopWith: signal,
      whileRunning: async (stdout) => {
        const url = LISTENING.exec(stdout())?.[1];
        const response = await fetch(`${url}/v2/jobs/241?key=test-key`, { method: 'PUT' });
        expect(response.status).toBe(200);
      },
    });
    expect(run.stdout).toContain(`${signal}: closing`);
    expect(run.code).toBe(0);
  });

  it('runs every group against its embedded reference provider and exits 0', async () => {
    expect(outcome(await inProject('npx', ['--runs', '5']))).toMatch(/^exit 0\n/);
  });

  it('runs every group against a separately started serve and exits 0', async () => {
    let conformance: Run | undefined;
    const serve = await inProject('bin', ['serve', '--port', '0'], {
      ready: LISTENING,
      whileRunning: async (stdout) => {
        const url = LISTENING.exec(stdout())?.[1] ?? '';
        conformance = await inProject('npx', ['--target', url, '--api-key', 'test-key', '--job-id', '241', '--runs', '5']);
      },
    });
    expect(conformance).toBeDefined();
    expect(outcome(conformance as Run)).toMatch(/^exit 0\n/);
    expect(serve.code).toBe(0);
  });

  it('pact verify says in one line which package to install, and exits 2', async () => {
    const run = await inProject('npx', ['pact', 'verify', '--target', 'http://127.0.0.1:9', '--api-key', 'test-key']);
    expect(run.stderr.trim()).toMatch(
      /^error: lilt-conformance pact verify needs @pact-foundation\/pact, .*: npm install @pact-foundation\/pact$/,
    );
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.code).toBe(2);
  });

  it(`takes at most ${MAX_INSTALLED_MB} MB of node_modules`, () => {
    const measured = JSON.parse(
      spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'scripts', 'installed-size.js'), '--measure', installDir, '--json'], {
        encoding: 'utf8',
      }).stdout,
    ) as { megabytes: number; packages: number };
    expect(measured.packages).toBeGreaterThan(1);
    expect(measured.megabytes).toBeLessThanOrEqual(MAX_INSTALLED_MB);
  });
});

describe('docs/jest.md: its examples, taken from the page, run as the team\'s own jest tests', () => {
  const examples = pageExamples('docs/jest.md');
  const JEST = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'jest');

  beforeAll(() => {
    for (const [file, text] of examples) fs.writeFileSync(path.join(installDir, file), text);
    // The team's TypeScript set-up: Node's module resolution (the package's exports), strict; Node's and jest's types.
    // ts-jest transpiles each file alone (isolatedModules); the types are checked by tsc, below.
    const tsconfig = {
      compilerOptions: { module: 'node16', moduleResolution: 'node16', target: 'es2022', strict: true, isolatedModules: true, typeRoots: [path.join(PROJECT_ROOT, 'node_modules', '@types')], types: ['node', 'jest'], skipLibCheck: true },
      include: ['*.ts'],
    };
    fs.writeFileSync(path.join(installDir, 'tsconfig.json'), JSON.stringify(tsconfig));
    const config = {
      testEnvironment: 'node',
      rootDir: installDir,
      testMatch: ['<rootDir>/*.test.js', '<rootDir>/*.test.ts'],
      transform: { '^.+\\.ts$': [require.resolve('ts-jest'), { tsconfig: path.join(installDir, 'tsconfig.json') }] },
    };
    fs.writeFileSync(path.join(installDir, 'jest.config.json'), JSON.stringify(config));
  });

  it('has a JavaScript and a TypeScript example', () => {
    expect([...examples.keys()].sort()).toEqual(['conformance.test.js', 'conformance.test.ts']);
  });

  it("the TypeScript example type-checks against the package's declarations (tsc, strict, Node's resolution)", () => {
    const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '--noEmit', '-p', path.join(installDir, 'tsconfig.json')], {
      cwd: installDir,
      encoding: 'utf8',
    });
    expect(`exit ${String(tsc.status)}\n${tsc.stdout}${tsc.stderr}`).toBe('exit 0\n');
  });

  it.each(['conformance.test.js', 'conformance.test.ts'])('%s passes against the reference provider and writes the reports (LILT_REPORT_DIR)', (file) => {
    const reports = path.join(workDir, `reports-${file}`);
    const run = spawnSync(JEST, ['--config', path.join(installDir, 'jest.config.json'), '--runTestsByPath', path.join(installDir, file)], {
      cwd: installDir,
      env: { ...cleanEnv(), LILT_RUNS: '5', LILT_SEED: '7', LILT_REPORT_DIR: reports },
      encoding: 'utf8',
      timeout: 150_000,
    });
    expect(`exit ${String(run.status)}\n${run.stderr}`).toMatch(/^exit 0\n[\s\S]*✓ the first read returns the job[\s\S]*✓ group 2: semantics/);
    expect(run.stderr).toMatch(/Tests: +\d+ passed, \d+ total/);
    expect(fs.readdirSync(reports).sort()).toEqual(['findings.json', 'junit.xml', 'report.html', 'report.md']);
    expect(fs.readFileSync(path.join(reports, 'report.md'), 'utf8')).toMatch(/Verdict: conformant/);
  });
});
