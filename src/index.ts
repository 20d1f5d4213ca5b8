/**
 * lilt-conformance as a library (the command is bin/lilt-conformance.js): the conformance engine (one function call,
 * options in, findings out), the reference provider of PUT /v2/jobs/{jobId}, the contract loader, and the exit codes
 * every command uses. The jest adapter is `lilt-conformance/jest`.
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
export {
  openRun,
  runConformance,
  verdictOf,
  type ConformanceRun,
  type ProgressEvent,
  type RestoreResult,
  type RunHooks,
  type RunOptions,
  type RunResult,
  type StopReason,
  type Verdict,
} from './run/run';
export type { RestoreStep } from './run/job-guard';
export { resolveRunConfig, type RawOptions, type RunConfig } from './config/run-config';
export type { CaseRecord } from './case/record';
export type { Finding } from './case/finding';
