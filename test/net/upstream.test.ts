import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { destroyClientRequests, get, open, request } from '../helpers/net-client.js';
import { TINY_PNG } from '../helpers/net-png.js';
import { testCa } from '../helpers/net-tls.js';
import { type Upstream, startUpstream } from '../helpers/net-upstream.js';

// Every upstream and every client request of a test goes afterwards, pass or fail.
const upstreams: Upstream[] = [];
afterEach(async () => {
  destroyClientRequests();
  await Promise.all(upstreams.splice(0).map((u) => u.close()));
});

async function start(options?: Parameters<typeof startUpstream>[0]): Promise<Upstream> {
  const upstream = await startUpstream(options);
  upstreams.push(upstream);
  return upstream;
}

describe('upstream fixture server', () => {
  it('listens on 127.0.0.2 by default and logs requests and connections', async () => {
    const upstream = await start();
    expect(upstream.origin).toBe(`http://127.0.0.2:${upstream.port}`);
    await get(upstream.url('/echo-headers?x=1'), { headers: { 'User-Agent': 'intake-test/1', Cookie: 'a=b' } });
    await get(upstream.url('/status/204'), { method: 'HEAD' });
    expect(upstream.requests).toMatchObject([
      { method: 'GET', path: '/echo-headers?x=1', headers: { 'user-agent': 'intake-test/1', cookie: 'a=b' } },
      { method: 'HEAD', path: '/status/204' },
    ]);
    expect(upstream.requests[1]?.headers).not.toHaveProperty('cookie');
    expect(upstream.connections).toBe(2);
  });

  it('counts a reused keep-alive connection once', async () => {
    const upstream = await start();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (let i = 0; i < 3; i++) expect((await get(upstream.url('/empty'), { agent })).status).toBe(200);
    } finally {
      agent.destroy();
    }
    expect(upstream.requests).toHaveLength(3);
    expect(upstream.connections).toBe(1);
  });

  it('listens on other loopback addresses, IPv6 included', async () => {
    const other = await start({ host: '127.0.0.3' });
    expect(other.origin).toBe(`http://127.0.0.3:${other.port}`);
    expect((await get(other.url('/empty'))).status).toBe(200);
    const v6 = await start({ host: '::1' });
    expect(v6.origin).toBe(`http://[::1]:${v6.port}`);
    expect((await get(v6.url('/empty'))).status).toBe(200);
  });

  it('serves registered files with their length, type and headers', async () => {
    const upstream = await start();
    upstream.file('cat.png', TINY_PNG, {
      contentType: 'image/png',
      contentDisposition: 'attachment; filename="cat.png"',
      headers: { 'Cache-Control': 'no-store' },
    });
    upstream.file('a b.bin', Buffer.from('xyz'));
    const cat = await get(upstream.url('/file/cat.png'));
    expect(cat).toMatchObject({ status: 200, body: TINY_PNG, complete: true });
    expect(cat.headers).toMatchObject({
      'content-type': 'image/png',
      'content-length': String(TINY_PNG.length),
      'content-disposition': 'attachment; filename="cat.png"',
      'cache-control': 'no-store',
    });
    const spaced = await get(upstream.url('/file/a%20b.bin'));
    expect(spaced.body.toString()).toBe('xyz');
    expect(spaced.headers['content-type']).toBe('application/octet-stream');
    expect((await get(upstream.url('/file/missing.png'))).status).toBe(404);
    expect((await get(upstream.url('/nothing-here'))).status).toBe(404);
  });

  it('answers /status/<code> with that status and a small HTML page', async () => {
    const upstream = await start();
    for (const status of [200, 403, 404, 429, 500, 503]) {
      const res = await get(upstream.url(`/status/${status}`));
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body.toString()).toContain(`<h1>${status} `);
    }
  });

  it('redirects to exactly the Location given, with the status given', async () => {
    const upstream = await start();
    const targets = ['/file/x', 'relative/path?q=1', '//evil.example.test/x', 'file:///etc/passwd', 'http://127.0.0.1:1/admin', 'ftp://x.test/'];
    for (const [i, to] of targets.entries()) {
      const status = [301, 302, 303, 307, 308][i % 5]!;
      const res = await get(upstream.url(`/redirect?to=${encodeURIComponent(to)}&status=${status}`));
      expect({ status: res.status, location: res.headers.location }).toEqual({ status, location: to });
    }
    expect((await get(upstream.url(`/redirect?to=%2Fx`))).status).toBe(302);
    expect((await get(upstream.url(`/redirect?to=%2Fx&status=200`))).status).toBe(400);
    expect((await get(upstream.url(`/redirect`))).status).toBe(400);
  });

  it('loops forever and chains exactly n redirects to a real PNG', async () => {
    const upstream = await start();
    expect((await get(upstream.url('/loop/7'))).headers.location).toBe('/loop/8');
    let url = upstream.url('/chain/5');
    let redirects = 0;
    for (;;) {
      const res = await get(url);
      if (res.status !== 302) {
        expect(res).toMatchObject({ status: 200, body: TINY_PNG });
        break;
      }
      redirects++;
      url = new URL(res.headers.location!, url).href;
    }
    expect(redirects).toBe(5);
    const meta = await sharp(TINY_PNG).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 1, 1]);
  });

  it('/echo-headers returns the request headers as JSON', async () => {
    const upstream = await start();
    const res = await get(upstream.url('/echo-headers'), { headers: { 'X-Probe': 'yes' } });
    expect(JSON.parse(res.body.toString())).toMatchObject({ 'x-probe': 'yes', host: `127.0.0.2:${upstream.port}` });
  });

  it('takes custom routes, which win over the built-in ones', async () => {
    const upstream = await start();
    upstream.route('/custom', (_req, res, url) => void res.end(`hi ${url.searchParams.get('n')}`));
    upstream.route('/empty', (_req, res) => void res.writeHead(418).end());
    upstream.route('/async', async (_req, res) => {
      await sleep(5);
      res.end('later');
    });
    expect((await get(upstream.url('/custom?n=3'))).body.toString()).toBe('hi 3');
    expect((await get(upstream.url('/empty'))).status).toBe(418);
    expect((await get(upstream.url('/async'))).body.toString()).toBe('later');
  });

  it('looks the same to fetch (undici), the client the service is most likely built on', async () => {
    const upstream = await start();
    const signal = () => AbortSignal.timeout(10_000);
    const chained = await fetch(upstream.url('/chain/5'), { signal: signal() });
    expect([chained.status, chained.redirected, Buffer.from(await chained.arrayBuffer())]).toEqual([200, true, TINY_PNG]);
    await expect(fetch(upstream.url('/loop/0'), { signal: signal() })).rejects.toMatchObject({
      cause: { message: 'redirect count exceeded' },
    });
    for (const path of ['/truncated', '/cut-chunked']) {
      const res = await fetch(upstream.url(path), { signal: signal() });
      await expect(res.arrayBuffer()).rejects.toThrow('terminated');
    }
    // fetch inflates transparently, so the bomb's full size reaches whoever reads the body.
    const bomb = await fetch(upstream.url('/gzip-bomb?inflated=1000000'), { signal: signal() });
    expect((await bomb.arrayBuffer()).byteLength).toBe(1_000_000);
  });

  it('close() destroys connections still in flight', async () => {
    const upstream = await start();
    const { response } = request(upstream.url('/stall-headers'));
    const slow = await open(upstream.url('/slow?bytes=100'));
    while (upstream.requests.length < 2) await sleep(10);
    await upstream.close();
    await expect(response).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect((await slow.done).complete).toBe(false);
  });

  it('serves HTTPS with a test-CA leaf and counts refused handshakes as connections', async () => {
    const ca = testCa();
    const upstream = await start({ tls: ca.issue(['127.0.0.2']) });
    expect(upstream.origin).toBe(`https://127.0.0.2:${upstream.port}`);
    expect((await get(upstream.url('/chain/0'), { ca: ca.caPem })).body).toEqual(TINY_PNG);
    await expect(get(upstream.url('/chain/0'))).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    expect(upstream.connections).toBe(2);
    expect(upstream.requests).toHaveLength(1);
  });
});
