import net from 'node:net';
import type { LookupAddress, LookupAllOptions, LookupOneOptions } from 'node:dns';
import { buildConnector } from 'undici';
import type { AddressPolicy } from './address-policy.js';
import { FetchError } from './fetch-error.js';
import type { HostResolver } from './host-resolver.js';

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

function bare(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

function blocked(address: string, reason: string): FetchError {
  return new FetchError('blocked_address', `The address ${address} is not public (${reason}).`);
}

/**
 * The connector behind every outbound socket. Three checks, so no path reaches a forbidden
 * address:
 * - an IP literal (where Node calls no lookup) is judged before connecting;
 * - a name is resolved by our resolver and every answer judged; the socket is then handed
 *   exactly those answers, so there is no second lookup that could answer differently (DNS
 *   rebinding);
 * - once connected, the socket's remote address is judged again, before a byte of the request
 *   is written.
 * undici calls this for every connection, so redirects and reused agents are covered alike.
 */
export function guardedConnector(
  policy: AddressPolicy,
  resolver: HostResolver,
  tls: { ca?: string[]; timeoutMs: number },
): buildConnector.connector {
  const lookup = (hostname: string, options: LookupOneOptions | LookupAllOptions, callback: LookupCallback): void => {
    resolver.resolve(hostname).then(
      (answers) => {
        for (const { address } of answers) {
          const verdict = policy.check(address);
          if (!verdict.allowed) return callback(blocked(address, verdict.reason), []);
        }
        const wanted = options.family === 4 || options.family === 6 ? answers.filter((a) => a.family === options.family) : answers;
        if (wanted.length === 0) {
          return callback(new FetchError('dns_failed', `The host name ${hostname} has no address of the family asked for.`), []);
        }
        if (options.all) return callback(null, wanted);
        const first = wanted[0]!;
        return callback(null, first.address, first.family);
      },
      (error: unknown) => callback(error as NodeJS.ErrnoException, []),
    );
  };

  const connect = buildConnector({
    ...(tls.ca ? { ca: tls.ca } : {}),
    timeout: tls.timeoutMs,
    lookup,
  });

  return (options, callback) => {
    const host = bare(options.hostname);
    if (net.isIP(host)) {
      const verdict = policy.check(host);
      if (!verdict.allowed) return callback(blocked(host, verdict.reason), null);
    }
    const port = resolver.port?.(host, Number(options.port || (options.protocol === 'https:' ? 443 : 80)));
    connect(port === undefined ? options : { ...options, port: String(port) }, (error, socket) => {
      if (error || !socket) return callback(error ?? new Error('no socket'), null);
      const remote = socket.remoteAddress;
      const verdict = remote ? policy.check(remote) : { allowed: false as const, reason: 'unknown peer' };
      if (!verdict.allowed) {
        socket.destroy();
        return callback(blocked(remote ?? host, verdict.reason), null);
      }
      return callback(null, socket);
    });
  };
}
