/**
 * The Pact Broker's flags, the same on every pact command that talks to a broker, and how pact output is shown: the
 * Pact CLI's and the verifier's output without terminal escapes when stdout is not a terminal (a CI log).
 */
import { stripVTControlCharacters } from 'node:util';
import type { Command } from 'commander';
import type { BrokerFlags } from '../pact/broker-settings';

export type { BrokerFlags } from '../pact/broker-settings';

/** The help's note on where the broker settings come from. */
export const BROKER_ENVIRONMENT_HELP =
  'Broker: --broker-base-url or PACT_BROKER_BASE_URL; --broker-token or PACT_BROKER_TOKEN (or PACT_BROKER_USERNAME and\n' +
  'PACT_BROKER_PASSWORD). Flags win; prefer the variable for the token: a flag shows in the process list.';

export function addBrokerOptions(program: Command): Command {
  return program
    .option('--broker-base-url <url>', 'the Pact Broker (default: $PACT_BROKER_BASE_URL)')
    .option('--broker-token <token>', 'its bearer token (default: $PACT_BROKER_TOKEN, which keeps it out of the process list)');
}

/** The broker flags of parsed options. */
export function brokerFlags(options: BrokerFlags): BrokerFlags {
  return { brokerBaseUrl: options.brokerBaseUrl, brokerToken: options.brokerToken };
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
