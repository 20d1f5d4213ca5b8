/**
 * `lilt-conformance serve --port 4010 [--host 127.0.0.1] [--fixtures FILE] [--quota N] [--latency-ms N]` (`npm run serve --` here):
 * the reference provider, standalone. It prints its fixtures' key and job ids (test values, not secrets) and a command
 * line that runs the conformance run against it; then one log line per request on stdout, the key redacted there;
 * stops cleanly on SIGINT / SIGTERM.
 */
import { Command } from 'commander';
import { parseCommand } from './parse-command';
import { ExitCode, runMain } from '../errors';
import { addOptions, loadContractOption, settledValueOf, valueOf } from '../config/options';
import type { Contract } from '../contract/load';
import { defaultMissingJobId, loadFixtures, startReferenceProvider, type Fixtures } from '../provider';

export { DEFAULT_SERVE_PORT } from '../config/options';

interface ServeFlags {
  readonly port: number;
  readonly host: string;
  readonly fixtures: string;
  readonly contract: Contract;
  readonly quota?: number | undefined;
  readonly latencyMs?: number | undefined;
}

/**
 * What a person needs to point a run at the provider: its fixtures' keys and jobs (test values, printed as they are)
 * and a command line that uses them.
 */
export function fixtureLines(fixtures: Fixtures, url: string): string[] {
  const keys = fixtures.apiKeys;
  const jobs = fixtures.jobs.map((job) => job.id);
  const first = jobs[0];
  return [
    `fixtures: API ${keys.length === 1 ? 'key' : 'keys'} ${keys.join(', ')} (test ${keys.length === 1 ? 'value' : 'values'}, not secret); ` +
      `${jobs.length === 1 ? 'job' : 'jobs'} ${jobs.join(', ')}; no job has ${defaultMissingJobId(fixtures)}`,
    // The key exported, never on the command line, as every example of the project has it.
    ...(keys[0] !== undefined && first !== undefined
      ? ['run against it:', `  export LILT_API_KEY=${keys[0]}`, `  npx lilt-conformance --target ${url} --job-id ${first}`]
      : []),
  ];
}

async function parseFlags(argv: readonly string[]): Promise<ServeFlags | number> {
  const program = addOptions(
    new Command('lilt-conformance serve').description('Run the reference provider of PUT /v2/jobs/{jobId} (stateful, in memory) until SIGINT/SIGTERM.'),
    'serve',
  );
  // commander prints its one-line message (or the help) itself.
  const stop = parseCommand(program, argv);
  if (stop !== undefined) return stop;
  const given = program.opts();
  return {
    contract: await loadContractOption(given, process.env),
    port: settledValueOf('port', given),
    host: settledValueOf('host', given),
    fixtures: settledValueOf('fixtures', given),
    quota: valueOf('quota', given),
    latencyMs: valueOf('latencyMs', given),
  };
}

export async function main(argv: readonly string[]): Promise<number> {
  const flags = await parseFlags(argv);
  if (typeof flags === 'number') return flags;
  const provider = await startReferenceProvider({
    contract: flags.contract,
    port: flags.port,
    host: flags.host,
    fixtures: flags.fixtures,
    ...(flags.quota !== undefined ? { quota: flags.quota } : {}),
    ...(flags.latencyMs !== undefined ? { latencyMs: flags.latencyMs } : {}),
    log: (line) => process.stdout.write(`${new Date().toISOString()} ${line}\n`),
  });
  const quota = flags.quota === undefined ? 'no quota' : `quota ${flags.quota}/min per key`;
  const latency = flags.latencyMs ? `, ${flags.latencyMs} ms latency` : '';
  process.stdout.write(`reference provider listening on ${provider.url} (${quota}${latency}); Ctrl-C to stop\n`);
  // Loaded again only to show them: the provider has already read and checked the same file.
  const fixtures = loadFixtures(flags.fixtures);
  process.stdout.write(`${fixtureLines(fixtures, provider.url).join('\n')}\n`);

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  process.stdout.write(`${signal}: closing\n`);
  await provider.close();
  return ExitCode.ok;
}

if (require.main === module) runMain(() => main(process.argv.slice(2)));
