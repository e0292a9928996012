import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, type TestUser, json, startApp } from '../helpers/app.js';
import { png } from '../helpers/media-fixtures.js';
import { type TestDns, startDnsServer } from '../helpers/net-dns.js';
import { testCa } from '../helpers/net-tls.js';
import { type Upstream, startUpstream } from '../helpers/net-upstream.js';

/**
 * What an imported item is called (Content-Disposition, then the URL path, then `<type>-<id>`,
 * always with the extension of the detected type), HTTPS through the configured CA, and what
 * Intake sends to the source.
 */

const IMPORT = '/api/v1/media/upload/url';

let app: TestApp;
let dns: TestDns;
let upstream: Upstream;
let secure: Upstream;
let user: TestUser;
let tmpDir: string;

/** Imports one URL and returns the one stored item. */
async function importOne(url: string, init: { headers?: Record<string, string> } = {}): Promise<any> {
  const request = json({ workspace_id: user.workspaceId, urls: [url] });
  const res = await app.api(user.token, IMPORT, { ...request, headers: { ...(request.headers as Record<string, string>), ...init.headers } });
  const body: any = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(200);
  expect(body.skipped, JSON.stringify(body.skipped)).toEqual([]);
  expect(body.media).toHaveLength(1);
  return body.media[0];
}

/** Serves a fresh PNG at `/file/<name>` with these headers; returns its URL. */
async function serve(name: string, options: { contentDisposition?: string; contentType?: string } = {}): Promise<string> {
  upstream.file(name, await png(), { contentType: 'image/png', ...options });
  return `http://media.example.test:${upstream.port}/file/${encodeURIComponent(name)}`;
}

const at = (p: string) => `http://media.example.test:${upstream.port}${p}`;

beforeAll(async () => {
  tmpDir = await fs.mkdtemp(path.join(os.tmpdir(), 'intake-names-'));
  const caFile = path.join(tmpDir, 'ca.pem');
  await fs.writeFile(caFile, testCa().caPem);
  dns = await startDnsServer();
  upstream = await startUpstream({ host: '127.0.0.2' });
  secure = await startUpstream({ host: '127.0.0.2', tls: testCa().issue(['secure.example.test']) });
  dns.set('media.example.test', { a: ['127.0.0.2'] });
  dns.set('secure.example.test', { a: ['127.0.0.2'] });

  // `/` has no name at all; `/?to=…` redirects from there to a named file.
  const rootPng = await png();
  upstream.route('/', (_req, res, url) => {
    const to = url.searchParams.get('to');
    if (to) {
      res.writeHead(302, { Location: to, 'Content-Length': 0 });
      return void res.end();
    }
    res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': rootPng.length });
    res.end(rootPng);
  });

  app = await startApp({
    INTAKE_FETCH_ALLOWED_NETWORKS: '127.0.0.2/32',
    INTAKE_FETCH_ALLOWED_PORTS: '*',
    INTAKE_DNS_SERVERS: dns.server,
    INTAKE_FETCH_IDLE_TIMEOUT_SECONDS: '1',
    INTAKE_FETCH_TIMEOUT_SECONDS: '4',
    INTAKE_FETCH_CA_FILE: caFile,
    INTAKE_RATE_LIMIT_PER_MINUTE: '100000',
  });
  user = await app.user();
});

afterAll(async () => {
  await app?.close();
  await Promise.all([upstream?.close(), secure?.close(), dns?.close()]);
  if (tmpDir) await fs.rm(tmpDir, { recursive: true, force: true });
});

describe('Content-Disposition', () => {
  it('filename="a.png" names the item', async () => {
    expect((await importOne(await serve('cd-plain', { contentDisposition: 'attachment; filename="a.png"' }))).name).toBe('a.png');
  });

  it("filename*=UTF-8''… wins over filename", async () => {
    const url = await serve('cd-star', { contentDisposition: `attachment; filename="fallback.png"; filename*=UTF-8''caf%C3%A9.png` });
    expect((await importOne(url)).name).toBe('café.png');
  });

  it('a malformed header names nothing: the URL path does', async () => {
    const url = await serve('from-path.png', { contentDisposition: 'attachment; filename="broken.png' });
    expect((await importOne(url)).name).toBe('from-path.png');
  });
});

describe('the URL path', () => {
  it('/file/hero.png is hero.png', async () => {
    expect((await importOne(await serve('hero.png'))).name).toBe('hero.png');
  });

  it('a percent-encoded segment is decoded: /file/my%20photo.png is "my photo.png"', async () => {
    const url = await serve('my photo.png');
    expect(url).toContain('/file/my%20photo.png');
    expect((await importOne(url)).name).toBe('my photo.png');
  });

  it('the extension follows the bytes: photo.jpg that is a PNG is photo.png', async () => {
    const item = await importOne(await serve('photo.jpg', { contentType: 'image/jpeg' }));
    expect(item).toMatchObject({ name: 'photo.png', mime_type: 'image/png' });
  });

  it('no usable name (path /): image-<id>.png', async () => {
    const item = await importOne(at('/'));
    expect(item.name).toBe(`image-${item.id}.png`);
  });
});

describe('after a redirect', () => {
  // nameFrom: Content-Disposition of the final answer; else the last segment of the URL given;
  // the final URL only when the given one has no segment.
  it('a file-like segment of the final URL beats a bare one of the URL given (/redirect → cat.png)', async () => {
    await serve('cat.png');
    const item = await importOne(at(`/redirect?to=${encodeURIComponent('/file/cat.png')}`));
    expect(item.name).toBe('cat.png');
  });

  it('a file-like segment of the URL given beats one of the final URL', async () => {
    await serve('a8f7e6.png');
    upstream.route('/assets/hero.png', (_req, res) => {
      res.writeHead(302, { location: '/file/a8f7e6.png' }).end();
    });
    const item = await importOne(at('/assets/hero.png'));
    expect(item.name).toBe('hero.png');
  });

  it('a given URL without a segment takes the final URL’s: / → /file/cat.png is cat.png', async () => {
    await serve('cat.png');
    const item = await importOne(at(`/?to=${encodeURIComponent('/file/cat.png')}`));
    expect(item.name).toBe('cat.png');
  });

  it('Content-Disposition of the final answer wins over both URLs', async () => {
    await serve('cd-target', { contentDisposition: 'inline; filename="from-header.png"' });
    const item = await importOne(at(`/redirect?to=${encodeURIComponent('/file/cd-target')}`));
    expect(item.name).toBe('from-header.png');
  });
});

describe('HTTPS and what the source sees', () => {
  it('HTTPS with a certificate of the configured CA imports', async () => {
    const bytes = await png(21, 13);
    secure.file('secure.png', bytes, { contentType: 'image/png' });
    const item = await importOne(`https://secure.example.test:${secure.port}/file/secure.png`);
    expect(item).toMatchObject({ name: 'secure.png', size: bytes.length, width: 21, height: 13 });
    const served = await fetch(item.url);
    expect(Buffer.from(await served.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('the outbound request: an Intake User-Agent, no cookie or authorization even when the caller sent them', async () => {
    await serve('private.png');
    const seen = upstream.requests.length;
    await importOne(at(`/redirect?to=${encodeURIComponent('/file/private.png')}`), { headers: { cookie: 'session=caller-secret' } });
    const outbound = upstream.requests.slice(seen);
    expect(outbound.map((r) => r.path)).toEqual([`/redirect?to=${encodeURIComponent('/file/private.png')}`, '/file/private.png']);
    for (const request of outbound) {
      expect(request.headers['user-agent']).toMatch(/^Intake\//);
      expect(request.headers).not.toHaveProperty('cookie');
      expect(request.headers).not.toHaveProperty('authorization');
      expect(JSON.stringify(request.headers)).not.toContain('caller-secret');
      expect(JSON.stringify(request.headers)).not.toContain(user.token.split('|')[1]);
    }
  });
});
