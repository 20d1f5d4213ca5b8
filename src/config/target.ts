/**
 * The guards of whatever writes a job on a target, the run and `pact verify` alike: the target (never the document's
 * production server unless --allow-production), the key it needs, the job it writes (required with --target), and an
 * id no job has (2147483647 unless given), which must not be one of the jobs. One code, so one line and one exit
 * code for each refusal, whichever command meets it.
 */
import { UserError } from '../errors';
import type { Contract } from '../contract/load';
import { isLoopbackHost } from '../http/target-url';
import { DEFAULTS, valueOf, type Given } from './options';

/** Where the run sends its requests. */
export type TargetConfig =
  /** No --target: the reference provider, started in-process on a free loopback port. */
  | { readonly kind: 'reference' }
  | { readonly kind: 'url'; readonly url: string; readonly loopback: boolean };

/** The target, the key and the jobs, checked. */
export interface TargetInputs {
  readonly target: TargetConfig;
  /** Undefined for the reference target (its fixture key is used), or in a dry run. */
  readonly apiKey: string | undefined;
  /** Every job given; the first is the one written. Empty for the reference target. */
  readonly jobIds: readonly number[];
  /** An id no job has: given, else 2147483647 with a URL target; undefined for the reference target. */
  readonly missingJobId: number | undefined;
}

/** A hostname as the production guard compares it: lower case, without the trailing dot(s) of a fully qualified name. */
export function normalisedHostname(hostname: string): string {
  return hostname.toLowerCase().replace(/\.+$/, '');
}

/**
 * The production guard: the document's own servers are refused unless allowed. Compared by hostname alone (lower
 * case, trailing dot dropped, any port): `API.LILT.COM.:443` is production too.
 */
export function refuseProduction(url: URL, contract: Contract, allowProduction: boolean): void {
  if (allowProduction) return;
  const production = (contract.document.servers ?? []).map((server) => {
    try {
      return normalisedHostname(new URL(server.url).hostname);
    } catch {
      return undefined;
    }
  });
  if (production.includes(normalisedHostname(url.hostname))) {
    throw new UserError(
      `${url.host} is the document's production server; point --target at staging or a mock, or pass --allow-production if you mean it`,
    );
  }
}

function targetOf(given: Given, env: NodeJS.ProcessEnv, contract: Contract): TargetConfig {
  const url = valueOf('target', given, env);
  if (url === undefined) return { kind: 'reference' };
  refuseProduction(url, contract, valueOf('allowProduction', given, env) ?? false);
  return { kind: 'url', url: url.toString().replace(/\/+$/, ''), loopback: isLoopbackHost(url.hostname) };
}

/**
 * --target, --api-key, --job-id and --missing-job-id (or their variables), with every guard. `keyOptional`: a dry run
 * sends nothing, so it needs no key. Throws a one-line UserError (exit 2).
 */
export function resolveTargetInputs(given: Given, env: NodeJS.ProcessEnv, contract: Contract, keyOptional = false): TargetInputs {
  const target = targetOf(given, env, contract);
  const apiKey = valueOf('apiKey', given, env);
  if (target.kind === 'url' && apiKey === undefined && !keyOptional) {
    throw new UserError('a --target needs an API key: pass --api-key KEY or set LILT_API_KEY');
  }
  const jobIds = valueOf('jobId', given, env) ?? [];
  if (target.kind === 'url' && jobIds.length === 0) {
    throw new UserError('a --target needs the job to update: pass --job-id N or set LILT_JOB_ID');
  }
  const missingJobId = valueOf('missingJobId', given, env) ?? (target.kind === 'url' ? DEFAULTS.missingJobId : undefined);
  if (missingJobId !== undefined && jobIds.includes(missingJobId)) {
    throw new UserError(`--missing-job-id must differ from --job-id (${missingJobId} names a job the run updates or reads)`);
  }
  return { target, apiKey, jobIds, missingJobId };
}
