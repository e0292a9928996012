import fs from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { ServerResolver, type HostResolver, type ResolvedAddress } from '../../src/net/host-resolver.js';
import { gif, jpeg, mp4, png, webp } from './media-fixtures.js';
import { type TestDns, startDnsServer } from './net-dns.js';
import { testCa } from './net-tls.js';

/**
 * "The internet" for resolver tests: real host names (`public.api.bsky.app`, `cdn.bsky.app`,
 * `unsplash.com`, …) answered by two servers on one loopback address, HTTPS with the test CA
 * (a leaf per name, by SNI) and plain HTTP. A test DNS server maps every name a test serves to
 * that address, and `hostResolver` tells Intake's client to connect to the servers' ports where
 * a URL says 443 or 80: the URL, the TLS name check and the Host header stay those of the real
 * site, and the address is judged as for any other host.
 *
 * Routes are keyed by host and path, scheme-agnostic; a route's query parameters must all be in
 * the request's for it to answer (the request may carry more), and the route naming the most
 * parameters wins.
 */

export type MediaKind = 'png' | 'jpeg' | 'gif' | 'webp' | 'mp4';

export interface FixtureRequest {
  readonly method: string;
  readonly url: URL;
  /** Lower-cased names, as Node parses them. */
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export type FixtureHandler = (req: FixtureRequest, res: http.ServerResponse) => void | Promise<void>;

export interface FixtureWeb {
  /** The loopback address every fixture host resolves to (exempt it with INTAKE_FETCH_ALLOWED_NETWORKS). */
  readonly address: string;
  readonly dns: TestDns;
  /** For `startApp(env, { hostResolver })`: real names, fixture ports. */
  readonly hostResolver: HostResolver;
  /** Like `hostResolver`, but every name is the fixture address (for answering every host alike). */
  readonly anyHostResolver: HostResolver;
  /** Env for an app that uses this web: DNS, the CA, the fixture address exempt. */
  readonly env: Readonly<Record<string, string>>;
  /** Every request received since the last `reset`, in order. */
  readonly requests: readonly FixtureRequest[];
  /** The requests to one host (and path, when given). */
  requestsTo(host: string, pathname?: string): FixtureRequest[];
  /** `url` without a scheme works too (`cdn.bsky.app/img/x`); its query, if any, must match. */
  route(url: string, handler: FixtureHandler): void;
  /** Answers every request no route takes (a 404 page when unset). */
  fallback(handler: FixtureHandler | null): void;
  json(url: string, body: unknown, status?: number, headers?: http.OutgoingHttpHeaders): void;
  html(url: string, body: string, status?: number, headers?: http.OutgoingHttpHeaders): void;
  text(url: string, body: string, status?: number, contentType?: string): void;
  redirect(url: string, location: string, status?: number): void;
  /** Real media bytes of a kind at `url` (unique per call); returns them. */
  media(url: string, kind: MediaKind, contentType?: string): Promise<Buffer>;
  /** Makes a name resolve to the fixture address without serving anything on it. */
  host(name: string): void;
  /** Forgets routes and requests (DNS names stay). */
  reset(): void;
  close(): Promise<void>;
}

const MEDIA: Record<MediaKind, { make: () => Promise<Buffer> | Buffer; type: string }> = {
  png: { make: () => png(), type: 'image/png' },
  jpeg: { make: () => jpeg(), type: 'image/jpeg' },
  gif: { make: () => gif(), type: 'image/gif' },
  webp: { make: () => webp(), type: 'image/webp' },
  mp4: { make: () => mp4(), type: 'video/mp4' },
};

interface Route {
  readonly host: string;
  readonly pathname: string;
  readonly query: URLSearchParams;
  readonly handler: FixtureHandler;
}

function parseRouteUrl(url: string): URL {
  return new URL(/^[a-z]+:\/\//i.test(url) ? url : `https://${url}`);
}

function queryMatches(route: URLSearchParams, request: URLSearchParams): boolean {
  for (const [name, value] of route) if (!request.getAll(name).includes(value)) return false;
  return true;
}

export async function startFixtureWeb(options: { address?: string } = {}): Promise<FixtureWeb> {
  const address = options.address ?? '127.0.0.3';
  const dns = await startDnsServer();
  const routes: Route[] = [];
  let fallback: FixtureHandler | null = null;
  const requests: FixtureRequest[] = [];
  const names = new Set<string>();
  const sockets = new Set<Socket>();
  const ca = testCa();
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'intake-fixture-web-'));
  const caFile = path.join(tmp, 'ca.pem');
  await fs.writeFile(caFile, ca.caPem);

  const host = (name: string) => {
    const normal = name.toLowerCase();
    if (names.has(normal)) return;
    names.add(normal);
    dns.set(normal, { a: [address] });
  };

  const dispatch = async (req: http.IncomingMessage, res: http.ServerResponse, scheme: 'http' | 'https') => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', `${scheme}://${req.headers.host ?? 'unknown.invalid'}`);
    const request: FixtureRequest = { method: req.method ?? 'GET', url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
    requests.push(request);
    const matching = routes
      .filter((route) => route.host === url.hostname && route.pathname === url.pathname && queryMatches(route.query, url.searchParams))
      .sort((a, b) => [...b.query].length - [...a.query].length);
    const handler = matching[0]?.handler ?? fallback;
    try {
      if (handler) await handler(request, res);
      else {
        res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
        res.end(`<!doctype html><title>404</title><p>No fixture for ${url.hostname}${url.pathname}</p>`);
      }
    } catch (error) {
      if (res.headersSent) res.destroy();
      else res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
    }
  };

  const secure = https.createServer(
    {
      ...ca.issue(['fixture.invalid']),
      SNICallback: (servername, done) => done(null, tls.createSecureContext(ca.issue([servername]))),
    },
    (req, res) => void dispatch(req, res, 'https'),
  );
  const plain = http.createServer((req, res) => void dispatch(req, res, 'http'));
  for (const server of [secure, plain]) {
    server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, address, () => resolve());
    });
  }
  const httpsPort = (secure.address() as AddressInfo).port;
  const httpPort = (plain.address() as AddressInfo).port;

  const lookups = new ServerResolver([dns.server]);
  const hostResolver: HostResolver = {
    resolve: (hostname: string): Promise<ResolvedAddress[]> => lookups.resolve(hostname),
    port: (hostname: string, port: number) => (names.has(hostname.toLowerCase()) ? fixturePort(port) : port),
  };

  const fixturePort = (port: number) => (port === 443 ? httpsPort : port === 80 ? httpPort : port);
  const anyHostResolver: HostResolver = {
    resolve: () => Promise.resolve([{ address, family: 4 }]),
    port: (_hostname, port) => fixturePort(port),
  };

  const route = (url: string, handler: FixtureHandler) => {
    const parsed = parseRouteUrl(url);
    host(parsed.hostname);
    routes.push({ host: parsed.hostname, pathname: parsed.pathname, query: parsed.searchParams, handler });
  };
  const send = (status: number, type: string, body: string | Buffer, headers: http.OutgoingHttpHeaders = {}): FixtureHandler => (_req, res) => {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    res.writeHead(status, { 'content-type': type, 'content-length': bytes.length, ...headers });
    res.end(bytes);
  };

  return {
    address,
    dns,
    hostResolver,
    anyHostResolver,
    env: {
      INTAKE_DNS_SERVERS: dns.server,
      INTAKE_FETCH_CA_FILE: caFile,
      INTAKE_FETCH_ALLOWED_NETWORKS: `${address}/32`,
      INTAKE_RATE_LIMIT_PER_MINUTE: '100000',
    },
    requests,
    requestsTo: (name, pathname) =>
      requests.filter((r) => r.url.hostname === name.toLowerCase() && (pathname === undefined || r.url.pathname === pathname)),
    route,
    fallback: (handler) => void (fallback = handler),
    json: (url, body, status = 200, headers = {}) => route(url, send(status, 'application/json; charset=utf-8', JSON.stringify(body), headers)),
    html: (url, body, status = 200, headers = {}) => route(url, send(status, 'text/html; charset=utf-8', body, headers)),
    text: (url, body, status = 200, contentType = 'text/plain; charset=utf-8') => route(url, send(status, contentType, body)),
    redirect: (url, location, status = 302) =>
      route(url, (_req, res) => {
        res.writeHead(status, { location, 'content-length': 0 });
        res.end();
      }),
    media: async (url, kind, contentType) => {
      const bytes = await MEDIA[kind].make();
      route(url, send(200, contentType ?? MEDIA[kind].type, bytes));
      return bytes;
    },
    host,
    reset: () => {
      fallback = null;
      routes.length = 0;
      requests.length = 0;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await Promise.all(
        [secure, plain].map((server) => {
          server.closeAllConnections();
          return new Promise<void>((resolve) => server.close(() => resolve()));
        }),
      );
      await dns.close();
      await fs.rm(tmp, { recursive: true, force: true });
    },
  };
}
