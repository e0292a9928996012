import type http from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DnsAnswer } from '../helpers/net-dns.js';
import { TINY_PNG } from '../helpers/net-png.js';
import { GOOD, type Harness, LOOP4, startHarness } from './ssrf-harness.js';

/**
 * SSRF through `POST /api/v1/media/upload/url`, part 2: host names. The test DNS answers with
 * forbidden addresses (alone, mixed with the exempt fixture address, or only on a later lookup);
 * the canaries on 127.0.0.1, ::1 and 127.0.0.3 hold both the canary port and the upstream's
 * port, so a connection made with any of those answers would be recorded.
 */

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  for (const [name, answer] of names) h.dns.set(name, answer);
  h.dns.fail('servfail.ssrf.test', 'SERVFAIL');
  h.dns.fail('nxdomain.ssrf.test', 'NXDOMAIN');
  // Answers with Connection: close, so the next request to the same origin needs a new
  // connection and therefore a new lookup.
  const closing = (status: number, headers: http.OutgoingHttpHeaders, body: Buffer) => (_req: http.IncomingMessage, res: http.ServerResponse) => {
    res.writeHead(status, { ...headers, Connection: 'close', 'Content-Length': body.length });
    res.end(body);
  };
  h.upstream.route('/close/x.png', closing(200, { 'Content-Type': 'image/png' }, TINY_PNG));
  h.upstream.route('/close/redirect', closing(302, { Location: '/close/x.png' }, Buffer.alloc(0)));
});
afterAll(async () => {
  await h?.close();
});
afterEach(() => {
  expect(h.hits()).toEqual([]);
});

// Category 2: names whose answers hold a forbidden address. Mixed answers are refused whole.
const names: ReadonlyArray<[string, DnsAnswer]> = [
  ['a-loopback.ssrf.test', { a: ['127.0.0.1'] }],
  ['a-loopback3.ssrf.test', { a: ['127.0.0.3'] }],
  ['a-unspecified.ssrf.test', { a: ['0.0.0.0'] }],
  ['a-private10.ssrf.test', { a: ['10.0.0.1'] }],
  ['a-private172.ssrf.test', { a: ['172.16.0.1'] }],
  ['a-private192.ssrf.test', { a: ['192.168.0.1'] }],
  ['a-metadata.ssrf.test', { a: ['169.254.169.254'] }],
  ['a-wireserver.ssrf.test', { a: ['168.63.129.16'] }],
  ['a-cgnat.ssrf.test', { a: ['100.64.0.1'] }],
  ['aaaa-loopback.ssrf.test', { aaaa: ['::1'] }],
  ['aaaa-mapped.ssrf.test', { aaaa: ['::ffff:127.0.0.1'] }],
  ['aaaa-mapped-hex.ssrf.test', { aaaa: ['::ffff:7f00:1'] }],
  ['aaaa-compatible.ssrf.test', { aaaa: ['::7f00:1'] }],
  ['aaaa-unique-local.ssrf.test', { aaaa: ['fc00::1'] }],
  ['aaaa-link-local.ssrf.test', { aaaa: ['fe80::1'] }],
  ['aaaa-nat64.ssrf.test', { aaaa: ['64:ff9b::7f00:1'] }],
  ['aaaa-unspecified.ssrf.test', { aaaa: ['::'] }],
  ['mixed-good-first.ssrf.test', { a: ['127.0.0.2', '127.0.0.1'] }],
  ['mixed-bad-first.ssrf.test', { a: ['127.0.0.1', '127.0.0.2'] }],
  ['mixed-families.ssrf.test', { a: ['127.0.0.2'], aaaa: ['::1'] }],
  ['mixed-families-mapped.ssrf.test', { a: ['127.0.0.2'], aaaa: ['::ffff:127.0.0.1'] }],
];

describe('names resolving to forbidden addresses', () => {
  // Aimed at the upstream's port, so even a mixed answer that reached the exempt 127.0.0.2
  // would show up there as a request.
  it.each(names.map(([name]) => name))('http://%s:U/file/x.png is blocked_address, nothing connected', async (name) => {
    const connections = h.upstream.connections;
    await h.refuse(`http://${name}:${h.U}/file/x.png`, 'blocked_address');
    expect(h.upstream.connections).toBe(connections);
    expect(h.dns.queriesFor(name).length).toBeGreaterThan(0);
  });

  it.each([
    [`http://${LOOP4}:P/`, 'a name at the canary port'],
    [`http://${LOOP4.toUpperCase()}:P/`, 'upper case'],
    [`http://${LOOP4}.:P/`, 'trailing dot'],
    [`http://a-loopback.ssrf.test:P/`, 'another name at the canary port'],
    [`http://aaaa-loopback.ssrf.test:P/`, 'AAAA ::1 at the canary port'],
  ])('%s (%s) is blocked_address', async (template) => {
    await h.refuse(template.replace(':P/', `:${h.P}/`), 'blocked_address');
  });

  it.each([
    ['http://nxdomain.ssrf.test:P/x.png'],
    ['http://servfail.ssrf.test:P/x.png'],
    ['http://never-configured.ssrf.test:P/x.png'],
    ['http://127.0.0.1.nip.io:P/x.png'], // only a name here: no public DNS to map it
  ])('%s is dns_failed', async (template) => {
    await h.refuse(template.replace(':P/', `:${h.P}/`), 'dns_failed');
  });

  it('control: a name resolving to the exempt fixture address imports', async () => {
    const url = `http://${GOOD}:${h.U}/file/x.png`;
    const { status, body } = await h.importUrls([url]);
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ count_stored: 1, skipped: [] });
    expect(body.media[0]).toMatchObject({ source_url: url, mime_type: 'image/png' });
  });
});

describe('DNS answers that change between lookups (rebinding)', () => {
  it('connects to exactly the answer it checked: one lookup for the one connection', async () => {
    const name = 'rebind-once.ssrf.test';
    h.dns.setSequence(name, [{ a: ['127.0.0.2'] }, { a: ['127.0.0.1'] }]);
    const url = `http://${name}:${h.U}/file/x.png`;
    const connections = h.upstream.connections;
    const { status, body } = await h.importUrls([url]);
    expect(status, JSON.stringify(body)).toBe(200);
    // Fetched from 127.0.0.2 (allowed) — the canary on 127.0.0.1 holds the very same port.
    expect(body).toMatchObject({ count_stored: 1, skipped: [] });
    expect(h.upstream.connections - connections).toBe(1);
    expect(h.dns.queriesFor(name, 'A')).toHaveLength(1);
    expect(h.dns.queriesFor(name, 'AAAA')).toHaveLength(1);
  });

  it('a second connection looks the name up again and refuses the rebound answer', async () => {
    const name = 'rebind-twice.ssrf.test';
    h.dns.setSequence(name, [{ a: ['127.0.0.2'] }, { a: ['127.0.0.1'] }]);
    const connections = h.upstream.connections;
    // The redirect closes its connection, so the same-origin hop needs a new socket.
    await h.refuse(`http://${name}:${h.U}/close/redirect`, 'blocked_address', { upstreamRequests: 1 });
    expect(h.upstream.connections - connections).toBe(1);
    expect(h.dns.queriesFor(name, 'A')).toHaveLength(2);
    expect(h.dns.queriesFor(name, 'AAAA')).toHaveLength(2);
  });

  it('a rebound answer on a reused origin never reaches the canary, whichever way it goes', async () => {
    const name = 'rebind-keepalive.ssrf.test';
    h.dns.setSequence(name, [{ a: ['127.0.0.2'] }, { a: ['127.0.0.1'] }]);
    const url = `http://${name}:${h.U}/file/x.png`;
    const connections = h.upstream.connections;
    const first = await h.importUrls([url]);
    const second = await h.importUrls([url]);
    expect(first.body).toMatchObject({ count_stored: 1, skipped: [] });
    // A kept-alive socket to 127.0.0.2 may be reused (no lookup, stored again); a new socket
    // needs a new lookup, whose rebound answer must be refused. Either way only one socket opened.
    const reused = second.body.count_stored === 1;
    if (!reused) expect(second.body.skipped.map((s: any) => s.code)).toEqual(['blocked_address']);
    expect(h.upstream.connections - connections).toBe(1);
    expect(h.dns.queriesFor(name, 'A')).toHaveLength(reused ? 1 : 2);
  });

  it('a forbidden first answer is refused without trying the next one', async () => {
    const name = 'rebind-bad-first.ssrf.test';
    h.dns.setSequence(name, [{ a: ['127.0.0.1'] }, { a: ['127.0.0.2'] }]);
    const connections = h.upstream.connections;
    await h.refuse(`http://${name}:${h.U}/file/x.png`, 'blocked_address');
    expect(h.upstream.connections).toBe(connections);
    expect(h.dns.queriesFor(name, 'A')).toHaveLength(1);
  });

  it('a lookup that fails, then would answer loopback, is dns_failed and not retried', async () => {
    const name = 'rebind-servfail.ssrf.test';
    h.dns.setSequence(name, ['SERVFAIL', { a: ['127.0.0.1'] }]);
    await h.refuse(`http://${name}:${h.P}/x.png`, 'dns_failed');
  });
});

it('leaves nothing behind in the data dir but the blobs of stored media', async () => {
  await h.expectCleanDataDir();
});
