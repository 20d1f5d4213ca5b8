/**
 * The network between a team and its staging, on loopback: a gateway that serves the provider under a path prefix
 * (and may demand headers), a forward proxy (CONNECT, as undici's proxy agent tunnels), and a TLS front with a
 * certificate from a private CA made for the test by openssl (no key is committed). Each listens on 127.0.0.1, port 0.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { tempDir } from '../helpers/temp';

export interface Listening {
  readonly port: number;
  close(): Promise<void>;
}

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

function closer(server: net.Server, sockets: Set<net.Socket>): () => Promise<void> {
  return async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
}

function track(server: net.Server): Set<net.Socket> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return sockets;
}

export interface Gateway extends Listening {
  /** Requests forwarded, and refused (a wrong path or a missing header). */
  readonly seen: { forwarded: number; refused: number; headers: Array<Record<string, string | string[] | undefined>> };
}

/** Serves `upstream` under `prefix` (404 elsewhere); with `require`, answers 403 to a request without those headers. */
export async function startGateway(upstream: string, options: { prefix?: string; require?: Record<string, string> } = {}): Promise<Gateway> {
  const prefix = options.prefix ?? '';
  const seen: Gateway['seen'] = { forwarded: 0, refused: 0, headers: [] };
  const target = new URL(upstream);
  const server = http.createServer((req, res) => {
    seen.headers.push(req.headers);
    const url = req.url ?? '/';
    const missing = Object.entries(options.require ?? {}).some(([name, value]) => req.headers[name.toLowerCase()] !== value);
    if (!url.startsWith(`${prefix}/`) || missing) {
      seen.refused += 1;
      res.writeHead(missing ? 403 : 404, { 'content-type': 'text/plain' }).end(missing ? 'gateway: headers missing' : 'gateway: no such route');
      return;
    }
    seen.forwarded += 1;
    const forward = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: url.slice(prefix.length), headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  const sockets = track(server);
  return { port: await listen(server), seen, close: closer(server, sockets) };
}

export interface ForwardProxy extends Listening {
  /** Each CONNECT: the authority asked for and its Proxy-Authorization. */
  readonly tunnels: Array<{ authority: string; authorization: string | undefined }>;
}

/** A CONNECT proxy that reaches the names in `hosts` (a name -> a loopback port) and refuses the rest with 502. */
export async function startForwardProxy(hosts: Record<string, number>): Promise<ForwardProxy> {
  const tunnels: ForwardProxy['tunnels'] = [];
  const server = http.createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    const authority = req.url ?? '';
    tunnels.push({ authority, authorization: req.headers['proxy-authorization'] });
    const port = hosts[authority.replace(/:\d+$/, '')];
    if (port === undefined) {
      client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
      return;
    }
    const upstream = net.connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  const sockets = track(server);
  return { port: await listen(server), tunnels, close: closer(server, sockets) };
}

export interface PrivateCa {
  /** The CA's certificate (what NODE_EXTRA_CA_CERTS points at). */
  readonly caFile: string;
  readonly key: Buffer;
  /** The server's certificate, for IP 127.0.0.1, signed by the CA. */
  readonly cert: Buffer;
  remove(): void;
}

/** A CA and a server certificate for 127.0.0.1, made by the machine's openssl in a temporary directory. */
export function makePrivateCa(): PrivateCa {
  const dir = tempDir('lilt-ca-');
  const at = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...ec, '-keyout', at('ca.key'), '-out', at('ca.pem'), '-days', '2', '-subj', '/CN=lilt-conformance test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  openssl('req', ...ec, '-keyout', at('server.key'), '-out', at('server.csr'), '-subj', '/CN=127.0.0.1');
  fs.writeFileSync(at('server.ext'), 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  openssl('x509', '-req', '-in', at('server.csr'), '-CA', at('ca.pem'), '-CAkey', at('ca.key'), '-CAcreateserial',
    '-out', at('server.pem'), '-days', '2', '-extfile', at('server.ext'));
  return {
    caFile: at('ca.pem'),
    key: fs.readFileSync(at('server.key')),
    cert: fs.readFileSync(at('server.pem')),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** TLS on 127.0.0.1 in front of a plain TCP port (the provider), with the given key and certificate. */
export async function startTlsFront(upstreamPort: number, ca: Pick<PrivateCa, 'key' | 'cert'>): Promise<Listening> {
  const server = tls.createServer({ key: ca.key, cert: ca.cert }, (client) => {
    const upstream = net.connect(upstreamPort, '127.0.0.1');
    client.pipe(upstream).pipe(client);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  const sockets = new Set<net.Socket>();
  server.on('secureConnection', (socket: tls.TLSSocket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return { port: await listen(server), close: closer(server, sockets) };
}
