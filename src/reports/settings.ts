/** The run's settings in words: the CLI's first line and --dry-run, and every report's settings block. */
import type { RunConfig } from '../config/run-config';
import { ALL_CHECKS } from '../checks/registry';
import { selectsAll } from '../checks/selection';
import { shownHeader } from '../http/headers';
import { describeProxy } from '../http/proxy';

export interface Setting {
  readonly name: string;
  readonly value: string;
}

export function describeRate(config: RunConfig): string {
  if (config.rate.kind === 'unlimited') return 'unlimited (loopback target)';
  return `${config.rate.perMinute} requests a minute${config.rate.source === 'documented-quota' ? " (the document's quota)" : ''}${config.shard ? ` (this shard's share)` : ''}`;
}

export function describeTarget(config: RunConfig): string {
  return config.target.kind === 'reference' ? 'the reference provider, started in-process on a free port' : config.target.url;
}

export function describeChecks(config: RunConfig): string {
  const { checks } = config;
  const which = selectsAll(checks)
    ? `all ${ALL_CHECKS.length} checks`
    : checks.text === 'schema'
      ? 'response conformance only (--checks schema)'
      : `${checks.ids.length} of ${ALL_CHECKS.length} checks (--checks ${checks.text})`;
  return config.shard ? `${which}, shard ${config.shard.index}/${config.shard.count}` : which;
}

export function describeBaseline(config: RunConfig): string {
  if (config.baseline === undefined) return 'none';
  const { file, entries } = config.baseline;
  const expired = entries.filter((e) => e.expired).length;
  return `${file} (${entries.length === 1 ? '1 entry' : `${entries.length} entries`}${expired > 0 ? `, ${expired} expired` : ''})`;
}

/** What a report shows of the run's configuration (never a secret: the key and secret header values are not in it). */
export function settingsOf(config: RunConfig, target: string): Setting[] {
  return [
    { name: 'target', value: target },
    { name: 'checks', value: describeChecks(config) },
    { name: 'seed', value: `${config.seed}${config.seedGiven ? ' (given)' : ' (random)'}` },
    { name: 'runs per property', value: String(config.runs) },
    { name: 'rate', value: `${describeRate(config)}, ${config.concurrency} in flight at most, timeout ${config.timeoutMs} ms per request` },
    ...(config.maxFailures === undefined ? [] : [{ name: 'max failures', value: String(config.maxFailures) }]),
    ...(config.baseline === undefined ? [] : [{ name: 'baseline', value: describeBaseline(config) }]),
    ...(config.headers.length === 0 ? [] : [{ name: 'headers', value: config.headers.map(shownHeader).join('; ') }]),
    ...(config.proxy === undefined ? [] : [{ name: 'proxy', value: describeProxy(config.proxy) }]),
    ...(config.extraCaCerts === undefined ? [] : [{ name: 'extra CA certificates', value: config.extraCaCerts }]),
    ...(config.replay === undefined ? [] : [{ name: 'replay', value: `${config.replay.property}=${config.replay.path}` }]),
  ];
}
