/**
 * Whether anything listens at a URL's host and port: a TCP connect, nothing more. Used to turn "the broker is down"
 * into one clear line before the Pact CLI prints a page of retries.
 */
import * as net from 'node:net';

export function isReachable(url: string, timeoutMs = 3000): Promise<boolean> {
  const parsed = new URL(url);
  const port = Number(parsed.port) || (parsed.protocol === 'https:' ? 443 : 80);
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
