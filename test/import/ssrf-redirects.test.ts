import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TINY_PNG } from '../helpers/net-png.js';
import { type Harness, LOOP4, startHarness } from './ssrf-harness.js';

/**
 * SSRF through `POST /api/v1/media/upload/url`, part 3: redirects. The exempt fixture upstream
 * answers `302 Location: <target>` verbatim (`/redirect?to=…`); each hop is judged like a URL
 * given directly. The canaries must see nothing and the upstream must have served exactly the
 * redirect hops.
 */

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ portsApp: true });
});
afterAll(async () => {
  await h?.close();
});
afterEach(() => {
  expect(h.hits()).toEqual([]);
});

const redirectTo = (target: string, status = 302) =>
  h.upstream.url(`/redirect?to=${encodeURIComponent(target)}${status === 302 ? '' : `&status=${status}`}`);

// Targets at the canary port. `P` is replaced by the canary port, `U` by the upstream's.
// Non-ASCII spellings go percent-encoded: a header carries Latin-1, and raw UTF-8 there would
// be an invalid URL rather than the spelling under test.
const blockedTargets: readonly string[] = [
  'http://127.0.0.1:P/',
  'http://2130706433:P/',
  'http://0x7f000001:P/',
  'http://017700000001:P/',
  'http://127.1:P/',
  'http://0x7f.1:P/',
  'http://127.0.0.1.:P/',
  'http://127.000.000.001:P/',
  'http://[::1]:P/',
  'http://[0:0:0:0:0:0:0:1]:P/',
  'http://[::ffff:127.0.0.1]:P/',
  'http://[::ffff:7f00:1]:P/',
  'http://[::127.0.0.1]:P/',
  'http://0.0.0.0:P/',
  'http://[::]:P/',
  'http://127.0.0.3:P/',
  'http://%EF%BC%91%EF%BC%92%EF%BC%97.%EF%BC%90.%EF%BC%90.%EF%BC%91:P/', // full-width digits
  'http://127%E3%80%820%E3%80%820%E3%80%821:P/', // ideographic full stops
  'http://%31%32%37.0.0.1:P/', // percent-encoded
  'https://127.0.0.1:P/',
  '//127.0.0.1:P/', // scheme-relative
  '/\\127.0.0.1:P/', // `\` is `/` in http URLs
  `http://${LOOP4}:P/`, // a name resolving to 127.0.0.1
  'http://localhost:P/',
  'http://foo.localhost:P/',
  'http://10.0.0.1/',
  'http://169.254.169.254/latest/meta-data/',
  'http://[fd00:ec2::254]/latest/meta-data/',
];

const invalidTargets: readonly string[] = [
  'file:///etc/passwd',
  `data:image/png;base64,${TINY_PNG.toString('base64')}`,
  'ftp://127.0.0.1:P/x.png',
  'gopher://127.0.0.1:P/_GET%20/',
  'javascript:alert(1)',
  'dict://127.0.0.1:P/info',
  'http://user:pass@127.0.0.2:U/file/x.png', // credentials, even to the exempt host
  'http://user:pass@127.0.0.1:P/',
  'http://127.0.0.2:U@127.0.0.1:P/',
  // Raw control characters: a URL given directly with them is refused, not repaired (checkUrl);
  // a hop is "re-checked in full", so a Location with them should be refused the same way.
  'http://127.0.0.\t1:P/',
  'http://127.0.0.2:U/file/x.p\tng',
  'http://[::1%25lo]:P/',
  'http://127.0.0.1:99999/',
];

const fill = (template: string) => template.replaceAll(':P', `:${h.P}`).replaceAll(':U', `:${h.U}`);

describe('a redirect to a forbidden address', () => {
  it.each(blockedTargets)('302 → %s is blocked_address after one hop', async (template) => {
    const skipped = await h.refuse(redirectTo(fill(template)), 'blocked_address', { upstreamRequests: 1 });
    expect(skipped.message).not.toBe('');
  });

  it.each([301, 303, 307, 308])('%d → http://127.0.0.1:P/ is blocked_address', async (status) => {
    await h.refuse(redirectTo(`http://127.0.0.1:${h.P}/`, status), 'blocked_address', { upstreamRequests: 1 });
  });

  it('a chain of two good hops that ends at 127.0.0.1 is refused at the third', async () => {
    const last = `http://127.0.0.1:${h.P}/x.png`;
    const second = `/redirect?to=${encodeURIComponent(last)}`;
    const first = `/redirect?to=${encodeURIComponent(second)}`;
    const before = h.upstream.requests.length;
    await h.refuse(h.upstream.url(first), 'blocked_address', { upstreamRequests: 2 });
    expect(h.upstream.requests.slice(before).map((r) => r.path)).toEqual([first, second]);
  });

  it('a chain of two good hops that ends at a name for 127.0.0.1, at the upstream port, is refused', async () => {
    h.dns.set('hop-loopback.ssrf.test', { a: ['127.0.0.1'] });
    const last = `http://hop-loopback.ssrf.test:${h.U}/file/x.png`;
    await h.refuse(redirectTo(h.upstream.url(`/redirect?to=${encodeURIComponent(last)}`)), 'blocked_address', { upstreamRequests: 2 });
  });
});

describe('a redirect to another scheme or a URL that is not allowed', () => {
  it.each(invalidTargets)('302 → %s is invalid_url after one hop', async (template) => {
    await h.refuse(redirectTo(fill(template)), 'invalid_url', { upstreamRequests: 1 });
  });
});

describe('a redirect to a port that is not allowed (ports 80, 443 and the upstream only)', () => {
  it.each([
    'http://127.0.0.2:P/', // the exempt host: only the port policy stands between
    'http://127.0.0.2:22/',
    'http://127.0.0.2:6379/',
    'http://127.0.0.1:P/', // both wrong: the port is judged first
    `http://${LOOP4}:P/`,
  ])('302 → %s is blocked_port', async (template) => {
    await h.refuse(redirectTo(fill(template)), 'blocked_port', { on: 'ports', upstreamRequests: 1 });
  });

  it('302 → an allowed port on a forbidden host is blocked_address', async () => {
    await h.refuse(redirectTo(`http://127.0.0.1:${h.U}/file/x.png`), 'blocked_address', { on: 'ports', upstreamRequests: 1 });
  });
});

describe('controls', () => {
  it('a redirect to the exempt upstream is followed and stored', async () => {
    const url = redirectTo(h.good);
    const before = h.upstream.requests.length;
    const { status, body } = await h.importUrls([url]);
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ count_stored: 1, skipped: [] });
    expect(h.upstream.requests.slice(before).map((r) => r.path)).toEqual([new URL(url).pathname + new URL(url).search, '/file/x.png']);
  });

  it('leaves nothing behind in the data dirs but the blobs of stored media', async () => {
    await h.expectCleanDataDir('main');
    await h.expectCleanDataDir('ports');
  });
});
