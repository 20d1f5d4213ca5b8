/**
 * The reference provider: a real, stateful HTTP server for `PUT /v2/jobs/{jobId}` that behaves exactly as the contract
 * and contracts/BEHAVIOUR.md say. Start it in-process with `startReferenceProvider({ port: 0 })`, or standalone with
 * `npm run serve`.
 */
export {
  createReferenceApp,
  startReferenceProvider,
  BODY_LIMIT_BYTES,
  MAX_LATENCY_MS,
  type ReferenceProviderOptions,
  type RunningProvider,
} from './server';
export {
  DEFAULT_FIXTURES_FILE,
  defaultMissingJobId,
  loadFixtures,
  parseFixtures,
  type Fixtures,
  type JobRecord,
} from './fixtures';
