import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startCanary } from '../helpers/net-canary.js';
import { type Harness, LOOP4, startHarness } from './ssrf-harness.js';

/**
 * SSRF through `POST /api/v1/media/upload/url`, part 4: ports, userinfo and parser tricks.
 * Port cases run on a second app that allows only 80, 443 and the upstream's port; canaries on
 * the exempt 127.0.0.2 hold the canary port, 22 and 6379, so there only the port policy stands
 * in the way. In templates `P` is the canary port and `U` the upstream's.
 */

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ portsApp: true, fixedPortCanaries: [22, 6379] });
});
afterAll(async () => {
  await h?.close();
});
afterEach(() => {
  expect(h.hits()).toEqual([]);
});

const fill = (template: string) => template.replaceAll(':P', `:${h.P}`).replaceAll(':U', `:${h.U}`);

describe('ports (allowed: 80, 443 and the upstream port)', () => {
  it.each([
    'http://127.0.0.2:22/',
    'http://127.0.0.2:6379/',
    'http://127.0.0.2:0/',
    'http://127.0.0.2:P/x.png', // a canary port that is not in the list
    'https://127.0.0.2:P/x.png',
    'http://127.0.0.1:6379/', // both wrong: the port is judged first
    `http://${LOOP4}:P/x.png`,
    'http://[::1]:P/x.png',
  ])('%s is blocked_port', async (template) => {
    await h.refuse(fill(template), 'blocked_port', { on: 'ports' });
  });

  it.each(['http://127.0.0.1:U/file/x.png', 'http://[::1]:U/file/x.png', 'http://127.0.0.3:U/file/x.png', `http://${LOOP4}:U/file/x.png`])(
    'an allowed port on a forbidden host: %s is blocked_address',
    async (template) => {
      await h.refuse(fill(template), 'blocked_address', { on: 'ports' });
    },
  );

  it.each(['http://127.0.0.2:65536/', 'http://127.0.0.2:+80/', 'http://127.0.0.2:-1/'])('%s is invalid_url', async (url) => {
    await h.refuse(url, 'invalid_url', { on: 'ports' });
  });

  it('port 0 is refused even when every port is allowed', async () => {
    await h.refuse('http://127.0.0.2:0/x.png', 'blocked_port');
    await h.refuse('http://127.0.0.1:0/x.png', 'blocked_port');
  });

  it('control: the upstream port on the exempt host imports', async () => {
    const { status, body } = await h.importUrls([h.good], 'ports');
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ count_stored: 1, skipped: [] });
  });
});

describe('userinfo and parser tricks', () => {
  it.each([
    'http://user:pass@127.0.0.2:U/file/x.png',
    'http://user@127.0.0.2:U/file/x.png',
    'http://:pass@127.0.0.2:U/file/x.png',
    'http://:@127.0.0.2:U/file/x.png',
    'http://@127.0.0.2:U/file/x.png',
    'http:@127.0.0.2:U/file/x.png',
    'http://127.0.0.2:U@127.0.0.1:P/', // userinfo "127.0.0.2:U", host the canary
    'http://127.0.0.1%2f@127.0.0.2:U/file/x.png',
    'http://127.0.0.\t1:P/', // WHATWG would drop the tab: refused, not repaired
    'http://127.0.0.1\n:P/',
    'http://127.0.0.2:U/file/x.png\r\n',
    'http://127.0.0.2\u0000:U/file/x.png',
    'http://[::1%25lo]:P/',
    '//127.0.0.1:P/x.png',
    '127.0.0.1:P/x.png',
    'localhost:P/x.png',
    '/file/x.png',
    '',
    '   ',
    'file:///etc/passwd',
    'ftp://127.0.0.1:P/x.png',
    'gopher://127.0.0.1:P/_GET%20/',
    'javascript:alert(1)',
    'data:image/png;base64,iVBORw0KGgo=',
    'ws://127.0.0.1:P/',
  ])('%j is invalid_url, nothing contacted', async (template) => {
    await h.refuse(fill(template), 'invalid_url');
  });

  it.each([
    'http://127.0.0.1:P#@127.0.0.2:U/',
    'http://127.0.0.1:P?@127.0.0.2:U/',
    ' http://127.0.0.1:P/', // a leading space is trimmed by WHATWG
    'http:/127.0.0.1:P/',
    'http:\\\\127.0.0.1:P/',
    'http://localhost:P/',
    'http://LOCALHOST:P/',
    'http://localhost.:P/',
    'http://foo.localhost:P/',
    'http://a.b.LocalHost.:P/',
  ])('%j is blocked_address', async (template) => {
    await h.refuse(fill(template), 'blocked_address');
  });

  it('localhost names are refused without asking DNS', () => {
    expect(h.dns.queries.filter((q) => q.name === 'localhost' || q.name.endsWith('.localhost'))).toEqual([]);
  });

  it('`\\@` is a path, not userinfo: the request goes to the exempt host, never the canary', async () => {
    const url = `http://127.0.0.2:${h.U}\\@127.0.0.1:${h.P}/`;
    const skipped = await h.refuse(url, 'http_error', { upstreamRequests: 1 });
    expect(skipped.message).toContain('404');
    expect(h.upstream.requests.at(-1)?.path).toBe(`/@127.0.0.1:${h.P}/`);
  });

  it('a URL of 2048 characters imports; one of 2049 is invalid_url', async () => {
    const base = `${h.good}?pad=`;
    const exact = base + 'a'.repeat(2048 - base.length);
    const over = `${exact}a`;
    expect([exact.length, over.length]).toEqual([2048, 2049]);
    const { status, body } = await h.importUrls([exact]);
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ count_stored: 1, skipped: [] });
    expect(body.media[0].source_url).toBe(exact);
    await h.refuse(over, 'invalid_url');
  });

  it.each([`HTTP://127.0.0.2:U/file/x.png`, `hTtP://127.0.0.2:U/file/x.png`, `http://GOOD.ssrf.test:U/file/x.png`])(
    '%s (case does not matter) imports from the exempt host',
    async (template) => {
      const url = fill(template);
      const { status, body } = await h.importUrls([url]);
      expect(status, JSON.stringify(body)).toBe(200);
      expect(body).toMatchObject({ count_stored: 1, skipped: [] });
      expect(body.media[0].source_url).toBe(url);
    },
  );

  it.each([[[123]], [[null]], [[{ url: 'http://127.0.0.1/' }]], [[['http://127.0.0.1/']]], [['http://127.0.0.2/', true]]])(
    'urls %j with a non-string entry is a 422, not a skip',
    async (urls) => {
      const before = h.upstream.requests.length;
      const { status, body } = await h.importUrls(urls);
      expect(status, JSON.stringify(body)).toBe(422);
      const index = urls.findIndex((u) => typeof u !== 'string');
      expect(Object.keys(body.errors)).toEqual([`urls.${index}`]);
      expect(h.upstream.requests.length).toBe(before);
    },
  );
});

describe('controls', () => {
  it('the rig sees a connection the guard allows: the exempt host at an unused port', async () => {
    const witness = await startCanary('127.0.0.2');
    try {
      const { body } = await h.importUrls([`http://127.0.0.2:${witness.port}/x.png`]);
      expect(body.skipped.map((s: any) => s.code)).toEqual(['connect_failed']);
      expect(witness.connections).toHaveLength(1);
    } finally {
      await witness.close();
    }
  });

  it('leaves nothing behind in the data dirs but the blobs of stored media', async () => {
    await h.expectCleanDataDir('main');
    await h.expectCleanDataDir('ports');
  });
});
