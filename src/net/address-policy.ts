import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;
type Network = [Address, number];

export type AddressVerdict = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

/** A CIDR in INTAKE_FETCH_ALLOWED_NETWORKS that cannot be used; `problems` lists every one. */
export class InvalidNetworkError extends Error {
  override readonly name = 'InvalidNetworkError';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid allowed networks: ${problems.join(' ')}`);
  }
}

const ALLOWED: AddressVerdict = Object.freeze({ allowed: true });
const refuse = (reason: string): AddressVerdict => ({ allowed: false, reason });

const cidr = (text: string): Network => ipaddr.parseCIDR(text);

// ipaddr.js 2.5 calls ::/96 (IPv4-compatible, RFC 4291 §2.5.5.1) `unicast`; it is deprecated
// and never a public destination, so it is closed here. :: and ::1 are matched first by range().
const IPV4_COMPATIBLE = cidr('::/96');
// IANA allocates only 2000::/3 as global unicast; ipaddr.js calls everything else that is not a
// named special range `unicast` too (4000::1, 1::1, fe00::1).
const GLOBAL_UNICAST = cidr('2000::/3');
// RFC 6052 well-known prefix: the last 32 bits are the IPv4 destination behind the translator.
const NAT64_WELL_KNOWN = cidr('64:ff9b::/96');

// Credential endpoints by exact address. Only 168.63.129.16 (Azure wireserver) is ordinary
// unicast and needs this rule; the others are already refused (link-local, unique-local) and are
// listed so the reason names them.
const CLOUD_METADATA = new Set(['168.63.129.16', '169.254.169.254', '169.254.170.2', 'fd00:ec2::254']);

// ipaddr.js range names → the reason we report. Names not listed are turned into kebab case.
const RANGE_REASONS: Readonly<Record<string, string>> = {
  linkLocal: 'link-local',
  carrierGradeNat: 'carrier-grade-nat',
  uniqueLocal: 'unique-local',
  deprecatedSiteLocal: 'site-local',
  rfc6052: 'nat64',
  rfc6145: 'ipv4-translated',
  deprecatedOrchid: 'orchid',
  orchid2: 'orchid',
  as112v6: 'as112',
  droneRemoteIdProtocolEntityTags: 'drone-remote-id',
};

const rangeReason = (range: string): string =>
  RANGE_REASONS[range] ?? range.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

// Generous: the longest IPv6 spelling is 45 characters; this only keeps regexes off huge input.
const MAX_ADDRESS_LENGTH = 64;

/**
 * Turns a resolver answer, a socket's remoteAddress or a URL hostname into one address, or null.
 * IPv4-mapped IPv6 comes back as IPv4 (ipaddr.process), so every spelling of an IPv4 address is
 * judged as that IPv4 address.
 */
function parseAddress(ip: string): Address | null {
  if (ip.length > MAX_ADDRESS_LENGTH) return null;
  if (ipaddr.IPv4.isValid(ip)) return ipaddr.IPv4.parse(ip);
  if (!ipaddr.IPv6.isValid(ip)) return null;
  const canonical = canonicalIPv6(ip);
  return canonical === null ? null : ipaddr.process(canonical);
}

/**
 * The WHATWG serialisation of an IPv6 address: hex pieces, no dotted tail, no zone.
 *
 * Documented gap in ipaddr.js 2.5: it reads the deprecated `::a.b.c.d` (IPv4-compatible) as
 * `::ffff:a.b.c.d` (IPv4-mapped), so `::8.8.8.8` would pass as 8.8.8.8, and it reads dotted tails
 * with parseInt (`::ffff:0x7f.0.0.1` is accepted). libuv prints ::/96 answers and remote
 * addresses in that dotted form. Letting the WHATWG parser (the one our URLs go through) spell
 * the address first means ipaddr.js only ever sees hex pieces.
 */
function canonicalIPv6(ip: string): string | null {
  try {
    const host = new URL(`http://[${ip}]/`).hostname;
    return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : null;
  } catch {
    // WHATWG refuses zone ids and leading-zero or hex IPv4 tails that ipaddr.js accepts.
    return null;
  }
}

function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4 {
  return ipaddr.fromByteArray(address.toByteArray().slice(12)) as ipaddr.IPv4;
}

/** Whether a listed network covers the whole NAT64 well-known prefix (not one slice of it). */
const coversNat64Prefix = ([base, bits]: Network): boolean =>
  base.kind() === 'ipv6' && bits <= NAT64_WELL_KNOWN[1] && NAT64_WELL_KNOWN[0].match(base, bits);

/**
 * Decides whether an outbound request may connect to an address: only public unicast, except
 * the networks the operator exempts. Pure; the connector calls it on every resolver answer and
 * on the socket's remote address, the URL policy on IP literals.
 */
export class AddressPolicy {
  private readonly networks: readonly Network[];

  /** `allowedNetworks`: CIDRs (IPv4 or IPv6) exempt from the non-public block. Throws InvalidNetworkError on a bad CIDR. */
  constructor(allowedNetworks: readonly string[]) {
    const problems = cidrProblems(allowedNetworks);
    if (problems.length > 0) throw new InvalidNetworkError(problems);
    this.networks = allowedNetworks.map((entry) => cidr(entry.trim()));
  }

  /** `ip`: an address as a resolver returns it or as a URL hostname holds it (IPv6 without brackets). Never throws: a string that is not an IP address is refused. */
  check(ip: string): AddressVerdict {
    if (typeof ip !== 'string') return refuse('not an IP address');
    // A zone id scopes an address to one interface; nothing public needs one.
    if (ip.includes('%')) return refuse('zone-scoped');
    let address: Address | null;
    try {
      address = parseAddress(ip);
    } catch {
      address = null;
    }
    return address === null ? refuse('not an IP address') : this.judge(address);
  }

  private judge(address: Address): AddressVerdict {
    const exempt = this.exemption(address);
    if (exempt !== null) return exempt;
    if (CLOUD_METADATA.has(address.toString())) return refuse('cloud-metadata');
    const range = address.range();
    if (range !== 'unicast') return refuse(rangeReason(range));
    if (address.kind() === 'ipv6') {
      if (address.match(IPV4_COMPATIBLE)) return refuse('ipv4-compatible');
      if (!address.match(GLOBAL_UNICAST)) return refuse('reserved');
    }
    return ALLOWED;
  }

  /** Allowed when a listed network holds the address; a refusal or null (no exemption) else. */
  private exemption(address: Address): AddressVerdict | null {
    const holding = this.networks.filter((network) => address.kind() === network[0].kind() && address.match(network));
    if (holding.length === 0) return null;
    // Exempting all of 64:ff9b::/96 lets IPv6-only hosts reach the IPv4 internet through NAT64;
    // it must not also reach the translator's own loopback or private IPv4 neighbours. A network
    // inside the prefix is the operator naming exactly that slice, and is honoured as listed.
    const nat64 = address.kind() === 'ipv6' && address.match(NAT64_WELL_KNOWN);
    if (!nat64 || holding.some((network) => !coversNat64Prefix(network))) return ALLOWED;
    const inner = embeddedIPv4(address as ipaddr.IPv6);
    const verdict = this.judge(inner);
    return verdict.allowed ? ALLOWED : refuse(`nat64 to ${verdict.reason}`);
  }
}

/** For config validation: the problems with a CIDR list, empty when all are valid. */
export function cidrProblems(list: readonly string[]): string[] {
  return list.flatMap((entry) => {
    const problem = networkProblem(typeof entry === 'string' ? entry.trim() : '');
    return problem === null ? [] : [`"${String(entry)}" ${problem}`];
  });
}

function networkProblem(entry: string): string | null {
  if (!ipaddr.isValidCIDR(entry)) return 'is not a CIDR such as 10.0.0.0/8 or fd00::/8.';
  if (entry.includes(':')) {
    if (entry.includes('%')) return 'carries a zone id; list the network without it.';
    // The same ipaddr.js gap as canonicalIPv6: `::a.b.c.d` would be read as `::ffff:a.b.c.d`.
    if (entry.includes('.')) return 'embeds a dotted IPv4 address; write IPv6 networks in hex, or IPv4 networks as IPv4.';
    const [base, bits] = ipaddr.IPv6.parseCIDR(entry);
    // Mapped addresses are judged as IPv4 (process()), so an IPv6 network here would never match.
    if (base.isIPv4MappedAddress() && bits >= 96) {
      return `is IPv4-mapped; list it as ${base.toIPv4Address().toString()}/${bits - 96}.`;
    }
    const network = ipaddr.IPv6.networkAddressFromCIDR(entry).toString();
    return network === base.toString() ? null : `has host bits set; did you mean ${network}/${bits}?`;
  }
  // ipaddr.js reads IPv4 like inet_aton: 010.0.0.0/8 is 8.0.0.0/8 and 127.1/8 is 127.0.0.1/8.
  if (!ipaddr.IPv4.isValidCIDRFourPartDecimal(entry)) {
    return 'must be four decimal numbers without leading zeros, such as 10.0.0.0/8.';
  }
  const [base, bits] = ipaddr.IPv4.parseCIDR(entry);
  const network = ipaddr.IPv4.networkAddressFromCIDR(entry).toString();
  return network === base.toString() ? null : `has host bits set; did you mean ${network}/${bits}?`;
}
