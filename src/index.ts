/**
 * lilt-conformance as a library (the command is bin/lilt-conformance.js): the reference provider of
 * PUT /v2/jobs/{jobId}, the contract loader, and the exit codes every command uses.
 */
export {
  createReferenceApp,
  startReferenceProvider,
  DEFAULT_FIXTURES_FILE,
  type Fixtures,
  type JobRecord,
  type ReferenceProviderOptions,
  type RunningProvider,
} from './provider';
export { DEFAULT_CONTRACT_FILE, loadContract, type Contract } from './contract/load';
export { ExitCode, UserError } from './errors';
// The conformance engine's entry point (runConformance) is exported here once it lands.
