/**
 * Runs commander on a command's arguments the same way for every entry point: help and version exit 0, a usage error
 * (unknown flag, missing value, bad choice) exits 2 after commander's own one-line message.
 */
import { CommanderError, type Command } from 'commander';
import { ExitCode } from '../errors';

/** Parses argv into `program`; returns the exit code when the command must stop here, undefined to go on. */
export function parseCommand(program: Command, argv: readonly string[]): ExitCode | undefined {
  program.exitOverride();
  try {
    program.parse([...argv], { from: 'user' });
    return undefined;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    throw error;
  }
}
