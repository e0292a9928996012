import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, LOOP4, startHarness } from './ssrf-harness.js';

/**
 * SSRF through `POST /api/v1/media/upload/url`, part 1: IP literals. Every spelling of a loopback
 * address points at the canary port, where listeners on 127.0.0.1, ::1 and 127.0.0.3 record any
 * connection; special ranges that no loopback listener can stand in for are refused all the same,
 * before any connection.
 */

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});
afterEach(() => {
  expect(h.hits()).toEqual([]);
});

/** `host` is everything between `http://` and `:PORT`. */
const at = (host: string) => `http://${host}:${h.P}/x.png`;

// Category 1: each of these is loopback (or the unspecified address, which Linux connects to
// loopback), written so a naive string or regex check would miss it.
const loopbackSpellings: readonly string[] = [
  '127.0.0.1',
  '2130706433', // decimal
  '0x7f000001', // hex
  '017700000001', // octal
  '127.1', // short
  '127.0.1',
  '0x7f.1',
  '0177.0.0.1', // octal first octet
  '0x7F.0x00.0x00.0x01',
  '127.0.0.1.', // trailing dot
  '127.000.000.001', // zero-padded (octal zeros)
  '[::1]',
  '[0:0:0:0:0:0:0:1]',
  '[0000:0000::01]',
  '[::ffff:127.0.0.1]', // IPv4-mapped, dotted
  '[::ffff:7f00:1]', // IPv4-mapped, hex
  '[0:0:0:0:0:ffff:127.0.0.1]',
  '[::127.0.0.1]', // IPv4-compatible (deprecated)
  '[::ffff:0:127.0.0.1]', // IPv4-translated
  '0.0.0.0', // reaches loopback listeners on Linux
  '0',
  '[::]',
  '127.0.0.3',
  '127.255.255.254',
  '１２７.０.０.１', // full-width digits
  '127。0。0。1', // ideographic full stops
  '127．0．0．1', // full-width full stops
  '127｡0｡0｡1', // half-width ideographic full stops
  '①②⑦.⓪.⓪.①', // enclosed alphanumerics
  '%31%32%37.0.0.1', // percent-encoded
  '%31%32%37%2e%30%2e%30%2e%31',
  '%EF%BC%91%EF%BC%92%EF%BC%97.0.0.1', // percent-encoded full-width digits
];

// Category 7: special ranges with no loopback listener to prove anything; the refusal is the
// URL policy's, before any socket exists.
const unreachableLiterals: readonly string[] = [
  '10.0.0.1',
  '172.16.0.1',
  '192.168.1.1',
  '169.254.169.254', // cloud metadata
  '168.63.129.16', // Azure wireserver: ordinary unicast, refused by name
  '100.64.0.1', // carrier-grade NAT
  '192.0.0.1',
  '192.0.2.1',
  '198.18.0.1',
  '224.0.0.1',
  '240.0.0.1',
  '255.255.255.255',
  '0.1.2.3',
  '[fe80::1]', // link-local
  '[fc00::1]', // unique-local
  '[fd00::1]',
  '[fd00:ec2::254]', // AWS metadata over IPv6
  '[fec0::1]', // site-local
  '[ff02::1]', // multicast
  '[64:ff9b::7f00:1]', // NAT64 of 127.0.0.1
  '[64:ff9b::a9fe:a9fe]', // NAT64 of 169.254.169.254
  '[64:ff9b::808:808]', // NAT64 of a public address: still not for us
  '[64:ff9b:1::1]', // local-use NAT64
  '[2002:7f00:1::]', // 6to4 of 127.0.0.1
  '[2002:a9fe:a9fe::]', // 6to4 of 169.254.169.254
  '[2001::1]', // Teredo
  '[2001:0:4136:e378:8000:63bf:3fff:fdd2]', // Teredo
  '[2001:db8::1]', // documentation
  '[100::1]', // discard
  '[4000::1]', // outside 2000::/3
  '[::ffff:a9fe:a9fe]', // mapped metadata
  '[::ffff:10.0.0.1]',
];

describe('loopback address spellings at the canary port', () => {
  it.each(loopbackSpellings)('http://%s:P/ is blocked_address', async (host) => {
    await h.refuse(at(host), 'blocked_address');
  });
});

describe('special ranges that loopback cannot stand in for', () => {
  it.each(unreachableLiterals)('http://%s:P/ is blocked_address', async (host) => {
    await h.refuse(at(host), 'blocked_address');
  });

  it('refuses an IPv6 zone id as an invalid URL, never as a host to try', async () => {
    await h.refuse(at('[fe80::1%25lo]'), 'invalid_url');
    await h.refuse(at('[::1%25lo]'), 'invalid_url');
  });
});

describe('the guard holds after a URL that is fine', () => {
  it('stores the good URL and skips every forbidden one, in order', async () => {
    const forbidden: Array<[string, string]> = [
      [at('127.0.0.1'), 'blocked_address'],
      [at('[::1]'), 'blocked_address'],
      [at('2130706433'), 'blocked_address'],
      [`http://${LOOP4}:${h.P}/x.png`, 'blocked_address'],
      [h.upstream.url(`/redirect?to=${encodeURIComponent(at('127.0.0.3'))}`), 'blocked_address'],
      [`http://user:pw@127.0.0.2:${h.U}/file/x.png`, 'invalid_url'],
      [`http://127.0.0.2:0/x.png`, 'blocked_port'],
      ['http://nowhere.ssrf.test/x.png', 'dns_failed'],
      [at('10.0.0.1'), 'blocked_address'],
    ];
    const before = h.upstream.requests.length;
    const { status, body } = await h.importUrls([h.good, ...forbidden.map(([url]) => url)]);
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.count_stored).toBe(1);
    expect(body.media).toHaveLength(1);
    expect(body.media[0]).toMatchObject({ source_url: h.good, mime_type: 'image/png', name: 'x.png', width: 1, height: 1 });
    expect(body.skipped.map((s: any) => [s.url, s.code])).toEqual(forbidden);
    expect(h.hits()).toEqual([]);
    // The good file and the one redirect hop; nothing else reached the fixture.
    expect(h.upstream.requests.slice(before).map((r) => r.path).sort()).toEqual(
      ['/file/x.png', `/redirect?to=${encodeURIComponent(at('127.0.0.3'))}`].sort(),
    );
  });

  it('leaves nothing behind in the data dir but the blob of the stored media', async () => {
    await h.expectCleanDataDir();
  });
});
