/**
 * When jest runs the suites directly (`npx jest -c src/conformance/jest.config.ts`), this does what the CLI does
 * before them: configuration from the LILT_* environment, the reference provider when there is no target, the first
 * read and the snapshot. The CLI sets LILT_CONFORMANCE_RUN itself, and then this does nothing.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resolveRunConfig } from '../../config/run-config';
import { loadContract } from '../../contract/load';
import { oneLine, UserError } from '../../errors';
import { KEY_ENV, RUN_ENV } from '../run-channel';
import { openSession, type Session } from '../session';

export const SESSION_GLOBAL = '__liltConformanceSession';

export default async function globalSetup(): Promise<void> {
  if (process.env[RUN_ENV] !== undefined) return;
  const contract = await loadContract();
  let session: Session;
  try {
    const { config, secrets } = resolveRunConfig({}, process.env, contract);
    const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lilt-conformance-'));
    session = await openSession(config, secrets, runDir, (line) => process.stderr.write(`${line}\n`));
  } catch (error) {
    if (error instanceof UserError) throw new Error(oneLine(error.message));
    throw error;
  }
  if (session.original === undefined) {
    await session.close();
    throw new Error('the first read did not return a Job: no write is sent (see the start-up finding)');
  }
  process.env[RUN_ENV] = JSON.stringify(session.active);
  process.env[KEY_ENV] = session.apiKey;
  (globalThis as Record<string, unknown>)[SESSION_GLOBAL] = session;
}
