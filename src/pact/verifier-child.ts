/**
 * The verifier's own process (started by runVerifierInChild in src/pact/verify.ts): it takes the verify options from
 * the IPC channel, runs the verifier, sends its result back and exits. The parent passes its output on.
 */
import { runVerifier, type VerifierChildMessage, type VerifyOptions } from './verify';

function reply(message: VerifierChildMessage, code: number): void {
  process.send?.(message, () => process.exit(code));
}

process.once('message', (options: VerifyOptions) => {
  runVerifier(options).then(
    (result) => reply({ kind: 'result', result }, 0),
    (error: unknown) =>
      reply(
        error instanceof Error
          ? { kind: 'error', message: error.message, ...(error.stack === undefined ? {} : { stack: error.stack }) }
          : { kind: 'error', message: String(error) },
        1,
      ),
  );
});
