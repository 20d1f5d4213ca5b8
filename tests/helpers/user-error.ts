import { UserError } from '../../src/errors';

/** Runs `run` and returns the UserError it throws; any other outcome fails the test. */
export function userErrorOf(run: () => unknown): UserError {
  try {
    run();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a UserError');
}
