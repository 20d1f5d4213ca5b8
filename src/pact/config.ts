/**
 * Where the pacts live and what the two parties are called. The names are configurable (PACT_CONSUMER,
 * PACT_PROVIDER) so a team can record the same expectations under its own consumer name.
 */
export { PACT_DIR } from '../config/options';

export const DEFAULT_CONSUMER = 'lilt-conformance-client';
export const DEFAULT_PROVIDER = 'lilt-api';

export interface PactNames {
  readonly consumer: string;
  readonly provider: string;
}

export function pactNames(env: NodeJS.ProcessEnv = process.env): PactNames {
  return {
    consumer: env['PACT_CONSUMER']?.trim() || DEFAULT_CONSUMER,
    provider: env['PACT_PROVIDER']?.trim() || DEFAULT_PROVIDER,
  };
}

/** The file pact-js writes for a consumer/provider pair. */
export function pactFileName(names: PactNames): string {
  return `${names.consumer}-${names.provider}.json`;
}
