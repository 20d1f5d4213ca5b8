/** Restores the job after the suites when jest ran them directly (see global-setup.ts). */
import { describeOriginal } from '../target-state';
import type { Session } from '../session';
import { SESSION_GLOBAL } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const session = (globalThis as Record<string, unknown>)[SESSION_GLOBAL] as Session | undefined;
  if (session === undefined) return;
  try {
    const outcome = await session.restore();
    if (outcome.kind === 'failed' && session.original) {
      throw new Error(
        `RESTORE FAILED for job ${session.active.jobId} (${outcome.reason}); put back by hand: ${describeOriginal(session.original)}`,
      );
    }
  } finally {
    await session.close();
  }
}
