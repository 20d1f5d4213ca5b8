/**
 * The `lilt-conformance` dispatcher (src/cli/main.ts): --version and --help, unknown commands, and the pact commands
 * when their optional packages are not installed. The command line runs from the TypeScript sources through tsx; the
 * missing packages are simulated in-process through the dispatcher's module loader.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../../src/contract/load';
import { main, nodeModuleLoader, type ModuleLoader } from '../../src/cli/main';
import { ExitCode, UserError, oneLine } from '../../src/errors';
import { runCliSync } from '../helpers/cli';

const VERSION = (JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

function cli(...args: string[]) {
  return runCliSync(args);
}

function expectOneLineUsageError(run: { code: number | null; stderr: string }, pattern: RegExp): void {
  expect(run.stderr.trim()).toMatch(pattern);
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  expect(run.stderr).not.toMatch(/\n\s+at /);
  expect(run.code).toBe(2);
}

function moduleNotFound(id: string): Error {
  return Object.assign(new Error(`Cannot find module '${id}'\nRequire stack:\n- ${__filename}`), { code: 'MODULE_NOT_FOUND' });
}

/** Node's loader, except that the packages named (and any module inside them) are not installed. */
function loaderWithout(...packages: string[]): ModuleLoader & { loaded: string[] } {
  const absent = (id: string) => packages.some((name) => id === name || id.startsWith(`${name}/`));
  const loaded: string[] = [];
  return {
    loaded,
    load(id) {
      if (absent(id)) throw moduleNotFound(id);
      loaded.push(id);
      return nodeModuleLoader.load(id);
    },
    resolve(id) {
      if (absent(id)) throw moduleNotFound(id);
      return nodeModuleLoader.resolve(id);
    },
  };
}

async function usageErrorOf(run: Promise<number>): Promise<UserError> {
  const error: unknown = await run.then(
    (code) => new Error(`resolved with exit code ${code}`),
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(UserError);
  const userError = error as UserError;
  expect(userError.exitCode).toBe(ExitCode.usage);
  expect(oneLine(userError.message)).toBe(userError.message);
  return userError;
}

describe('lilt-conformance (the dispatcher) on the command line', () => {
  it('--version prints the version of package.json and exits 0', () => {
    const run = cli('--version');
    expect(run.stdout).toBe(`${VERSION}\n`);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('drops a leading -- (as `npx lilt-conformance -- --version` passes it)', () => {
    const run = cli('--', '--version');
    expect(run.stdout).toBe(`${VERSION}\n`);
    expect(run.code).toBe(0);
  });

  it('--help lists the conformance options and every command, and exits 0', () => {
    const run = cli('--help');
    expect(run.stdout).toMatch(/^Usage: lilt-conformance \[options\]/);
    for (const text of ['--target', '--runs', 'run ', 'serve ', 'lint-spec ', 'contract diff ', 'pact verify ', 'pact publish ', 'pact can-i-deploy ', 'pact record-deployment ', 'pact record-release ', 'pact check-spec ']) {
      expect(run.stdout).toContain(text);
    }
    expect(run.code).toBe(0);
  });

  it('pact --help lists the pact commands and exits 0', () => {
    const run = cli('pact', '--help');
    for (const name of ['verify', 'publish', 'can-i-deploy', 'record-deployment', 'record-release', 'check-spec']) expect(run.stdout).toContain(`pact ${name} `);
    expect(run.code).toBe(0);
  });

  it.each([
    [['frobnicate'], /^error: unknown command 'frobnicate' \(commands: run, serve, lint-spec, contract diff, pact verify\|publish\|can-i-deploy\|record-deployment\|record-release\|check-spec; see lilt-conformance --help\)$/],
    [['contract'], /^error: contract needs a command: diff/],
    [['contract', 'frobnicate'], /^error: unknown command 'contract frobnicate'/],
    [['pact', 'frobnicate'], /^error: unknown command 'pact frobnicate'/],
    [['pact'], /^error: pact needs a command: verify, publish, can-i-deploy, record-deployment, record-release or check-spec/],
    [['serve', '--frobnicate'], /^error: unknown option '--frobnicate'$/],
  ])('%j: one line on stderr, exit 2', (args, pattern) => {
    expectOneLineUsageError(cli(...args), pattern);
  });
});

describe('lilt-conformance (the dispatcher) in-process', () => {
  it('--version goes to the given output', async () => {
    let out = '';
    await expect(main(['--version'], { stdout: (text) => (out += text) })).resolves.toBe(ExitCode.ok);
    expect(out).toBe(`${VERSION}\n`);
  });

  it.each([
    [['pact', 'verify', '--target', 'http://127.0.0.1:9'], '@pact-foundation/pact', /^lilt-conformance pact verify needs @pact-foundation\/pact, an optional dependency that is not installed: npm install @pact-foundation\/pact$/],
    [['pact', 'publish'], '@pact-foundation/pact-cli', /needs @pact-foundation\/pact-cli, .*: npm install @pact-foundation\/pact-cli$/],
    [['pact', 'can-i-deploy'], '@pact-foundation/pact-cli', /needs @pact-foundation\/pact-cli, .*: npm install @pact-foundation\/pact-cli$/],
    [['pact', 'record-deployment'], '@pact-foundation/pact-cli', /needs @pact-foundation\/pact-cli, .*: npm install @pact-foundation\/pact-cli$/],
    [['pact', 'record-release'], '@pact-foundation/pact-cli', /needs @pact-foundation\/pact-cli, .*: npm install @pact-foundation\/pact-cli$/],
    [['pact', 'check-spec'], '@pactflow/openapi-pact-comparator', /needs @pactflow\/openapi-pact-comparator, .*: npm install @pactflow\/openapi-pact-comparator$/],
  ])('%j without %s: one line naming the package to install, exit 2, the command not loaded', async (argv, absent, message) => {
    const loader = loaderWithout(absent);
    const error = await usageErrorOf(main(argv, { loader }));
    expect(error.message).toMatch(message);
    expect(loader.loaded).toEqual([]);
  });

  it('a command whose module cannot load one of the optional packages gets the same line', async () => {
    const loader: ModuleLoader = {
      resolve: (id) => nodeModuleLoader.resolve(id),
      load(id) {
        if (id === './pact-verify') throw moduleNotFound('@pact-foundation/pact');
        return nodeModuleLoader.load(id);
      },
    };
    const error = await usageErrorOf(main(['pact', 'verify'], { loader }));
    expect(error.message).toMatch(/: npm install @pact-foundation\/pact$/);
  });

  it('a module missing inside an installed package is not an install hint', async () => {
    const loader: ModuleLoader = {
      resolve: (id) => nodeModuleLoader.resolve(id),
      load(id) {
        if (id === './pact-verify') throw moduleNotFound('@pact-foundation/pact-core');
        return nodeModuleLoader.load(id);
      },
    };
    // pact-core is pact's own dependency, not one of this package's optional ones.
    const error: unknown = await main(['pact', 'verify'], { loader }).catch((rejection: unknown) => rejection);
    expect(error).not.toBeInstanceOf(UserError);
    expect(error).toMatchObject({ code: 'MODULE_NOT_FOUND' });
  });

  it('a missing module of this package itself is a bug, not an install hint', async () => {
    const loader: ModuleLoader = {
      resolve: (id) => nodeModuleLoader.resolve(id),
      load(id) {
        if (id === './serve') throw moduleNotFound('./serve');
        return nodeModuleLoader.load(id);
      },
    };
    const error: unknown = await main(['serve'], { loader }).catch((rejection: unknown) => rejection);
    expect(error).not.toBeInstanceOf(UserError);
    expect(error).toMatchObject({ code: 'MODULE_NOT_FOUND' });
  });
});
