import { Resolver } from 'node:dns/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDns, startDnsServer } from '../helpers/net-dns.js';

// The service resolves through c-ares (`dns.promises.Resolver`) pointed at the test server, so
// that is exactly what these self-tests use.
describe('test DNS server', () => {
  let dns: TestDns;
  beforeAll(async () => {
    dns = await startDnsServer();
  });
  afterAll(async () => {
    await dns?.close();
  });

  /** Short timeouts so the `timeout` failure costs well under a second. */
  const resolver = (tries = 1) => {
    const r = new Resolver({ timeout: 250, tries });
    r.setServers([dns.server]);
    return r;
  };

  it('serves on 127.0.0.1 in the form INTAKE_DNS_SERVERS takes', () => {
    expect(dns.server).toBe(`127.0.0.1:${dns.port}`);
    expect(resolver().getServers()).toEqual([dns.server]);
  });

  it('answers A and AAAA records', async () => {
    dns.set('media.example.test', { a: ['127.0.0.2', '127.0.0.4'], aaaa: ['::1'] });
    const r = resolver();
    expect(await r.resolve4('media.example.test')).toEqual(['127.0.0.2', '127.0.0.4']);
    expect(await r.resolve6('media.example.test')).toEqual(['::1']);
    expect(dns.queriesFor('media.example.test')).toEqual([
      { name: 'media.example.test', type: 'A', transport: 'udp' },
      { name: 'media.example.test', type: 'AAAA', transport: 'udp' },
    ]);
  });

  it('reports the TTL, 0 unless given', async () => {
    dns.set('ttl.example.test', { a: ['127.0.0.2'] });
    dns.set('ttl60.example.test', { a: ['127.0.0.2'], ttl: 60 });
    const r = resolver();
    expect(await r.resolve4('ttl.example.test', { ttl: true })).toEqual([{ address: '127.0.0.2', ttl: 0 }]);
    expect(await r.resolve4('ttl60.example.test', { ttl: true })).toEqual([{ address: '127.0.0.2', ttl: 60 }]);
    // Even with a TTL, Node's resolver does not cache: every lookup reaches the server.
    await r.resolve4('ttl60.example.test');
    expect(dns.queriesFor('ttl60.example.test', 'A')).toHaveLength(2);
  });

  it('treats names case-insensitively and ignores a trailing dot', async () => {
    dns.set('Case.Example.TEST.', { a: ['127.0.0.5'] });
    const r = resolver();
    expect(await r.resolve4('case.example.test')).toEqual(['127.0.0.5']);
    expect(await r.resolve4('CASE.EXAMPLE.TEST.')).toEqual(['127.0.0.5']);
    expect(dns.queriesFor('case.EXAMPLE.test.', 'A')).toHaveLength(2);
  });

  it('answers NODATA for a known name without records of the asked type', async () => {
    dns.set('v4only.example.test', { a: ['127.0.0.2'] });
    await expect(resolver().resolve6('v4only.example.test')).rejects.toMatchObject({ code: 'ENODATA' });
  });

  it('answers NXDOMAIN for unknown names', async () => {
    await expect(resolver().resolve4('nowhere.example.test')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    expect(dns.queriesFor('nowhere.example.test')).toHaveLength(1);
  });

  it('replays a sequence, one answer per lookup, then repeats the last (DNS rebinding)', async () => {
    dns.setSequence('rebind.example.test', [
      { a: ['127.0.0.2'], aaaa: [] },
      { a: ['127.0.0.1'], aaaa: ['::1'] },
    ]);
    const r = resolver();
    // Lookup 1: A and AAAA both come from the first answer, since the cursor is per type.
    expect(await r.resolve4('rebind.example.test')).toEqual(['127.0.0.2']);
    await expect(r.resolve6('rebind.example.test')).rejects.toMatchObject({ code: 'ENODATA' });
    // Lookups 2, 3, 4: the last answer repeats.
    for (let i = 0; i < 3; i++) {
      expect(await r.resolve4('rebind.example.test')).toEqual(['127.0.0.1']);
      expect(await r.resolve6('rebind.example.test')).toEqual(['::1']);
    }
    expect(dns.queriesFor('rebind.example.test', 'A')).toHaveLength(4);
    expect(dns.queriesFor('rebind.example.test', 'AAAA')).toHaveLength(4);
  });

  it('lets a sequence contain failures', async () => {
    dns.setSequence('flaky.example.test', ['SERVFAIL', { a: ['127.0.0.2'] }]);
    const r = resolver();
    await expect(r.resolve4('flaky.example.test')).rejects.toMatchObject({ code: 'ESERVFAIL' });
    expect(await r.resolve4('flaky.example.test')).toEqual(['127.0.0.2']);
  });

  it('set() after a sequence starts afresh', async () => {
    dns.setSequence('reset.example.test', [{ a: ['127.0.0.2'] }, { a: ['127.0.0.1'] }]);
    const r = resolver();
    await r.resolve4('reset.example.test');
    dns.set('reset.example.test', { a: ['127.0.0.9'] });
    expect(await r.resolve4('reset.example.test')).toEqual(['127.0.0.9']);
  });

  it('fails with NXDOMAIN, SERVFAIL, or by never answering', async () => {
    dns.fail('nx.example.test', 'NXDOMAIN');
    dns.fail('servfail.example.test', 'SERVFAIL');
    dns.fail('silent.example.test', 'timeout');
    const r = resolver(2);
    await expect(r.resolve4('nx.example.test')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(r.resolve4('servfail.example.test')).rejects.toMatchObject({ code: 'ESERVFAIL' });
    await expect(r.resolve6('silent.example.test')).rejects.toMatchObject({ code: 'ETIMEOUT' });
    // c-ares gives up on SERVFAIL at once but repeats an unanswered query once per try.
    expect(dns.queriesFor('servfail.example.test')).toHaveLength(1);
    expect(dns.queriesFor('silent.example.test', 'AAAA')).toHaveLength(2);
  });

  it('falls back to TCP when the answer does not fit a UDP datagram', async () => {
    const many = Array.from({ length: 120 }, (_, i) => `10.1.${i >> 8}.${i & 255}`);
    dns.set('many.example.test', { a: many });
    expect(await resolver().resolve4('many.example.test')).toEqual(many);
    expect(dns.queriesFor('many.example.test').map((q) => q.transport)).toEqual(['udp', 'tcp']);
  });

  it('reset() forgets names and the query log', async () => {
    const other = await startDnsServer();
    try {
      other.set('gone.example.test', { a: ['127.0.0.2'] });
      const r = new Resolver({ timeout: 250, tries: 1 });
      r.setServers([other.server]);
      await r.resolve4('gone.example.test');
      other.reset();
      expect(other.queries).toHaveLength(0);
      await expect(r.resolve4('gone.example.test')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    } finally {
      await other.close();
    }
  });
});
