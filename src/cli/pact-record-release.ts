/**
 * `lilt-conformance pact record-release --environment NAME`: records in the Pact Broker that a version is released in
 * an environment (official Pact CLI); see src/cli/pact-record.ts.
 */
import { runMain } from '../errors';
import { recordMain } from './pact-record';

export function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return recordMain('release', argv, env);
}

if (require.main === module) runMain(() => main(process.argv.slice(2)));
