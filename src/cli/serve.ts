/**
 * `lilt-conformance serve --port 4010 [--host 127.0.0.1] [--fixtures FILE] [--quota N] [--latency-ms N]` (`npm run serve --` here):
 * the reference provider, standalone. One log line per request on stdout; stops cleanly on SIGINT / SIGTERM.
 */
import { Command, InvalidArgumentError } from 'commander';
import { parseCommand } from './parse-command';
import { ExitCode, runMain } from '../errors';
import { DEFAULT_FIXTURES_FILE, MAX_LATENCY_MS, startReferenceProvider } from '../provider';

export const DEFAULT_SERVE_PORT = 4010;

function integerIn(min: number, max: number, what: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      throw new InvalidArgumentError(`${what} must be an integer from ${min} to ${max}.`);
    }
    return Number(value);
  };
}

interface ServeFlags {
  port: number;
  host: string;
  fixtures?: string;
  quota?: number;
  latencyMs?: number;
}

function parseFlags(argv: readonly string[]): ServeFlags | number {
  const program = new Command('lilt-conformance serve')
    .description('Run the reference provider of PUT /v2/jobs/{jobId} (stateful, in memory) until SIGINT/SIGTERM.')
    .option('--port <port>', 'port to listen on (0 picks a free one)', integerIn(0, 65535, 'port'), DEFAULT_SERVE_PORT)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--fixtures <file>', `JSON file of API keys and jobs (default: ${DEFAULT_FIXTURES_FILE})`)
    .option('--quota <n>', 'requests per minute per API key, then 429 with Retry-After (default: no quota)',
      integerIn(1, Number.MAX_SAFE_INTEGER, 'quota'))
    .option('--latency-ms <n>', 'hold every answer back N milliseconds, a stand-in for a distant staging (default: 0)',
      integerIn(0, MAX_LATENCY_MS, 'latency'));
  // commander prints its one-line message (or the help) itself.
  const stop = parseCommand(program, argv);
  if (stop !== undefined) return stop;
  return program.opts<ServeFlags>();
}

export async function main(argv: readonly string[]): Promise<number> {
  const flags = parseFlags(argv);
  if (typeof flags === 'number') return flags;
  const provider = await startReferenceProvider({
    port: flags.port,
    host: flags.host,
    ...(flags.fixtures !== undefined ? { fixtures: flags.fixtures } : {}),
    ...(flags.quota !== undefined ? { quota: flags.quota } : {}),
    ...(flags.latencyMs !== undefined ? { latencyMs: flags.latencyMs } : {}),
    log: (line) => process.stdout.write(`${new Date().toISOString()} ${line}\n`),
  });
  const quota = flags.quota === undefined ? 'no quota' : `quota ${flags.quota}/min per key`;
  const latency = flags.latencyMs ? `, ${flags.latencyMs} ms latency` : '';
  process.stdout.write(`reference provider listening on ${provider.url} (${quota}${latency}); Ctrl-C to stop\n`);

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  process.stdout.write(`${signal}: closing\n`);
  await provider.close();
  return ExitCode.ok;
}

if (require.main === module) runMain(() => main(process.argv.slice(2)));
