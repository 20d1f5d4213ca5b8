/**
 * The jest configuration of the conformance suites (not the project's own tests): one worker, because every suite
 * writes the same job on the target and their oracles depend on its state; `maxConcurrency` lets the suites' independent
 * probes (other ids) overlap up to --concurrency. With `jest --shard`, give each shard its own job (LILT_JOB_ID).
 */
import * as path from 'node:path';
import type { Config } from 'jest';
import { PROJECT_ROOT } from '../contract/load';
import { suiteFile, type SuiteId } from './plan';

export const SUITES_DIR = path.join(PROJECT_ROOT, 'src', 'conformance', 'suites');

export interface ConformanceJestOptions {
  readonly suites?: readonly SuiteId[];
  readonly concurrency?: number;
  readonly testTimeoutMs?: number;
  readonly reporters?: Config['reporters'];
  /** Run the start-up and the restore in jest's global setup/teardown (when jest is run directly, not by the CLI). */
  readonly globalSession?: boolean;
}

export function conformanceJestConfig(options: ConformanceJestOptions = {}): Config {
  return {
    rootDir: PROJECT_ROOT,
    roots: [SUITES_DIR],
    testMatch: options.suites ? options.suites.map((id) => `**/${suiteFile(id)}`) : ['**/*.conformance.ts'],
    testEnvironment: 'node',
    transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(PROJECT_ROOT, 'tsconfig.json') }] },
    maxWorkers: 1,
    maxConcurrency: options.concurrency ?? 4,
    testTimeout: options.testTimeoutMs ?? 30 * 60_000,
    // The suites in the order of the groups (schema first), not jest's by-duration order.
    testSequencer: path.join(PROJECT_ROOT, 'src', 'conformance', 'jest', 'sequencer.js'),
    ...(options.reporters ? { reporters: options.reporters } : {}),
    ...(options.globalSession
      ? {
          globalSetup: path.join(PROJECT_ROOT, 'src', 'conformance', 'jest', 'global-setup.ts'),
          globalTeardown: path.join(PROJECT_ROOT, 'src', 'conformance', 'jest', 'global-teardown.ts'),
        }
      : {}),
  };
}
