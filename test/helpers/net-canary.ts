import net from 'node:net';

/**
 * A TCP listener that only exists to be *not* connected to. Start one on an address the SSRF
 * guard must refuse (127.0.0.1, ::1, 127.0.0.3, …), point a fetch at it (directly, by DNS, by a
 * redirect), and assert `canary.connections` stayed empty: proof that the guard refused before
 * connecting, not merely that the fetch failed for some other reason.
 *
 * It accepts and at once closes with a reset (RST), so a client that does connect fails fast
 * (ECONNRESET) and the test still gets to its assertion. Not a polite close (FIN): Node 20's
 * fetch (undici 6) hangs for good, now and then, when the FIN arrives before it has written its
 * request (measured: 1 in 200 with `end()`, every time with `destroy()`); a reset never does.
 */

export interface CanaryConnection {
  readonly remoteAddress: string;
  readonly remotePort: number;
}

export interface Canary {
  readonly host: string;
  readonly port: number;
  /** `host:port`, IPv6 in brackets, ready for a URL: `http://${canary.address}/`. */
  readonly address: string;
  /** Every connection accepted, in order. */
  readonly connections: readonly CanaryConnection[];
  close(): Promise<void>;
}

export async function startCanary(host: string, port = 0): Promise<Canary> {
  const connections: CanaryConnection[] = [];
  const server = net.createServer((socket) => {
    connections.push({ remoteAddress: socket.remoteAddress ?? '', remotePort: socket.remotePort ?? 0 });
    socket.on('error', () => {});
    socket.resetAndDestroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as net.AddressInfo).port;
  return {
    host,
    port: bound,
    address: `${host.includes(':') ? `[${host}]` : host}:${bound}`,
    connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
