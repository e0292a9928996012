import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { PNG_BOMB, PNG_SIGNATURE, TINY_PNG, pngStart } from './net-png.js';

/**
 * A real HTTP(S) server on a loopback address standing in for "the internet" in fetch tests.
 * It logs every request and connection and has a fixed menu of routes, each misbehaving in
 * exactly one named way, so a fault test reads as `upstream.url('/truncated')`.
 */

export interface UpstreamRequest {
  readonly method: string;
  /** Path and query exactly as received (`/redirect?to=…`). */
  readonly path: string;
  /** Lower-cased names, as Node parses them. */
  readonly headers: http.IncomingHttpHeaders;
}

export type UpstreamHandler = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => void | Promise<void>;

export interface UpstreamFileOptions {
  /** Defaults to `application/octet-stream`. */
  contentType?: string;
  /** E.g. `attachment; filename="cat.png"`. */
  contentDisposition?: string;
  /** Anything else; wins over the headers above. */
  headers?: http.OutgoingHttpHeaders;
}

export interface Upstream {
  /** `http://127.0.0.2:PORT` (`https://…` with TLS; IPv6 hosts in brackets). */
  readonly origin: string;
  readonly host: string;
  readonly port: number;
  /** Every request received, in order. */
  readonly requests: readonly UpstreamRequest[];
  /** TCP connections accepted so far (before any TLS handshake). */
  readonly connections: number;
  /** `origin + path`. */
  url(path: string): string;
  /** Serve `bytes` at `/file/<name>` with a Content-Length. */
  file(name: string, bytes: Buffer, options?: UpstreamFileOptions): void;
  /** Handle this exact pathname; checked before the built-in routes, so it can replace one. */
  route(pathname: string, handler: UpstreamHandler): void;
  /** Closes the server and destroys every open socket, mid-response or not. */
  close(): Promise<void>;
}

/** Inflated size of `/gzip-bomb` when not given: bigger than any sane media limit. */
export const GZIP_BOMB_DEFAULT = 256 * 1024 * 1024;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

// Compressing hundreds of megabytes of zeros takes most of a second; do it once per size and process.
const gzipBombs = new Map<number, Promise<Buffer>>();
function gzipBomb(inflated: number): Promise<Buffer> {
  let bomb = gzipBombs.get(inflated);
  if (!bomb) {
    const zeros = Buffer.alloc(1024 * 1024);
    let left = inflated;
    // Zeros streamed in, never the whole inflated size in memory; comes out ~1000× smaller.
    const source = new Readable({
      read() {
        const n = Math.min(left, zeros.length);
        left -= n;
        this.push(n > 0 ? zeros.subarray(0, n) : null);
      },
    });
    bomb = Readable.from(source.pipe(createGzip({ level: 9 })))
      .toArray()
      .then((parts: Buffer[]) => Buffer.concat(parts));
    gzipBombs.set(inflated, bomb);
  }
  return bomb;
}

function send(res: http.ServerResponse, status: number, contentType: string, body: Buffer | string): void {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': bytes.length });
  res.end(bytes);
}

const page = (status: number) =>
  `<!doctype html><title>${status}</title><h1>${status} ${http.STATUS_CODES[status] ?? 'Unknown'}</h1>\n`;

const redirect = (res: http.ServerResponse, status: number, location: string) => {
  res.writeHead(status, { Location: location, 'Content-Length': 0 });
  res.end();
};

/** A non-negative integer query parameter, or the default. */
function intParam(url: URL, name: string, fallback: number): number {
  const value = Number(url.searchParams.get(name) ?? fallback);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`bad ${name}`);
  return value;
}

export async function startUpstream(options: { host?: string; tls?: { key: string; cert: string } } = {}): Promise<Upstream> {
  const host = options.host ?? '127.0.0.2';
  const files = new Map<string, { bytes: Buffer; options: UpstreamFileOptions }>();
  const custom = new Map<string, UpstreamHandler>();
  const requests: UpstreamRequest[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;

  const builtIn = (url: URL): UpstreamHandler | undefined => {
    const path = url.pathname;
    let m: RegExpExecArray | null;
    if ((m = /^\/file\/(.+)$/.exec(path))) {
      const file = files.get(decodeURIComponent(m[1]!));
      if (!file) return undefined;
      const { contentType, contentDisposition, headers } = file.options;
      return (_req, res) => {
        res.writeHead(200, {
          'Content-Type': contentType ?? 'application/octet-stream',
          'Content-Length': file.bytes.length,
          ...(contentDisposition === undefined ? {} : { 'Content-Disposition': contentDisposition }),
          ...headers,
        });
        res.end(file.bytes);
      };
    }
    if ((m = /^\/status\/([2-5]\d\d)$/.exec(path))) {
      const status = Number(m[1]);
      return (_req, res) => send(res, status, 'text/html; charset=utf-8', page(status));
    }
    // The Location is sent verbatim, so tests can hand the client relative, protocol-relative,
    // `file:`, `http://127.0.0.1/`, or any other target it must judge for itself.
    if (path === '/redirect') {
      const to = url.searchParams.get('to');
      const status = intParam(url, 'status', 302);
      if (to === null || !REDIRECT_STATUSES.has(status)) return (_req, res) => send(res, 400, 'text/plain', 'need to= and a redirect status');
      return (_req, res) => redirect(res, status, to);
    }
    // Never ends: the client's redirect limit is the only way out.
    if ((m = /^\/loop\/(\d+)$/.exec(path))) {
      const next = Number(m[1]) + 1;
      return (_req, res) => redirect(res, 302, `/loop/${next}`);
    }
    // Counts down, so /chain/n costs exactly n redirects before a real image.
    if ((m = /^\/chain\/(\d+)$/.exec(path))) {
      const left = Number(m[1]);
      return (_req, res) => (left > 0 ? redirect(res, 302, `/chain/${left - 1}`) : send(res, 200, 'image/png', TINY_PNG));
    }
    switch (path) {
      // Promises 100000 bytes, sends 1000 that look like a PNG, then the connection dies: the
      // client must notice the short body rather than store a truncated image. Destroying only
      // once the write has flushed makes sure those 1000 bytes really arrive first.
      case '/truncated':
        return (_req, res) => {
          res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': 100_000 });
          res.write(pngStart(1000), () => res.socket?.destroy());
        };
      // Chunked has no length to compare against: the only sign of truncation is the missing
      // zero-length terminating chunk, which a careless client reads as a normal end.
      case '/cut-chunked':
        return (_req, res) => {
          res.writeHead(200, { 'Content-Type': 'image/png' });
          res.write(pngStart(500));
          res.write(Buffer.alloc(500), () => res.socket?.destroy());
        };
      // Always making progress, never finishing in time: defeats an idle timeout, so only a
      // total-time limit stops it. Content-Length is honest, so a patient client gets it all.
      case '/slow':
        return (_req, res, u) => {
          const bytes = intParam(u, 'bytes', 10);
          const interval = intParam(u, 'interval', 1000);
          res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': PNG_SIGNATURE.length + bytes });
          res.write(PNG_SIGNATURE);
          let sent = 0;
          const tick = () => {
            if (res.destroyed) return;
            if (sent >= bytes) return void res.end();
            sent++;
            res.write(Buffer.from([0]));
            timer = setTimeout(tick, interval);
          };
          let timer = setTimeout(tick, interval);
          res.on('close', () => clearTimeout(timer));
        };
      // The connection is accepted and the request read, then silence: only a header timeout helps.
      case '/stall-headers':
        return () => {};
      // Headers and a first chunk arrive, so "the response started" — then nothing: needs an
      // idle/body timeout. The declared length keeps the client waiting for more.
      case '/stall-body':
        return (_req, res) => {
          res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': 1000 });
          res.write(pngStart(10));
        };
      // Generated on the fly with backpressure, so gigabytes cost no memory here; `length=0`
      // omits Content-Length, so only counting the bytes can enforce a size limit.
      case '/big':
        return (_req, res, u) => {
          const total = intParam(u, 'bytes', 1024 * 1024);
          const withLength = u.searchParams.get('length') !== '0';
          res.writeHead(200, { 'Content-Type': 'image/png', ...(withLength ? { 'Content-Length': total } : {}) });
          const filler = Buffer.alloc(64 * 1024);
          let left = total;
          const first = PNG_SIGNATURE.subarray(0, Math.min(left, PNG_SIGNATURE.length));
          left -= first.length;
          res.write(first);
          const pump = () => {
            while (left > 0) {
              if (res.destroyed) return;
              const n = Math.min(left, filler.length);
              left -= n;
              if (!res.write(filler.subarray(0, n))) return void res.once('drain', pump);
            }
            res.end();
          };
          pump();
        };
      // A small body that inflates past any limit: a client that checks only Content-Length
      // (the compressed size) or decompresses without counting gets flooded.
      case '/gzip-bomb':
        return async (_req, res, u) => {
          const body = await gzipBomb(intParam(u, 'inflated', GZIP_BOMB_DEFAULT));
          res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Encoding': 'gzip', 'Content-Length': body.length });
          res.end(body);
        };
      // The declared type lies: only sniffing the bytes catches it.
      case '/html-as-png':
        return (_req, res) => send(res, 200, 'image/png', '<!doctype html><html><body><h1>Not an image</h1></body></html>\n');
      case '/empty':
        return (_req, res) => send(res, 200, 'image/png', Buffer.alloc(0));
      // Tiny on the wire, 30 GB once decoded: only a pixel limit checked before decoding helps.
      case '/png-bomb':
        return (_req, res) => send(res, 200, 'image/png', PNG_BOMB);
      case '/echo-headers':
        return (req, res) => send(res, 200, 'application/json', JSON.stringify(req.headers));
      default:
        return undefined;
    }
  };

  const dispatch = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers });
    try {
      const url = new URL(req.url ?? '/', 'http://upstream.invalid');
      const handler = custom.get(url.pathname) ?? builtIn(url);
      if (handler) await handler(req, res, url);
      else send(res, 404, 'text/html; charset=utf-8', page(404));
    } catch (error) {
      if (res.headersSent) res.destroy();
      else send(res, 400, 'text/plain', String(error));
    }
  };
  const listener = (req: http.IncomingMessage, res: http.ServerResponse) => void dispatch(req, res);
  const server = options.tls ? https.createServer({ ...options.tls }, listener) : http.createServer(listener);

  // For HTTPS this is the raw TCP socket, before the handshake: a refused certificate still counts.
  server.on('connection', (socket: Socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `${options.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    origin,
    host,
    port,
    requests,
    get connections() {
      return connections;
    },
    url: (path) => origin + path,
    file: (name, bytes, fileOptions = {}) => void files.set(name, { bytes, options: fileOptions }),
    route: (pathname, handler) => void custom.set(pathname, handler),
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await closed;
    },
  };
}
