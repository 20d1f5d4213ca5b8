/** @jest-config-loader ts-node */
/** @jest-config-loader-options {"transpileOnly": true} */
import type { Config } from 'jest';

// The project's own tests and the Pact consumer tests (`npm test`). A conformance run is not a jest run: the CLI calls
// the engine (src/run) in-process. Every test file's temp folders are removed when it ends (tests/setup/temp-cleanup.ts).
const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  setupFilesAfterEnv: ['<rootDir>/tests/setup/temp-cleanup.ts'],
  testTimeout: 30_000,
};

export default config;
