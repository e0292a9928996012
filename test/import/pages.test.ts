import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, type TestUser, json, startApp } from '../helpers/app.js';
import { png } from '../helpers/media-fixtures.js';
import { type TestDns, startDnsServer } from '../helpers/net-dns.js';
import { type Upstream, startUpstream } from '../helpers/net-upstream.js';

/**
 * A direct link that is a web page becomes the media on that page (OpenGraph, Twitter cards,
 * JSON-LD, oEmbed), never the page itself; each item goes through the same guard as any URL.
 */

let app: TestApp;
let dns: TestDns;
let upstream: Upstream;
let user: TestUser;
const IMPORT = '/api/v1/media/upload/url';

const at = (p: string) => `http://media.example.test:${upstream.port}${p}`;

function page(path: string, head: string): string {
  upstream.route(path, (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><html><head>${head}</head><body><p>article</p></body></html>`);
  });
  return at(path);
}

async function importUrls(urls: string[]): Promise<any> {
  const res = await app.api(user.token, IMPORT, json({ workspace_id: user.workspaceId, urls }));
  const body: any = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(200);
  return body;
}

beforeAll(async () => {
  dns = await startDnsServer();
  upstream = await startUpstream({ host: '127.0.0.2' });
  dns.set('media.example.test', { a: ['127.0.0.2'] });
  dns.set('private.example.test', { a: ['127.0.0.1'] });
  for (const name of ['a.png', 'b.png', 'poster.png', 'ld.png', 'oembed.png']) upstream.file(name, await png(), { contentType: 'image/png' });
  app = await startApp({
    INTAKE_DNS_SERVERS: dns.server,
    INTAKE_FETCH_ALLOWED_NETWORKS: '127.0.0.2/32',
    INTAKE_FETCH_ALLOWED_PORTS: '*',
  });
  user = await app.user();
});
afterAll(async () => {
  await app?.close();
  await upstream?.close();
  await dns?.close();
});

describe('a web page given as a URL', () => {
  it('imports every og:image in page order with its alt, not the page', async () => {
    const url = page(
      '/posts/1',
      `<meta property="og:image" content="/file/a.png"><meta property="og:image:alt" content="First picture">
       <meta property="og:image" content="${at('/file/b.png')}"><meta property="og:image:alt" content="Second picture">
       <meta name="twitter:image" content="/file/poster.png">`,
    );
    const body = await importUrls([url]);
    expect(body.skipped).toEqual([]);
    expect(body.media.map((m: any) => [m.name, m.alt, m.source_url, m.mime_type])).toEqual([
      ['a.png', 'First picture', url, 'image/png'],
      ['b.png', 'Second picture', url, 'image/png'],
    ]);
  });

  it('prefers JSON-LD media, and falls back to the oEmbed answer when the page has no tags', async () => {
    const withLd = page('/posts/2', `<script type="application/ld+json">{"@type":"ImageObject","contentUrl":"/file/ld.png","caption":"From JSON-LD"}</script><meta property="og:image" content="/file/poster.png">`);
    upstream.route('/oembed', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ type: 'photo', url: at('/file/oembed.png'), author_name: 'Ann Lee', author_url: at('/ann'), provider_name: 'Example' }));
    });
    const withOembed = page('/posts/3', `<link rel="alternate" type="application/json+oembed" href="/oembed?url=x">`);
    const body = await importUrls([withLd, withOembed]);
    expect(body.skipped).toEqual([]);
    expect(body.media.map((m: any) => [m.name, m.alt])).toEqual([
      ['ld.png', 'From JSON-LD'],
      ['oembed.png', null],
    ]);
    expect(body.media[1].attribution).toEqual({ author: 'Ann Lee', author_url: at('/ann'), source: 'Example', page_url: withOembed });
  });

  it('a page with nothing to import is no_media; a page whose media is a page is no_media for that item', async () => {
    const empty = page('/posts/4', '<title>Nothing here</title>');
    const nested = page('/posts/5', `<meta property="og:image" content="/posts/4">`);
    const body = await importUrls([empty, nested]);
    expect(body.media).toEqual([]);
    expect(body.skipped).toEqual([
      { url: empty, code: 'no_media', message: expect.any(String) },
      { url: nested, code: 'no_media', message: expect.any(String), item_url: empty },
    ]);
  });

  it('judges each item like any URL: a private address on the page is blocked, the rest imported', async () => {
    const url = page(
      '/posts/6',
      `<meta property="og:image" content="http://private.example.test:${upstream.port}/file/a.png">
       <meta property="og:image" content="http://127.0.0.1:${upstream.port}/file/a.png">
       <meta property="og:image" content="/file/b.png">`,
    );
    const body = await importUrls([url]);
    expect(body.media.map((m: any) => m.name)).toEqual(['b.png']);
    expect(body.skipped.map((s: any) => [s.code, s.item_url])).toEqual([
      ['blocked_address', `http://private.example.test:${upstream.port}/file/a.png`],
      ['blocked_address', `http://127.0.0.1:${upstream.port}/file/a.png`],
    ]);
  });

  it('stores nothing of the page itself', async () => {
    const files = await app.storedFiles();
    const rows = await app.services.db.selectFrom('media').select('mime_type').execute();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.mime_type.startsWith('image/'))).toBe(true);
    expect(files.some((f) => f.startsWith('tmp'))).toBe(false);
  });
});
