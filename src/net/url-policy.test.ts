import { describe, expect, it } from 'vitest';
import { AddressPolicy } from './address-policy.js';
import { MAX_URL_LENGTH, checkUrl } from './url-policy.js';

type Options = Parameters<typeof checkUrl>[1];
type Expected = 'ok' | 'invalid_url' | 'blocked_port' | 'blocked_address';

const DEFAULTS: Options = { allowedPorts: [80, 443, 8080, 8443], policy: new AddressPolicy([]) };
const withNetworks = (...networks: string[]): Options => ({ ...DEFAULTS, policy: new AddressPolicy(networks) });
const anyPort: Options = { ...DEFAULTS, allowedPorts: '*' };

const outcome = (input: unknown, options: Options = DEFAULTS): Expected => {
  const verdict = checkUrl(input, options);
  return verdict.ok ? 'ok' : verdict.code;
};

const ofLength = (length: number): string => {
  const head = 'http://example.com/';
  return head + 'a'.repeat(length - head.length);
};

describe('checkUrl: IPv4 literals, every spelling WHATWG turns into dotted decimal', () => {
  it.each<[string, Expected]>([
    ['http://127.0.0.1/', 'blocked_address'],
    ['http://127.1/', 'blocked_address'],
    ['http://0x7f.1/', 'blocked_address'],
    ['http://0x7f000001/', 'blocked_address'],
    ['http://2130706433/', 'blocked_address'],
    ['http://017700000001/', 'blocked_address'],
    ['http://0177.0.0.1/', 'blocked_address'],
    ['http://127.0.0.1./', 'blocked_address'],
    ['http://①②⑦.0.0.1/', 'blocked_address'], // IDNA maps enclosed digits to ASCII
    ['http://%31%32%37.0.0.1/', 'blocked_address'], // the host is percent-decoded before IPv4 parsing
    ['http://１２７.０.０.１/', 'blocked_address'], // full-width digits
    ['http://127。0。0。1/', 'blocked_address'], // ideographic full stops are dots
    ['http://0/', 'blocked_address'], // a lone number is a whole IPv4 address: 0.0.0.0
    ['http://0.0.0.0/', 'blocked_address'],
    ['http://10.0.0.1/', 'blocked_address'],
    ['http://172.15.255.255/', 'ok'],
    ['http://172.16.0.0/', 'blocked_address'],
    ['http://172.31.255.255/', 'blocked_address'],
    ['http://172.32.0.0/', 'ok'],
    ['http://192.168.0.1/', 'blocked_address'],
    ['http://169.254.169.254/latest/meta-data/', 'blocked_address'],
    ['http://168.63.129.16/', 'blocked_address'],
    ['http://100.64.0.1/', 'blocked_address'],
    ['http://192.0.0.1/', 'blocked_address'],
    ['http://192.0.2.1/', 'blocked_address'],
    ['http://198.18.0.1/', 'blocked_address'],
    ['http://224.0.0.1/', 'blocked_address'],
    ['http://240.0.0.1/', 'blocked_address'],
    ['http://255.255.255.255/', 'blocked_address'],
    ['http://8.8.8.8/', 'ok'],
    ['https://1.1.1.1/dns.png', 'ok'],
    ['http://1.2.3/', 'ok'], // three parts: the last fills 16 bits, so this is 1.2.0.3
    ['http://256.0.0.1/', 'invalid_url'],
    ['http://08.0.0.1/', 'invalid_url'], // 08 is neither valid octal nor allowed as decimal
    ['http://foo.127.0.0.1/', 'invalid_url'], // a numeric last label makes the whole host IPv4
  ])('%s → %s', (input, expected) => {
    expect(outcome(input)).toBe(expected);
  });
});

describe('checkUrl: IPv6 literals', () => {
  it.each<[string, Expected]>([
    ['http://[::1]/', 'blocked_address'],
    ['http://[::]/', 'blocked_address'],
    ['http://[::ffff:127.0.0.1]/', 'blocked_address'],
    ['http://[::ffff:7f00:1]/', 'blocked_address'],
    ['http://[0:0:0:0:0:ffff:127.0.0.1]/', 'blocked_address'],
    ['http://[::127.0.0.1]/', 'blocked_address'], // WHATWG serialises it as [::7f00:1]
    ['http://[::808:808]/', 'blocked_address'],
    ['http://[fe80::1]/', 'blocked_address'],
    ['http://[fc00::1]/', 'blocked_address'],
    ['http://[fd00:ec2::254]/', 'blocked_address'],
    ['http://[ff02::1]/', 'blocked_address'],
    ['http://[64:ff9b::7f00:1]/', 'blocked_address'],
    ['http://[64:ff9b::808:808]/', 'blocked_address'],
    ['http://[2002:7f00:1::]/', 'blocked_address'],
    ['http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/', 'blocked_address'],
    ['http://[2001:db8::1]/', 'blocked_address'],
    ['http://[100::1]/', 'blocked_address'],
    ['http://[2606:4700:4700::1111]/', 'ok'],
    ['https://[2a00:1450:4001::1]/', 'ok'],
    ['http://[::1%25eth0]/', 'invalid_url'], // WHATWG has no zone ids
    ['http://[::0177.0.0.1]/', 'invalid_url'],
    ['http://[::1]./', 'invalid_url'],
  ])('%s → %s', (input, expected) => {
    expect(outcome(input)).toBe(expected);
  });
});

describe('checkUrl: allowed networks', () => {
  it.each<[string, Options, Expected]>([
    ['http://127.0.0.2:8080/', withNetworks('127.0.0.2/32'), 'ok'],
    ['http://127.0.0.1:8080/', withNetworks('127.0.0.2/32'), 'blocked_address'],
    ['http://127.0.0.3:8080/', withNetworks('127.0.0.2/32'), 'blocked_address'],
    ['http://[::ffff:127.0.0.2]/', withNetworks('127.0.0.2/32'), 'ok'],
    ['http://[::1]/', withNetworks('::1/128'), 'ok'],
    ['http://[64:ff9b::808:808]/', withNetworks('64:ff9b::/96'), 'ok'],
    ['http://[64:ff9b::7f00:1]/', withNetworks('64:ff9b::/96'), 'blocked_address'],
    ['http://[64:ff9b::127.0.0.1]/', withNetworks('64:ff9b::/96'), 'blocked_address'],
  ])('%s with %o → %s', (input, options, expected) => {
    expect(outcome(input, options)).toBe(expected);
  });
});

describe('checkUrl: what is not an absolute http(s) URL', () => {
  it.each<[unknown, Expected]>([
    ['ftp://example.com/x.png', 'invalid_url'],
    ['file:///etc/passwd', 'invalid_url'],
    ['data:,x', 'invalid_url'],
    ['javascript:alert(1)', 'invalid_url'],
    ['gopher://example.com:70/_x', 'invalid_url'],
    ['ws://example.com/', 'invalid_url'],
    ['//example.com/x.png', 'invalid_url'],
    ['example.com/x.png', 'invalid_url'],
    ['http://user:pass@example.com/', 'invalid_url'],
    ['http://user@example.com/', 'invalid_url'],
    ['http://:pass@example.com/', 'invalid_url'],
    ['http://:@example.com/', 'invalid_url'], // WHATWG drops empty credentials; the raw authority is checked
    ['http://@example.com/', 'invalid_url'], // likewise: parses with username '' and password ''
    ['http:@example.com/', 'invalid_url'],
    ['http:\\\\@example.com/', 'invalid_url'],
    ['http://%40@example.com/', 'invalid_url'],
    ['http://example.com:99999/', 'invalid_url'],
    ['http://example.com:+80/', 'invalid_url'],
    [ofLength(MAX_URL_LENGTH), 'ok'],
    [ofLength(MAX_URL_LENGTH + 1), 'invalid_url'],
    ['http:///x', 'ok'], // special schemes skip extra slashes: this is http://x/
    ['http:example.com/a.png', 'ok'], // WHATWG supplies the missing // for special schemes
    ['HTTP://EXAMPLE.COM/', 'ok'],
    ['  https://example.com/a.png  ', 'ok'], // WHATWG trims leading and trailing spaces
    ['http://', 'invalid_url'],
    ['', 'invalid_url'],
    ['   ', 'invalid_url'],
    [2130706433, 'invalid_url'],
    [null, 'invalid_url'],
    [new URL('http://example.com/'), 'invalid_url'],
  ])('%j → %s', (input, expected) => {
    expect(outcome(input)).toBe(expected);
  });
});

describe('checkUrl: ports', () => {
  it.each<[string, Options, Expected]>([
    ['http://example.com:22/', DEFAULTS, 'blocked_port'],
    ['http://example.com:6379/', DEFAULTS, 'blocked_port'],
    ['http://example.com:8080/', DEFAULTS, 'ok'],
    ['https://example.com:8443/', DEFAULTS, 'ok'],
    ['http://example.com:80/', DEFAULTS, 'ok'],
    ['http://example.com:443/', DEFAULTS, 'ok'], // port 443 with plain http is still port 443
    ['https://example.com/', { ...DEFAULTS, allowedPorts: [80] }, 'blocked_port'],
    ['http://example.com:6379/', anyPort, 'ok'],
    ['http://example.com:0/', anyPort, 'blocked_port'],
    ['http://127.0.0.1:22/', DEFAULTS, 'blocked_port'], // the port is judged before the address
  ])('%s → %s', (input, options, expected) => {
    expect(outcome(input, options)).toBe(expected);
  });
});

describe('checkUrl: localhost names (RFC 6761), refused without a lookup', () => {
  it.each<[string, Expected]>([
    ['http://localhost/', 'blocked_address'],
    ['http://LOCALHOST./', 'blocked_address'],
    ['http://localhost:8080/', 'blocked_address'],
    ['http://foo.localhost/', 'blocked_address'],
    ['http://foo.localhost./', 'blocked_address'],
    ['http://localhost../', 'blocked_address'],
    ['http://ⓛⓞⓒⓐⓛⓗⓞⓢⓣ/', 'blocked_address'], // IDNA maps circled letters to localhost
    ['http://%6c%6f%63%61%6c%68%6f%73%74/', 'blocked_address'],
    ['http://notlocalhost/', 'ok'],
    ['http://localhost.example.com/', 'ok'],
  ])('%s → %s', (input, expected) => {
    expect(outcome(input)).toBe(expected);
  });
});

describe('checkUrl: parser tricks', () => {
  it.each<[string, Expected]>([
    ['http://example.com\\@127.0.0.1/', 'ok'], // \ is / for http: host example.com, path /@127.0.0.1/
    ['http://127.0.0.1#@example.com/', 'blocked_address'], // host 127.0.0.1, the rest is the fragment
    ['http://example.com?@127.0.0.1/', 'ok'], // host example.com, the rest is the query
    ['http://example.com@127.0.0.1/', 'invalid_url'],
    ['http://a@b@127.0.0.1/', 'invalid_url'], // the last @ splits: username a%40b
    ['http://[::1]@example.com/', 'invalid_url'], // username %5B, password %3A1%5D
    ['http://127.0.0.1%2f@example.com/', 'invalid_url'],
    ['http://127.0.0.\t1/', 'invalid_url'], // WHATWG would drop the tab and fetch 127.0.0.1
    ['http://exa\r\nmple.com/', 'invalid_url'], // WHATWG would drop CR LF and fetch example.com
    ['http://example.com/a.png\n', 'invalid_url'],
    ['\u0001http://example.com/', 'invalid_url'], // WHATWG would trim it
    ['http://ex ample.com/', 'invalid_url'],
    ['http://exam\u00adple.com/', 'ok'], // IDNA deletes the soft hyphen: example.com
    ['http://127.0.0.1\u00ad/', 'blocked_address'],
    ['http://127.0.0.1.nip.io/', 'ok'], // a DNS name: its answers are judged at connect time
  ])('%j → %s', (input, expected) => {
    expect(outcome(input)).toBe(expected);
  });
});

describe('checkUrl: what it hands back', () => {
  it.each<[string, { port: number; literal: string | null; href: string }]>([
    ['http://example.com/a.png', { port: 80, literal: null, href: 'http://example.com/a.png' }],
    ['https://example.com:8443/a', { port: 8443, literal: null, href: 'https://example.com:8443/a' }],
    ['http://134744072:8080/', { port: 8080, literal: '8.8.8.8', href: 'http://8.8.8.8:8080/' }],
    ['https://[2606:4700:4700:0::1111]/', { port: 443, literal: '2606:4700:4700::1111', href: 'https://[2606:4700:4700::1111]/' }],
  ])('%s', (input, expected) => {
    const verdict = checkUrl(input, DEFAULTS);
    if (!verdict.ok) throw new Error(`refused: ${verdict.message}`);
    expect({ port: verdict.port, literal: verdict.literal, href: verdict.url.href }).toEqual(expected);
  });

  it.each([
    ['gopher://example.com/', 'The URL must use http or https.'],
    ['http://user@example.com/', 'The URL must not contain a username or password.'],
    [ofLength(MAX_URL_LENGTH + 1), 'The URL is longer than 2048 characters.'],
    ['http://example.com:22/', 'Port 22 is not allowed.'],
    ['http://0x7f.1/', 'The address 127.0.0.1 is not public (loopback).'],
    ['http://[::ffff:7f00:1]/', 'The address ::ffff:7f00:1 is not public (loopback).'],
    ['http://[64:ff9b::808:808]/', 'The address 64:ff9b::808:808 is not public (nat64).'],
    ['http://foo.localhost/', 'The host foo.localhost is not public (localhost).'],
  ])('%j says %j', (input, message) => {
    const verdict = checkUrl(input, DEFAULTS);
    expect(verdict.ok ? null : verdict.message).toBe(message);
  });
});
