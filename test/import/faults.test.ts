import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, json, startApp } from '../helpers/app.js';
import { png, sha256 } from '../helpers/media-fixtures.js';
import { type TestDns, startDnsServer } from '../helpers/net-dns.js';
import { TINY_PNG, pngStart } from '../helpers/net-png.js';
import { testCa, untrustedCert } from '../helpers/net-tls.js';
import { type Upstream, startUpstream } from '../helpers/net-upstream.js';

/**
 * Every fault of a download, each sent in one request between good URLs: the good ones are
 * stored in order, the fault is the one `skipped` entry with its code, and the data dir and the
 * `media`/`blobs` tables hold exactly the stored items afterwards — nothing half-written.
 */

const IMPORT = '/api/v1/media/upload/url';
const MAX_FILE_BYTES = 300_000;
/** What `/big-declared` announces and would send in full to a client that drains it. */
const BIG_DECLARED = 64 * 1024 * 1024;

/** Small limits, so every fault ends fast. */
let fast: TestApp;
/** The default time limits, under which a silent name server is the resolver's to give up on. */
let patient: TestApp;
let dns: TestDns;
let upstream: Upstream;
let untrusted: Upstream;
let wrongName: Upstream;
let tmpDir: string;
let refusedPort: number;
let goodCount = 0;
let bigDeclared: { written: number; closed: Promise<void> } | undefined;

interface Good {
  readonly url: string;
  readonly bytes: Buffer;
}

/** A fresh picture (unique bytes) at a fresh URL of the healthy upstream, by host name. */
async function good(): Promise<Good> {
  goodCount += 1;
  const bytes = await png(20 + goodCount, 10);
  upstream.file(`good-${goodCount}.png`, bytes, { contentType: 'image/png' });
  return { url: `http://media.example.test:${upstream.port}/file/good-${goodCount}.png`, bytes };
}

/** A port on 127.0.0.2 nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.2', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function blobKeys(app: TestApp): Promise<string[]> {
  const rows = await app.services.db.selectFrom('blobs').select('storage_key').execute();
  return rows.map((r) => r.storage_key).sort();
}

/**
 * Imports `[...before, fault, ...after]` for a fresh user and asserts the whole outcome; returns
 * the skipped entry.
 */
async function expectFault(fault: string, code: string, options: { before?: Good[]; after?: Good[]; on?: TestApp } = {}): Promise<any> {
  const app = options.on ?? fast;
  const before = options.before ?? [await good(), await good()];
  const after = options.after ?? [await good()];
  const goods = [...before, ...after];
  const user = await app.user();
  const filesBefore = await app.storedFiles();

  const res = await app.api(user.token, IMPORT, json({ workspace_id: user.workspaceId, urls: [...before.map((g) => g.url), fault, ...after.map((g) => g.url)] }));
  const body: any = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(200);
  expect(body.skipped, JSON.stringify(body.skipped)).toEqual([{ url: fault, code, message: expect.any(String) }]);
  expect(body.media.map((m: any) => m.source_url)).toEqual(goods.map((g) => g.url));
  expect(body.media.map((m: any) => m.size)).toEqual(goods.map((g) => g.bytes.length));
  expect(body.count_stored).toBe(body.media.length);

  // The tables hold exactly the stored rows, each on a blob of the bytes served at its URL.
  const db = app.services.db;
  const rows = await db
    .selectFrom('media')
    .innerJoin('blobs', 'blobs.id', 'media.blob_id')
    .select(['media.id', 'blobs.sha256'])
    .where('media.workspace_id', '=', user.workspaceId)
    .execute();
  const shaById = new Map(rows.map((r) => [r.id, r.sha256]));
  expect([...shaById.keys()].sort((a, b) => a - b)).toEqual(body.media.map((m: any) => m.id).sort((a: number, b: number) => a - b));
  expect(body.media.map((m: any) => shaById.get(m.id))).toEqual(goods.map((g) => sha256(g.bytes)));
  const blobs = await db.selectFrom('blobs').select(['sha256', 'ref_count', 'storage_key']).where('workspace_id', '=', user.workspaceId).execute();
  expect(blobs.map((b) => b.sha256).sort()).toEqual(goods.map((g) => sha256(g.bytes)).sort());
  expect(blobs.every((b) => Number(b.ref_count) === 1)).toBe(true);

  // The data dir changed by exactly the new blobs: no temp file, no `.part`, no stray blob.
  const filesAfter = await app.storedFiles();
  expect(filesAfter).toEqual([...filesBefore, ...blobs.map((b) => b.storage_key)].sort());
  expect(filesAfter).toEqual(await blobKeys(app));
  expect(filesAfter.filter((f) => f.startsWith('tmp/') || f.endsWith('.part'))).toEqual([]);
  return body.skipped[0];
}

beforeAll(async () => {
  tmpDir = await fs.mkdtemp(path.join(os.tmpdir(), 'intake-faults-'));
  const caFile = path.join(tmpDir, 'ca.pem');
  await fs.writeFile(caFile, testCa().caPem);
  dns = await startDnsServer();
  upstream = await startUpstream({ host: '127.0.0.2' });
  untrusted = await startUpstream({ host: '127.0.0.2', tls: untrustedCert(['untrusted.example.test']) });
  wrongName = await startUpstream({ host: '127.0.0.2', tls: testCa().issue(['media.example.test']) });
  refusedPort = await closedPort();
  for (const name of ['media.example.test', 'untrusted.example.test', 'wrong-name.example.test']) dns.set(name, { a: ['127.0.0.2'] });
  dns.fail('nx.example.test', 'NXDOMAIN');
  dns.fail('servfail.example.test', 'SERVFAIL');
  dns.fail('silent.example.test', 'timeout');

  // Announces 64 MB with a Content-Length (and `?encoding=`, if given); counts what it managed
  // to hand to the socket before the client went away or took it all.
  upstream.route('/big-declared', (_req, res, url) => {
    const state = { written: 0, closed: new Promise<void>((resolve) => res.on('close', resolve)) };
    bigDeclared = state;
    const encoding = url.searchParams.get('encoding');
    res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': BIG_DECLARED, ...(encoding ? { 'Content-Encoding': encoding } : {}) });
    const chunk = pngStart(64 * 1024);
    const pump = () => {
      while (state.written < BIG_DECLARED) {
        if (res.destroyed) return;
        state.written += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
  });
  // The built-in `/big` and `/gzip-bomb` are a PNG signature and then zeros, which the early type
  // check refuses (`unsupported_type`) long before the cap. These start with a whole PNG header,
  // so only the byte count can stop them.
  upstream.route('/big-undeclared', (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'image/png' }); // chunked: no length to go by
    res.write(pngStart(MAX_FILE_BYTES * 4));
    res.end();
  });
  const bomb = gzipSync(pngStart(8 * 1024 * 1024), { level: 9 });
  upstream.route('/png-gzip-bomb', (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Encoding': 'gzip', 'Content-Length': bomb.length });
    res.end(bomb);
  });
  upstream.route('/page', (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><html><head><title>A page</title></head><body><p>Just words, no pictures.</p></body></html>\n');
  });

  const env = {
    INTAKE_FETCH_ALLOWED_NETWORKS: '127.0.0.2/32',
    INTAKE_FETCH_ALLOWED_PORTS: '*',
    INTAKE_DNS_SERVERS: dns.server,
    INTAKE_MAX_FILE_BYTES: String(MAX_FILE_BYTES),
    INTAKE_FETCH_CA_FILE: caFile,
    INTAKE_RATE_LIMIT_PER_MINUTE: '100000',
  };
  fast = await startApp({ ...env, INTAKE_FETCH_IDLE_TIMEOUT_SECONDS: '1', INTAKE_FETCH_TIMEOUT_SECONDS: '4' });
  patient = await startApp(env);
});

afterAll(async () => {
  await Promise.all([fast?.close(), patient?.close()]);
  await Promise.all([upstream?.close(), untrusted?.close(), wrongName?.close(), dns?.close()]);
  if (tmpDir) await fs.rm(tmpDir, { recursive: true, force: true });
});

const at = (p: string) => `http://media.example.test:${upstream.port}${p}`;

describe('connection and DNS', () => {
  it('connection refused: connect_failed', async () => {
    await expectFault(`http://127.0.0.2:${refusedPort}/file/x.png`, 'connect_failed');
  });

  it('NXDOMAIN: dns_failed', async () => {
    await expectFault(`http://nx.example.test:${upstream.port}/file/x.png`, 'dns_failed');
  });

  it('SERVFAIL: dns_failed', async () => {
    await expectFault(`http://servfail.example.test:${upstream.port}/file/x.png`, 'dns_failed');
  });

  // With the default limits the resolver gives up (after about ten seconds) well before the
  // connect timeout. Under an idle limit shorter than that, the connect timeout, which covers
  // the lookup, fires first and the item is `timeout` instead.
  it('a name server that never answers: dns_failed', async () => {
    const skipped = await expectFault(`http://silent.example.test:${upstream.port}/file/x.png`, 'dns_failed', { on: patient });
    expect(skipped.message).toContain('silent.example.test');
  });
});

describe('TLS', () => {
  it('a certificate from a CA nobody trusts: connect_failed, the request never sent', async () => {
    await expectFault(`https://untrusted.example.test:${untrusted.port}/file/x.png`, 'connect_failed');
    expect(untrusted.connections).toBeGreaterThan(0);
    expect(untrusted.requests).toHaveLength(0);
  });

  it('a trusted certificate for another host name: connect_failed (the same server under its own name imports)', async () => {
    const bytes = await png(9, 9);
    wrongName.file('right.png', bytes, { contentType: 'image/png' });
    await expectFault(`https://wrong-name.example.test:${wrongName.port}/file/right.png`, 'connect_failed', {
      before: [{ url: `https://media.example.test:${wrongName.port}/file/right.png`, bytes }],
      after: [await good()],
    });
    expect(wrongName.requests.map((r) => r.path)).toEqual(['/file/right.png']);
  });
});

describe('HTTP status', () => {
  it.each([404, 410, 500, 503])('%i: http_error naming the status', async (status) => {
    const skipped = await expectFault(at(`/status/${status}`), 'http_error');
    expect(skipped.message).toContain(String(status));
  });
});

describe('redirects', () => {
  it('a redirect loop: too_many_redirects', async () => {
    await expectFault(at('/loop/0'), 'too_many_redirects');
  });

  it('/chain/5 is imported, /chain/6 is too_many_redirects', async () => {
    await expectFault(at('/chain/6'), 'too_many_redirects', { before: [await good(), { url: at('/chain/5'), bytes: TINY_PNG }], after: [await good()] });
  });
});

describe('bodies that break off or crawl', () => {
  it.each(['/truncated', '/cut-chunked'])('%s: connect_failed, no partial file', async (p) => {
    await expectFault(at(p), 'connect_failed');
  });

  it('one byte at a time, never finishing within the deadline: timeout', async () => {
    await expectFault(at('/slow?bytes=1000&interval=200'), 'timeout');
  });

  it('headers that never come: timeout', async () => {
    await expectFault(at('/stall-headers'), 'timeout');
  });

  it('a body that stops after its first bytes: timeout', async () => {
    await expectFault(at('/stall-body'), 'timeout');
  });
});

describe('size', () => {
  it('a Content-Length over the cap is refused before the body is read: too_large', async () => {
    bigDeclared = undefined;
    await expectFault(at('/big-declared'), 'too_large');
    expect(bigDeclared).toBeDefined();
    await bigDeclared!.closed;
    // A client that drained the body would have taken all 64 MB; refusing leaves the rest unsent.
    expect(bigDeclared!.written).toBeLessThan(BIG_DECLARED / 4);
  });

  it('no Content-Length and more bytes than the cap: too_large', async () => {
    await expectFault(at('/big-undeclared'), 'too_large');
  });

  it('a few KB of gzip that inflate past the cap: too_large', async () => {
    await expectFault(at('/png-gzip-bomb'), 'too_large');
  });

  it('a content encoding Intake does not read: http_error, and the body is not drained', async () => {
    bigDeclared = undefined;
    const skipped = await expectFault(at('/big-declared?encoding=zstd'), 'http_error');
    expect(skipped.message).toContain('zstd');
    await bigDeclared!.closed;
    expect(bigDeclared!.written).toBeLessThan(BIG_DECLARED / 4);
  });
});

describe('what the bytes are', () => {
  it('HTML served as image/png: unsupported_type', async () => {
    await expectFault(at('/html-as-png'), 'unsupported_type');
  });

  it('a real HTML page: no_media', async () => {
    await expectFault(at('/page'), 'no_media');
  });

  it('an empty body: unsupported_type', async () => {
    await expectFault(at('/empty'), 'unsupported_type');
  });

  it('a PNG declaring 100000 × 100000 pixels: unsupported_type', async () => {
    await expectFault(at('/png-bomb'), 'unsupported_type');
  });

  it('a string that is not a URL: invalid_url', async () => {
    const requests = upstream.requests.length;
    await expectFault('not a url', 'invalid_url');
    // Only the three good URLs were fetched.
    expect(upstream.requests.length - requests).toBe(3);
  });
});

describe('afterwards', () => {
  it('the process still serves: /healthz and another import', async () => {
    for (const app of [fast, patient]) {
      const health = await fetch(`${app.url}/healthz`);
      expect(health.status).toBe(200);
      const user = await app.user();
      const g = await good();
      const res = await app.api(user.token, IMPORT, json({ workspace_id: user.workspaceId, urls: [g.url] }));
      const body: any = await res.json();
      expect(res.status).toBe(200);
      expect(body).toMatchObject({ count_stored: 1, skipped: [] });
      expect(body.media[0].size).toBe(g.bytes.length);
      expect(await app.storedFiles()).toEqual(await blobKeys(app));
    }
  });
});
