/**
 * The Pact Broker's flags, the same on every pact command that talks to a broker (their rows: src/config/options.ts), and how pact output is shown: the
 * Pact CLI's and the verifier's output without terminal escapes when stdout is not a terminal (a CI log).
 */
import { stripVTControlCharacters } from 'node:util';
import type { BrokerFlags } from '../pact/broker-settings';

export type { BrokerFlags } from '../pact/broker-settings';

/** The help's note on where the broker settings come from. */
export const BROKER_ENVIRONMENT_HELP =
  'Broker: --broker-base-url or PACT_BROKER_BASE_URL; --broker-token or PACT_BROKER_TOKEN (or PACT_BROKER_USERNAME and\n' +
  'PACT_BROKER_PASSWORD). Flags win; prefer the variable for the token: a flag shows in the process list.';

/**
 * The broker flags as given (their rows are in the options table, src/config/options.ts); src/pact/broker-settings.ts
 * reads their variables and checks them, so that its messages name the flag or variable a value came from.
 */
export function brokerFlags(options: Readonly<Record<string, unknown>>): BrokerFlags {
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return { brokerBaseUrl: text(options['brokerBaseUrl']), brokerToken: text(options['brokerToken']) };
}

/** Text for a stream: as it is on a terminal, without terminal escapes (colours, cursor moves) elsewhere. */
export function forStream(text: string, tty: boolean): string {
  return tty ? text : stripVTControlCharacters(text);
}

/** Writes the Pact CLI's collected output to stdout, ending with a newline, escapes removed off a terminal. */
export function writePactOutput(output: string, stdout: NodeJS.WriteStream = process.stdout): void {
  if (output === '') return;
  const text = forStream(output, stdout.isTTY === true);
  stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}
