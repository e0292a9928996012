import dns from 'node:dns';
import { FetchError } from './fetch-error.js';

export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Turns a host name into the addresses to connect to; rejects with `FetchError('dns_failed')`. */
export interface HostResolver {
  resolve(hostname: string): Promise<ResolvedAddress[]>;
  /**
   * The port a name's service really listens on, the way an SRV record would say it; absent, the
   * URL's port. Intake's own resolvers never move a port. Tests use it to reach fixture servers
   * that stand in for real hosts (`https://public.api.bsky.app/` on a loopback port) without
   * binding port 443; the address the socket reaches is judged exactly as always.
   */
  port?(hostname: string, port: number): number;
}

const NOT_FOUND = new Set([dns.NOTFOUND, dns.NODATA, 'ENOTFOUND', 'ENODATA', 'EAI_NONAME', 'EAI_NODATA']);

function dnsFailure(hostname: string, error: unknown): FetchError {
  const code = (error as { code?: string } | null)?.code ?? '';
  const why = NOT_FOUND.has(code) ? 'does not resolve' : `could not be resolved (${code || 'lookup failed'})`;
  return new FetchError('dns_failed', `The host name ${hostname} ${why}.`, { cause: error });
}

/**
 * Looks names up on the given name servers (`INTAKE_DNS_SERVERS`), asking for A and AAAA. The
 * answer is used as it is: the connection goes to exactly the addresses checked, with no second
 * lookup that could answer differently.
 */
export class ServerResolver implements HostResolver {
  private readonly resolver: dns.promises.Resolver;

  constructor(servers: readonly string[]) {
    this.resolver = new dns.promises.Resolver({ timeout: 3000, tries: 2 });
    this.resolver.setServers([...servers]);
  }

  async resolve(hostname: string): Promise<ResolvedAddress[]> {
    const [v4, v6] = await Promise.allSettled([this.resolver.resolve4(hostname), this.resolver.resolve6(hostname)]);
    const addresses: ResolvedAddress[] = [
      ...(v4.status === 'fulfilled' ? v4.value.map((address) => ({ address, family: 4 as const })) : []),
      ...(v6.status === 'fulfilled' ? v6.value.map((address) => ({ address, family: 6 as const })) : []),
    ];
    if (addresses.length > 0) return addresses;
    const failure: unknown = v4.status === 'rejected' ? v4.reason : v6.status === 'rejected' ? v6.reason : undefined;
    throw dnsFailure(hostname, failure);
  }
}

/** The operating system's resolver (getaddrinfo: hosts file, search domains), all answers at once. */
export class SystemResolver implements HostResolver {
  async resolve(hostname: string): Promise<ResolvedAddress[]> {
    try {
      const answers = await dns.promises.lookup(hostname, { all: true, verbatim: true });
      if (answers.length === 0) throw Object.assign(new Error('no addresses'), { code: 'ENODATA' });
      return answers.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
    } catch (error) {
      throw dnsFailure(hostname, error);
    }
  }
}

export function createResolver(servers: readonly string[]): HostResolver {
  return servers.length > 0 ? new ServerResolver(servers) : new SystemResolver();
}
