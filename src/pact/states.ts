/**
 * The provider states the consumer pacts name, shared by the consumer tests (which write them) and the verifier
 * (which sets them up). Each state's values are injected into the replayed request (the job id in the path), so the
 * same pact verifies against any target and any configured job.
 */

export const ProviderStates = {
  /** The configured job exists, reset to the baseline below. Injects `jobId`. */
  jobExists: 'a job exists',
  /** The configured job exists with its `due` set to the `due` parameter. Injects `jobId`. */
  jobExistsWithDue: 'a job exists with a due date',
  /** No job has the configured missing id. Injects `jobId`. */
  jobMissing: 'no job has the requested id',
} as const;
export type ProviderState = (typeof ProviderStates)[keyof typeof ProviderStates];

/** The job id the pact's example requests use (the document's `Job.id` example). */
export const EXAMPLE_JOB_ID = 241;
/** The id the pact's 404 example uses; the verifier injects its configured missing id. */
export const EXAMPLE_MISSING_JOB_ID = 999999;

/** What a job is reset to before each interaction, through the API itself. */
export const BASELINE = {
  name: 'pact baseline job',
  due: '2030-01-01T09:30:00.125Z',
  isProcessing: '0',
} as const;

/** The expression the path uses, filled from what the state handler returns. */
export const JOB_PATH_EXPRESSION = '/v2/jobs/${jobId}';
