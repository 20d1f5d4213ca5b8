/**
 * Errors for people. A UserError is something the person running the tool can fix (a bad flag, a missing file,
 * an unreachable target): it is printed as one line, with a distinct exit code, and no stack trace.
 * Anything else is a bug and keeps its stack trace.
 */

/** Exit codes shared by every command of the project. */
export const ExitCode = {
  ok: 0,
  /** At least one check or lint rule failed. */
  findings: 1,
  /** Usage or configuration error: bad flag, missing or invalid file, unknown operation. */
  usage: 2,
  /** The target could not be reached, or stopped answering: no verdict is possible. */
  unreachable: 3,
  /** A bug in this tool (uncaught exception). */
  internal: 70,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = ExitCode.usage,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** Collapses a multi-line message to the one line a user error is allowed. */
export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/**
 * Runs a command's main function: a UserError becomes one line on stderr and its exit code; anything else is a bug,
 * printed with its stack.
 */
export function runMain(main: () => Promise<number>): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof UserError) {
        process.stderr.write(`error: ${oneLine(error.message)}\n`);
        process.exitCode = error.exitCode;
      } else {
        process.stderr.write(`internal error (a bug in lilt-conformance; please report it):\n`);
        process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        process.exitCode = ExitCode.internal;
      }
    },
  );
}
