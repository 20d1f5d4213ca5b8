/** @jest-config-loader ts-node */
/** @jest-config-loader-options {"transpileOnly": true} */
/**
 * `npx jest -c src/conformance/jest.config.ts`: the conformance suites without the CLI. Configure them with the same
 * environment variables as the CLI (LILT_TARGET_URL, LILT_API_KEY, LILT_JOB_ID, ...); the global setup starts the
 * reference provider when LILT_TARGET_URL is unset, does the first read, and the teardown restores the job.
 * `--shard i/n` splits the suites across machines (give each shard its own LILT_JOB_ID).
 */
import { conformanceJestConfig } from './jest-config';

export default conformanceJestConfig({ globalSession: true, reporters: ['default'] });
