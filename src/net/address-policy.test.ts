import { describe, expect, it } from 'vitest';
import { AddressPolicy, InvalidNetworkError, cidrProblems } from './address-policy.js';

const ALLOWED = 'allowed';
const verdictOf = (policy: AddressPolicy, ip: string): string => {
  const verdict = policy.check(ip);
  return verdict.allowed ? ALLOWED : verdict.reason;
};

describe('AddressPolicy with no allowed networks', () => {
  const policy = new AddressPolicy([]);

  it.each([
    // IPv4 special ranges and their edges
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['10.0.0.1', 'private'],
    ['172.15.255.255', ALLOWED],
    ['172.16.0.0', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.0', ALLOWED],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'cloud-metadata'],
    ['169.254.170.2', 'cloud-metadata'],
    ['169.254.1.1', 'link-local'],
    ['168.63.129.16', 'cloud-metadata'],
    ['100.64.0.1', 'carrier-grade-nat'],
    ['100.127.255.255', 'carrier-grade-nat'],
    ['100.128.0.0', ALLOWED],
    ['192.0.0.8', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['198.19.255.255', 'reserved'],
    ['198.51.100.7', 'reserved'],
    ['203.0.113.9', 'reserved'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'broadcast'],
    ['8.8.8.8', ALLOWED],
    ['1.1.1.1', ALLOWED],
    // Other IPv4 spellings are read the way inet_aton (and so getaddrinfo) reads them
    ['127.1', 'loopback'],
    ['0x7f.1', 'loopback'],
    ['2130706433', 'loopback'],
    ['012.0.0.1', 'private'],
    ['0', 'unspecified'],
    // IPv6 special ranges
    ['::1', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['fec0::1', 'site-local'],
    ['fd00:ec2::254', 'cloud-metadata'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'reserved'],
    ['100::1', 'discard'],
    ['2001:2::1', 'benchmarking'],
    ['5f00::1', 'segment-routing'],
    ['4000::1', 'reserved'], // outside 2000::/3, which ipaddr.js calls unicast
    ['2606:4700:4700::1111', ALLOWED],
    ['2a00:1450:4001::1', ALLOWED],
    // IPv4 inside IPv6: mapped forms are judged as the IPv4 they carry
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['0:0:0:0:0:ffff:127.0.0.1', 'loopback'],
    ['::ffff:10.1.2.3', 'private'],
    ['::ffff:8.8.8.8', ALLOWED],
    ['::ffff:0:7f00:1', 'ipv4-translated'],
    // ipaddr.js calls ::/96 unicast; libuv prints it with a dotted tail, which ipaddr.js would
    // misread as mapped (::8.8.8.8 → 8.8.8.8)
    ['::7f00:1', 'ipv4-compatible'],
    ['::127.0.0.1', 'ipv4-compatible'],
    ['::8.8.8.8', 'ipv4-compatible'],
    ['::808:808', 'ipv4-compatible'],
    ['64:ff9b::7f00:1', 'nat64'],
    ['64:ff9b::808:808', 'nat64'],
    ['64:ff9b:1::a00:1', 'nat64'],
    ['2002:7f00:1::', '6to4'],
    ['2002:808:808::1', '6to4'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'teredo'],
    // Not addresses, or spellings nothing legitimate produces
    ['example.com', 'not an IP address'],
    ['', 'not an IP address'],
    ['[::1]', 'not an IP address'],
    ['127.0.0.1.', 'not an IP address'],
    [' 8.8.8.8', 'not an IP address'],
    ['08.0.0.1', 'not an IP address'],
    ['1.2.3.4.5', 'not an IP address'],
    ['::ffff:0x7f.0.0.1', 'not an IP address'], // ipaddr.js accepts this; WHATWG and inet_pton do not
    ['::0177.0.0.1', 'not an IP address'], // ipaddr.js would read 0177 as decimal 177
    ['fe80::1%eth0', 'zone-scoped'],
    ['2606:4700:4700::1111%1', 'zone-scoped'],
    [`${'1'.repeat(100)}`, 'not an IP address'],
  ])('%s → %s', (ip, expected) => {
    expect(verdictOf(policy, ip)).toBe(expected);
  });

  it('refuses a value that is not a string instead of throwing', () => {
    expect(verdictOf(policy, 2130706433 as unknown as string)).toBe('not an IP address');
  });
});

describe('AddressPolicy with allowed networks', () => {
  it.each([
    // Exactly the listed network, and IPv4-mapped spellings of it
    [['127.0.0.2/32'], '127.0.0.2', ALLOWED],
    [['127.0.0.2/32'], '127.0.0.1', 'loopback'],
    [['127.0.0.2/32'], '127.0.0.3', 'loopback'],
    [['127.0.0.2/32'], '::ffff:127.0.0.2', ALLOWED],
    [['127.0.0.2/32'], '::ffff:7f00:2', ALLOWED],
    [['127.0.0.2/32'], '::7f00:2', 'ipv4-compatible'],
    [['::1/128'], '::1', ALLOWED],
    [['::1/128'], '127.0.0.1', 'loopback'],
    [['10.0.0.0/8'], '10.255.255.255', ALLOWED],
    [['10.0.0.0/8'], '11.0.0.0', ALLOWED],
    [['10.0.0.0/8'], '172.16.0.1', 'private'],
    [['fd00::/8'], 'fd00:1::1', ALLOWED],
    // Exempt means exempt: a listed range that holds a metadata address exempts it too
    [['169.254.0.0/16'], '169.254.169.254', ALLOWED],
    // NAT64: exempting the whole prefix reaches only public IPv4 behind the translator
    [['64:ff9b::/96'], '64:ff9b::808:808', ALLOWED],
    [['64:ff9b::/96'], '64:ff9b::7f00:1', 'nat64 to loopback'],
    [['64:ff9b::/96'], '64:ff9b::a00:1', 'nat64 to private'],
    [['64:ff9b::/96'], '64:ff9b::a9fe:a9fe', 'nat64 to cloud-metadata'],
    [['64:ff9b::/96'], '64:ff9b:1::808:808', 'nat64'],
    [['64:ff9b::/64'], '64:ff9b::7f00:1', 'nat64 to loopback'],
    [['::/0'], '64:ff9b::7f00:1', 'nat64 to loopback'],
    [['64:ff9b::/96', '127.0.0.2/32'], '64:ff9b::7f00:2', ALLOWED],
    // A slice inside the prefix is the operator naming those exact addresses
    [['64:ff9b::7f00:1/128'], '64:ff9b::7f00:1', ALLOWED],
    [['64:ff9b::/96', '64:ff9b::a00:0/120'], '64:ff9b::a00:1', ALLOWED],
    // Without the exemption NAT64 stays refused whatever it embeds
    [['127.0.0.0/8'], '64:ff9b::7f00:1', 'nat64'],
  ])('%j: %s → %s', (networks, ip, expected) => {
    expect(verdictOf(new AddressPolicy(networks), ip)).toBe(expected);
  });
});

describe('cidrProblems', () => {
  it.each([
    ['10.0.0.0/8', null],
    ['127.0.0.2/32', null],
    ['::1/128', null],
    ['64:ff9b::/96', null],
    ['  10.0.0.0/8 ', null],
    ['10.0.0.1', 'is not a CIDR'],
    ['10.0.0.0/33', 'is not a CIDR'],
    ['example.com/24', 'is not a CIDR'],
    ['', 'is not a CIDR'],
    ['10.0.0.1/8', 'did you mean 10.0.0.0/8?'],
    ['fd00::1/8', 'did you mean fd00::/8?'],
    ['010.0.0.0/8', 'without leading zeros'], // ipaddr.js would read it as 8.0.0.0/8
    ['127.1/8', 'four decimal numbers'],
    ['fe80::%eth0/10', 'zone id'],
    ['::ffff:127.0.0.0/104', 'embeds a dotted IPv4'],
    ['::ffff:7f00:0/104', 'list it as 127.0.0.0/8'],
  ])('%j → %s', (cidr, expected) => {
    const problems = cidrProblems([cidr]);
    if (expected === null) expect(problems).toEqual([]);
    else expect(problems).toEqual([expect.stringContaining(expected)]);
  });

  it('reports every bad entry at once, and the constructor throws them', () => {
    const list = ['10.0.0.0/8', 'nope', '10.0.0.1/8'];
    expect(cidrProblems(list)).toHaveLength(2);
    expect(() => new AddressPolicy(list)).toThrow(InvalidNetworkError);
  });
});
