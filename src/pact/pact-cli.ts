/**
 * Runs the official Pact CLI (`@pact-foundation/pact-cli`, one static binary) for the broker commands. Broker URL and
 * credentials go to it through the environment variables it reads itself (never as arguments, which any process
 * listing shows), usage tracking is off, and its output is scrubbed of the secrets before it is shown.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { UserError } from '../errors';
import { brokerSecrets, redact, type BrokerSettings } from './broker-settings';

/** The platform binary itself, not the node wrapper (a killed wrapper leaves its child running). */
export function pactBinary(): string {
  let file: string;
  try {
    const standalone = require('@pact-foundation/pact-cli/src/pact-standalone') as {
      standalone(): { pactFullPath: string };
    };
    file = standalone.standalone().pactFullPath;
  } catch (error) {
    throw new UserError(`the Pact CLI is not installed for this platform (${(error as Error).message}); run npm ci`);
  }
  if (!fs.existsSync(file)) throw new UserError(`the Pact CLI binary is missing at ${file}; run npm ci`);
  return file;
}

export interface PactCliResult {
  readonly exitCode: number;
  /** stdout and stderr, interleaved as they came, with the secrets replaced by `***`. */
  readonly output: string;
}

/** The environment the CLI gets: the caller's, minus any broker settings, plus the given ones. */
export function brokerEnvironment(broker: BrokerSettings, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env, PACT_DO_NOT_TRACK: 'true', PACT_BROKER_BASE_URL: broker.baseUrl };
  for (const name of ['PACT_BROKER_TOKEN', 'PACT_BROKER_USERNAME', 'PACT_BROKER_PASSWORD']) delete out[name];
  if (broker.auth.kind === 'token') out['PACT_BROKER_TOKEN'] = broker.auth.token;
  if (broker.auth.kind === 'basic') {
    out['PACT_BROKER_USERNAME'] = broker.auth.username;
    out['PACT_BROKER_PASSWORD'] = broker.auth.password;
  }
  return out;
}

/** Runs `pact <args>` against the broker and collects its output. */
export function runPactBroker(
  args: readonly string[],
  broker: BrokerSettings,
  env: NodeJS.ProcessEnv = process.env,
): Promise<PactCliResult> {
  const binary = pactBinary();
  const secrets = brokerSecrets(broker);
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['broker', ...args], {
      env: brokerEnvironment(broker, env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.on('error', (error) => reject(new UserError(`cannot run the Pact CLI: ${error.message}`)));
    child.on('close', (code, signal) => {
      resolve({ exitCode: code ?? (signal ? 128 : 1), output: redact(output, secrets) });
    });
  });
}

/**
 * The first line of the CLI's output that says what went wrong, for a one-line error. The CLI's own messages are
 * several lines (and sometimes a backtrace); the full text is still printed above it when asked for.
 */
export function firstErrorLine(output: string): string {
  const lines = output
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return lines.find((line) => /error|failed|could not|refused|not found|unauthori[sz]ed|40\d|50\d/i.test(line)) ?? lines[0] ?? 'no output';
}
