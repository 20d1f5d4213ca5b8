/**
 * Pact Broker settings, read once from the flags (--broker-base-url, --broker-token) or the environment (the variables
 * the official Pact CLI reads itself): PACT_BROKER_BASE_URL, and PACT_BROKER_TOKEN or PACT_BROKER_USERNAME +
 * PACT_BROKER_PASSWORD. Flags win. Secrets stay in this object and in the environment handed to the CLI; they are
 * never put in its arguments or in messages.
 */
import { UserError } from '../errors';

export type BrokerAuth =
  | { readonly kind: 'token'; readonly token: string }
  | { readonly kind: 'basic'; readonly username: string; readonly password: string }
  | { readonly kind: 'none' };

export interface BrokerSettings {
  readonly baseUrl: string;
  readonly auth: BrokerAuth;
}

const value = (env: NodeJS.ProcessEnv, name: string) => env[name]?.trim() || undefined;

/** The broker flags of the pact commands (src/cli/broker-options.ts). */
export interface BrokerFlags {
  readonly brokerBaseUrl?: string | undefined;
  readonly brokerToken?: string | undefined;
}

const flagValue = (text: string | undefined) => text?.trim() || undefined;

/** True when a broker is named (--broker-base-url, or PACT_BROKER_BASE_URL). */
export function brokerConfigured(env: NodeJS.ProcessEnv = process.env, flags: BrokerFlags = {}): boolean {
  return (flagValue(flags.brokerBaseUrl) ?? value(env, 'PACT_BROKER_BASE_URL')) !== undefined;
}

/**
 * The broker settings. `requireCredentials` (publish, can-i-deploy, record-deployment, record-release) makes a
 * missing token or username/password a UserError; a broker without authentication is only accepted for reading pacts.
 */
export function brokerSettings(env: NodeJS.ProcessEnv = process.env, requireCredentials = true, flags: BrokerFlags = {}): BrokerSettings {
  const fromFlag = flagValue(flags.brokerBaseUrl);
  const baseUrl = fromFlag ?? value(env, 'PACT_BROKER_BASE_URL');
  const urlFrom = fromFlag !== undefined ? '--broker-base-url' : 'PACT_BROKER_BASE_URL';
  if (!baseUrl) {
    throw new UserError(
      'no Pact Broker: set PACT_BROKER_BASE_URL or pass --broker-base-url (and PACT_BROKER_TOKEN, or PACT_BROKER_USERNAME and PACT_BROKER_PASSWORD)',
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch {
    throw new UserError(`${urlFrom} is not a URL (expected e.g. https://broker.example.com)`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UserError(`${urlFrom} must be an http:// or https:// URL`);
  }
  if (parsed.username || parsed.password) {
    throw new UserError(`${urlFrom} must not carry credentials; use PACT_BROKER_TOKEN, or PACT_BROKER_USERNAME and PACT_BROKER_PASSWORD`);
  }
  const token = flagValue(flags.brokerToken) ?? value(env, 'PACT_BROKER_TOKEN');
  const username = value(env, 'PACT_BROKER_USERNAME');
  const password = env['PACT_BROKER_PASSWORD'];
  let auth: BrokerAuth;
  if (token) {
    auth = { kind: 'token', token };
  } else if (username && password) {
    auth = { kind: 'basic', username, password };
  } else if (username || password) {
    throw new UserError('set both PACT_BROKER_USERNAME and PACT_BROKER_PASSWORD (or PACT_BROKER_TOKEN)');
  } else if (requireCredentials) {
    throw new UserError('no Pact Broker credentials: set PACT_BROKER_TOKEN (or pass --broker-token), or PACT_BROKER_USERNAME and PACT_BROKER_PASSWORD');
  } else {
    auth = { kind: 'none' };
  }
  return { baseUrl: baseUrl.replace(/\/+$/, ''), auth };
}

/** The secrets of the settings, to scrub from any text that is shown. */
export function brokerSecrets(settings: BrokerSettings): string[] {
  switch (settings.auth.kind) {
    case 'token':
      return [settings.auth.token];
    case 'basic':
      return [settings.auth.password];
    case 'none':
      return [];
  }
}

/** Replaces every occurrence of a secret by `***`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length > 0) out = out.split(secret).join('***');
  return out;
}
