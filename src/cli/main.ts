/**
 * `lilt-conformance`, the package's one command (bin/lilt-conformance.js runs the build of this file):
 *
 *   lilt-conformance [run] [options]          the conformance run (src/cli/conformance.ts)
 *   lilt-conformance serve [options]          the reference provider (src/cli/serve.ts)
 *   lilt-conformance lint-spec [options]      the OpenAPI document's lint (src/cli/lint-spec.ts)
 *   lilt-conformance contract diff <old> <new> [options]   what changed between two documents (src/cli/contract-diff.ts)
 *   lilt-conformance pact verify|publish|can-i-deploy|record-deployment|record-release|check-spec [options]
 *   lilt-conformance --version | -h, --help
 *
 * Each command's module is loaded only when it runs, so a command never pays for another's dependencies, and the
 * pact commands, whose packages are optional dependencies, tell which package to install when one is missing
 * (one line, exit 2) instead of failing on an import.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ExitCode, UserError, runMain } from '../errors';
import type { CommandName } from '../config/options';

/** A command's entry point: its arguments in, its exit code out. */
export interface CommandModule {
  main(argv: readonly string[]): Promise<number>;
}

/**
 * How the dispatcher reaches modules. Production uses Node's require; a test passes its own to make an optional
 * package look uninstalled.
 */
export interface ModuleLoader {
  /** Loads a module; a relative id is relative to this file (`./serve`). */
  load(id: string): unknown;
  /** Resolves a module id to its file; throws an error with code MODULE_NOT_FOUND when it is not installed. */
  resolve(id: string): string;
}

export const nodeModuleLoader: ModuleLoader = {
  load: (id) => require(id) as unknown,
  resolve: (id) => require.resolve(id),
};

export interface MainDependencies {
  readonly loader?: ModuleLoader;
  /** Where --version and --help are printed. */
  readonly stdout?: (text: string) => void;
}

/** An optional dependency of the package: its name (what to install) and the module a command loads from it. */
export interface OptionalPackage {
  readonly name: string;
  readonly entry: string;
}

const PACT: OptionalPackage = { name: '@pact-foundation/pact', entry: '@pact-foundation/pact' };
// The Pact CLI package has no loadable main; src/pact/pact-cli.ts loads this module of it.
const PACT_CLI: OptionalPackage = { name: '@pact-foundation/pact-cli', entry: '@pact-foundation/pact-cli/src/pact-standalone' };
const COMPARATOR: OptionalPackage = { name: '@pactflow/openapi-pact-comparator', entry: '@pactflow/openapi-pact-comparator' };
const OPTIONAL_PACKAGES: readonly OptionalPackage[] = [PACT, PACT_CLI, COMPARATOR];

export interface Subcommand {
  /** As typed: `serve`, `pact verify`; the options table (src/config/options.ts) names the commands each flag is for. */
  readonly name: CommandName;
  readonly summary: string;
  /** The module exporting `main(argv)`, relative to this file. */
  readonly module: string;
  /** Optional packages it cannot run without. */
  readonly needs: readonly OptionalPackage[];
}

const RUN: Subcommand = {
  name: 'run',
  summary: 'the conformance run (the default: `lilt-conformance [options]` is `lilt-conformance run [options]`)',
  module: './conformance',
  needs: [],
};

/** Every command of the package, in the order --help lists them (docs/targets-and-flags.md too). */
export const COMMANDS: readonly Subcommand[] = [
  RUN,
  { name: 'serve', summary: 'the reference provider, standalone, until SIGINT/SIGTERM', module: './serve', needs: [] },
  { name: 'lint-spec', summary: "lint the OpenAPI document against the team's baseline", module: './lint-spec', needs: [] },
  {
    name: 'contract diff',
    summary: 'what changed in the tested operation between two versions of the document, breaking changes first',
    module: './contract-diff',
    needs: [],
  },
  { name: 'pact verify', summary: 'verify the consumer pacts against a provider', module: './pact-verify', needs: [PACT] },
  { name: 'pact publish', summary: 'publish the pact files to a Pact Broker', module: './pact-publish', needs: [PACT_CLI] },
  {
    name: 'pact can-i-deploy',
    summary: 'ask the Pact Broker whether this version can be deployed',
    module: './pact-can-i-deploy',
    needs: [PACT_CLI],
  },
  {
    name: 'pact record-deployment',
    summary: 'record in the Pact Broker that a version is deployed to an environment',
    module: './pact-record-deployment',
    needs: [PACT_CLI],
  },
  {
    name: 'pact record-release',
    summary: 'record in the Pact Broker that a version is released in an environment',
    module: './pact-record-release',
    needs: [PACT_CLI],
  },
  {
    name: 'pact check-spec',
    summary: 'check the pacts against the OpenAPI document',
    module: './pact-check-spec',
    needs: [COMPARATOR],
  },
];

const PACT_COMMANDS = COMMANDS.filter((command) => command.name.startsWith('pact '));
const CONTRACT_COMMANDS = COMMANDS.filter((command) => command.name.startsWith('contract '));

/** The package's version, from its package.json: two levels up from src/cli/ and from dist/cli/ alike. */
export function packageVersion(): string {
  const file = path.join(__dirname, '..', '..', 'package.json');
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { version?: unknown };
  if (typeof parsed.version !== 'string') throw new Error(`${file} has no version`);
  return parsed.version;
}

function commandList(commands: readonly Subcommand[]): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`).join('\n');
}

function help(loader: ModuleLoader): string {
  // The conformance run's own options, from the command line it parses (commander only: no engine is loaded).
  const flags = loader.load('../config/flags') as typeof import('../config/flags');
  const options = flags.buildCommand({ out: () => undefined, err: () => undefined }).helpInformation();
  return (
    `${options}\n` +
    `Commands (lilt-conformance <command> --help for each one's options):\n${commandList(COMMANDS)}\n` +
    'The pact commands need the optional packages @pact-foundation/pact, @pact-foundation/pact-cli and ' +
    '@pactflow/openapi-pact-comparator.\n'
  );
}

function isMissingModule(error: unknown): error is Error {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND';
}

/** The optional package a MODULE_NOT_FOUND error is about, if it is about one. */
function missingOptionalPackage(error: Error): OptionalPackage | undefined {
  const id = /Cannot find module '([^']+)'/.exec(error.message)?.[1];
  if (id === undefined) return undefined;
  return OPTIONAL_PACKAGES.find((pkg) => id === pkg.name || id.startsWith(`${pkg.name}/`));
}

function installError(command: Subcommand, missing: readonly OptionalPackage[]): UserError {
  const names = missing.map((pkg) => pkg.name);
  const what = names.length === 1 ? 'an optional dependency that is' : 'optional dependencies that are';
  return new UserError(
    `lilt-conformance ${command.name} needs ${names.join(' and ')}, ${what} not installed: npm install ${names.join(' ')}`,
    ExitCode.usage,
  );
}

function isCommandModule(value: unknown): value is CommandModule {
  return typeof value === 'object' && value !== null && typeof (value as { main?: unknown }).main === 'function';
}

/** Loads a command's module, after checking that the optional packages it needs are there. */
function loadCommand(command: Subcommand, loader: ModuleLoader): CommandModule {
  const missing = command.needs.filter((pkg) => {
    try {
      loader.resolve(pkg.entry);
      return false;
    } catch (error) {
      if (isMissingModule(error)) return true;
      throw error;
    }
  });
  if (missing.length > 0) throw installError(command, missing);
  let loaded: unknown;
  try {
    loaded = loader.load(command.module);
  } catch (error) {
    const pkg = isMissingModule(error) ? missingOptionalPackage(error) : undefined;
    if (pkg !== undefined) throw installError(command, [pkg]);
    throw error;
  }
  if (!isCommandModule(loaded)) throw new Error(`${command.module} does not export main(argv)`);
  return loaded;
}

function unknownCommand(name: string): UserError {
  return new UserError(
    `unknown command '${name}' (commands: run, serve, lint-spec, contract diff, pact verify|publish|can-i-deploy|record-deployment|record-release|check-spec; ` +
      'see lilt-conformance --help)',
    ExitCode.usage,
  );
}

/** Picks the command from the first arguments; returns it with the arguments left for it. */
function route(
  given: readonly string[],
): { command: Subcommand; rest: readonly string[] } | 'help' | 'version' | 'pact-help' | 'contract-help' {
  // `npx lilt-conformance -- --runs 5` passes the `--` on.
  const argv = given[0] === '--' ? given.slice(1) : given;
  const [first, second] = argv;
  // No command, or options only: the conformance run, whose interface CI pipelines call.
  if (first === undefined) return { command: RUN, rest: [] };
  if (first === '-h' || first === '--help') return 'help';
  if (first === '-V' || first === '--version') return 'version';
  if (first.startsWith('-')) return { command: RUN, rest: argv };
  if (first === 'pact') {
    if (second === undefined) {
      throw new UserError('pact needs a command: verify, publish, can-i-deploy, record-deployment, record-release or check-spec (see lilt-conformance pact --help)');
    }
    if (second === '-h' || second === '--help') return 'pact-help';
    const command = PACT_COMMANDS.find((candidate) => candidate.name === `pact ${second}`);
    if (command === undefined) throw unknownCommand(`pact ${second}`);
    return { command, rest: argv.slice(2) };
  }
  if (first === 'contract') {
    if (second === undefined) throw new UserError('contract needs a command: diff (see lilt-conformance contract --help)');
    if (second === '-h' || second === '--help') return 'contract-help';
    const command = CONTRACT_COMMANDS.find((candidate) => candidate.name === `contract ${second}`);
    if (command === undefined) throw unknownCommand(`contract ${second}`);
    return { command, rest: argv.slice(2) };
  }
  const command = COMMANDS.find((candidate) => candidate.name === first);
  if (command === undefined) throw unknownCommand(first);
  return { command, rest: argv.slice(1) };
}

export async function main(argv: readonly string[], dependencies: MainDependencies = {}): Promise<number> {
  const loader = dependencies.loader ?? nodeModuleLoader;
  const stdout = dependencies.stdout ?? ((text: string) => void process.stdout.write(text));
  const routed = route(argv);
  if (routed === 'version') {
    stdout(`${packageVersion()}\n`);
    return ExitCode.ok;
  }
  if (routed === 'help') {
    stdout(help(loader));
    return ExitCode.ok;
  }
  if (routed === 'pact-help') {
    stdout(`Usage: lilt-conformance pact <command> [options]\n\nCommands:\n${commandList(PACT_COMMANDS)}\n`);
    return ExitCode.ok;
  }
  if (routed === 'contract-help') {
    stdout(`Usage: lilt-conformance contract <command> [options]\n\nCommands:\n${commandList(CONTRACT_COMMANDS)}\n`);
    return ExitCode.ok;
  }
  return loadCommand(routed.command, loader).main(routed.rest);
}

/** Runs the command line of this process (what bin/lilt-conformance.js calls). */
export function run(argv: readonly string[] = process.argv.slice(2)): void {
  runMain(() => main(argv));
}

if (require.main === module) run();
