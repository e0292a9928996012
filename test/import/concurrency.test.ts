import type http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, type TestUser, startApp } from '../helpers/app.js';
import { png, sha256 } from '../helpers/media-fixtures.js';
import { type ApiResult, MEDIA_ENV, blobPath, blobsOf, del, download, post } from '../helpers/media-http.js';
import { type Upstream, startUpstream } from '../helpers/net-upstream.js';

/**
 * Items of one import request are fetched in parallel under a per-request cap and a
 * process-wide cap; a slow item holds up nothing beyond them; `media` keeps the order of `urls`;
 * many requests importing the same bytes into one workspace store them once.
 *
 * Nothing here is timed: the upstream holds each download until the test releases it, and the
 * caps show in how many downloads it holds at once.
 */

const NET = { INTAKE_FETCH_ALLOWED_NETWORKS: '127.0.0.2/32', INTAKE_FETCH_ALLOWED_PORTS: '*' };
const IMPORT = '/api/v1/media/upload/url';

let upstream: Upstream;
const apps: TestApp[] = [];
/** Released in `finally` blocks, and again in `afterAll` for any a failed test left behind. */
const gates = new Set<Gate>();

beforeAll(async () => {
  upstream = await startUpstream({ host: '127.0.0.2' });
});
afterAll(async () => {
  for (const gate of gates) gate.releaseAll();
  for (const app of apps) await app.close();
  await upstream?.close();
});

async function appWith(env: Record<string, string>): Promise<TestApp> {
  const app = await startApp({ ...MEDIA_ENV, ...NET, ...env });
  apps.push(app);
  return app;
}

const importUrls = (app: TestApp, user: TestUser, urls: string[]): Promise<ApiResult> =>
  post(app, user.token, IMPORT, { workspace_id: user.workspaceId, urls });

/**
 * An upstream route that holds every request until the test releases it, serving the bytes
 * `bytesFor` picks for its URL. It counts the requests held at once: a download takes a slot
 * of Intake's caps from its request until its bytes are stored, so the count can never exceed
 * the caps while they work.
 */
interface Gate {
  /** Requests that arrived and are not answered yet, oldest first. */
  readonly held: readonly string[];
  readonly arrived: number;
  readonly maxHeld: number;
  /** Settles once `predicate` holds (checked on every arrival). */
  until(predicate: () => boolean): Promise<void>;
  /** Answers the oldest held request. */
  releaseOne(): void;
  releaseAll(): void;
}

function gate(pathname: string, bytesFor: (url: URL) => Buffer): Gate {
  const held: Array<{ path: string; answer: () => void }> = [];
  const waiters: Array<{ predicate: () => boolean; resolve: () => void }> = [];
  let arrived = 0;
  let maxHeld = 0;
  const check = () => {
    for (const waiter of [...waiters]) {
      if (!waiter.predicate()) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  };
  upstream.route(pathname, (_req, res: http.ServerResponse, url) => {
    arrived += 1;
    const entry = {
      path: url.pathname + url.search,
      answer: () => {
        if (res.destroyed) return;
        const bytes = bytesFor(url);
        res.writeHead(200, { 'content-type': 'image/png', 'content-length': bytes.length });
        res.end(bytes);
      },
    };
    held.push(entry);
    maxHeld = Math.max(maxHeld, held.length);
    check();
  });
  const g: Gate = {
    get held() {
      return held.map((h) => h.path);
    },
    get arrived() {
      return arrived;
    },
    get maxHeld() {
      return maxHeld;
    },
    until: (predicate) =>
      new Promise<void>((resolve) => {
        waiters.push({ predicate, resolve });
        check();
      }),
    releaseOne() {
      held.shift()?.answer();
    },
    releaseAll() {
      for (const entry of held.splice(0)) entry.answer();
    },
  };
  gates.add(g);
  return g;
}

/**
 * Lets `total` held downloads through one at a time, each time only once `cap` of them (or all
 * that are left) are held: if more than `cap` could run at once, they would be seen here.
 */
async function drain(g: Gate, total: number, cap: number): Promise<void> {
  for (let answered = 0; answered < total; answered += 1) {
    const expected = Math.min(cap, total - answered);
    await g.until(() => g.held.length >= expected);
    g.releaseOne();
  }
}

describe('per-request cap', () => {
  it('fetches at most INTAKE_IMPORT_CONCURRENCY items of one request at once, and stores them all', async () => {
    const app = await appWith({ INTAKE_IMPORT_CONCURRENCY: '2' });
    const user = await app.user();
    const pictures = await Promise.all(Array.from({ length: 6 }, (_, i) => png(20 + i, 10)));
    const g = gate('/cap/request', (url) => pictures[Number(url.searchParams.get('i'))]!);
    const urls = pictures.map((_, i) => upstream.url(`/cap/request?i=${i}`));

    const pending = importUrls(app, user, urls);
    let res: ApiResult;
    try {
      await drain(g, 6, 2);
      res = await pending;
    } finally {
      g.releaseAll();
    }
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(g.arrived).toBe(6);
    expect(g.maxHeld).toBe(2);
    expect(res.body.count_stored).toBe(6);
    expect(res.body.skipped).toEqual([]);
    expect(res.body.media.map((m: any) => m.source_url)).toEqual(urls);
    for (const [i, media] of res.body.media.entries()) {
      const file = await download(media.url);
      expect(file.bytes.equals(pictures[i]!)).toBe(true);
    }
  });
});

describe('process-wide cap', () => {
  it('fetches at most INTAKE_FETCH_CONCURRENCY items at once across concurrent requests', async () => {
    const app = await appWith({ INTAKE_FETCH_CONCURRENCY: '3' });
    expect(app.services.config.fetch.perRequestConcurrency).toBeGreaterThanOrEqual(4);
    const users = await Promise.all([app.user(), app.user(), app.user()]);
    const pictures = await Promise.all(Array.from({ length: 12 }, (_, i) => png(20 + i, 11)));
    const g = gate('/cap/process', (url) => pictures[Number(url.searchParams.get('i'))]!);
    const urlsOf = (r: number) => [0, 1, 2, 3].map((i) => upstream.url(`/cap/process?i=${r * 4 + i}`));

    const pending = Promise.all(users.map((user, r) => importUrls(app, user, urlsOf(r))));
    let results: ApiResult[];
    try {
      await drain(g, 12, 3);
      results = await pending;
    } finally {
      g.releaseAll();
    }
    expect(g.arrived).toBe(12);
    expect(g.maxHeld).toBe(3);
    for (const [r, res] of results.entries()) {
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.count_stored).toBe(4);
      expect(res.body.media.map((m: any) => m.source_url)).toEqual(urlsOf(r));
      expect(res.body.media.every((m: any) => m.workspace_id === users[r]!.workspaceId)).toBe(true);
    }
  });
});

describe('a slow item', () => {
  it('does not hold up the others: they are all fetched while it stalls, then it is skipped as a timeout', async () => {
    const app = await appWith({ INTAKE_IMPORT_CONCURRENCY: '2', INTAKE_FETCH_IDLE_TIMEOUT_SECONDS: '2' });
    const user = await app.user();
    const pictures = await Promise.all(Array.from({ length: 5 }, (_, i) => png(25 + i, 9)));
    // The stalled download: the request is read, then silence until Intake gives up on it.
    let stall: 'not requested' | 'open' | 'closed' = 'not requested';
    let signalClosed: () => void = () => undefined;
    const stallClosed = new Promise<void>((resolve) => (signalClosed = resolve));
    upstream.route('/slow-item/stall', (req) => {
      stall = 'open';
      req.socket.once('close', () => {
        stall = 'closed';
        signalClosed();
      });
    });
    // What the stalled download's state was when each fast one was asked for.
    const stallSeenByFast: string[] = [];
    upstream.route('/slow-item/fast', (_req, res, url) => {
      stallSeenByFast.push(stall);
      const bytes = pictures[Number(url.searchParams.get('i'))]!;
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': bytes.length });
      res.end(bytes);
    });
    const stalled = upstream.url('/slow-item/stall');
    const fast = pictures.map((_, i) => upstream.url(`/slow-item/fast?i=${i}`));

    const res = await importUrls(app, user, [stalled, ...fast]);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    // All five fast ones went through the one other slot while the stalled one was still held
    // open; the first of them may have been asked for a moment before the stalled one.
    expect(stallSeenByFast).toHaveLength(5);
    expect(stallSeenByFast.slice(1)).toEqual(['open', 'open', 'open', 'open']);
    expect(['not requested', 'open']).toContain(stallSeenByFast[0]);
    // Intake gave up on it and hung up (rather than leaving it open).
    await stallClosed;
    expect(res.body.count_stored).toBe(5);
    expect(res.body.media.map((m: any) => m.source_url)).toEqual(fast);
    expect(res.body.skipped).toEqual([{ url: stalled, code: 'timeout', message: expect.any(String) }]);
  });

  it('does not time out an item while it only waits for a process-wide slot', async () => {
    // The deadline covers "lookups, redirects and the whole body" of one item (README): the
    // time spent queued behind the process-wide cap is not the item's own.
    const app = await appWith({ INTAKE_FETCH_CONCURRENCY: '1', INTAKE_FETCH_TIMEOUT_SECONDS: '2' });
    const user = await app.user();
    const bytes = await png(19, 6);
    upstream.file('queued-fast.png', bytes, { contentType: 'image/png' });
    // Always sending, never done within the deadline: each holds the one slot until its deadline.
    const slow = [upstream.url('/slow?bytes=100&interval=200&queued=1'), upstream.url('/slow?bytes=100&interval=200&queued=2')];
    const fast = upstream.url('/file/queued-fast.png');

    const res = await importUrls(app, user, [...slow, fast]);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.skipped.map((s: any) => [s.url, s.code])).toEqual(slow.map((url) => [url, 'timeout']));
    expect(upstream.requests.filter((r) => r.path === '/file/queued-fast.png')).toHaveLength(1);
    expect(res.body.media.map((m: any) => m.source_url)).toEqual([fast]);
  });
});

describe('order', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await appWith({});
  });

  it('keeps `media` in the order of `urls` when later items finish first', async () => {
    const user = await app.user();
    const pictures = await Promise.all([png(31, 8), png(32, 8), png(33, 8)]);
    const g = gate('/order/first', () => pictures[0]);
    upstream.file('order-second.png', pictures[1], { contentType: 'image/png' });
    upstream.file('order-third.png', pictures[2], { contentType: 'image/png' });
    const urls = [upstream.url('/order/first'), upstream.url('/file/order-second.png'), upstream.url('/file/order-third.png')];
    const rowsIn = async () =>
      (await app.services.db.selectFrom('media').select('source_url').where('workspace_id', '=', user.workspaceId).execute()).map(
        (r) => r.source_url,
      );

    const pending = importUrls(app, user, urls);
    let res: ApiResult;
    try {
      await g.until(() => g.held.length === 1);
      // The second and third are stored while the first is still being fetched.
      while ((await rowsIn()).length < 2) await sleep(20);
      expect((await rowsIn()).sort()).toEqual([urls[1], urls[2]].sort());
      g.releaseOne();
      res = await pending;
    } finally {
      g.releaseAll();
    }
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.media.map((m: any) => m.source_url)).toEqual(urls);
    expect(res.body.media.map((m: any) => m.width)).toEqual([31, 32, 33]);
    // The first URL's row was the last one written.
    const ids = res.body.media.map((m: any) => m.id);
    expect(ids[0]).toBeGreaterThan(Math.max(ids[1], ids[2]));
  });

  it('stores identical bytes once when many concurrent requests import them into one workspace', async () => {
    const user = await app.user();
    const bytes = await png(17, 17);
    const sha = sha256(bytes);
    upstream.file('dedup-same.png', bytes, { contentType: 'image/png' });
    const requests = Array.from({ length: 10 }, (_, i) => {
      upstream.file(`dedup-copy-${i}.png`, bytes, { contentType: 'image/png' });
      return [upstream.url('/file/dedup-same.png'), upstream.url(`/file/dedup-copy-${i}.png`)];
    });

    const results = await Promise.all(requests.map((urls) => importUrls(app, user, urls)));
    const mediaIds: number[] = [];
    for (const [i, res] of results.entries()) {
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.skipped).toEqual([]);
      expect(res.body.count_stored).toBe(2);
      expect(res.body.media.map((m: any) => m.source_url)).toEqual(requests[i]);
      mediaIds.push(...res.body.media.map((m: any) => m.id));
    }
    expect(new Set(mediaIds).size).toBe(20);

    const db = app.services.db;
    const rows = await db.selectFrom('media').select(['id', 'blob_id']).where('workspace_id', '=', user.workspaceId).execute();
    expect(rows.map((r) => r.id).sort((a, b) => a - b)).toEqual([...mediaIds].sort((a, b) => a - b));
    const blobs = await blobsOf(app, user.workspaceId, sha);
    expect(blobs).toHaveLength(1);
    expect(Number(blobs[0]!.ref_count)).toBe(20);
    expect(new Set(rows.map((r) => r.blob_id))).toEqual(new Set([blobs[0]!.id]));
    expect(await db.selectFrom('blobs').select('id').where('workspace_id', '=', user.workspaceId).execute()).toHaveLength(1);

    const files = await app.storedFiles();
    expect(files.filter((f) => f.startsWith(`${user.workspaceId}/`))).toEqual([blobPath(user.workspaceId, sha)]);
    expect(files.filter((f) => f.startsWith('tmp/') || f.endsWith('.part'))).toEqual([]);
    for (const res of [results[0]!, results[9]!]) {
      const file = await download(res.body.media[1].url);
      expect(file.bytes.equals(bytes)).toBe(true);
    }

    // Deleting every one of them (all at once) frees the bytes.
    const deletions = await Promise.all(mediaIds.map((id) => del(app, user.token, `/api/v1/media/${id}`)));
    expect(deletions.map((d) => d.status)).toEqual(mediaIds.map(() => 200));
    expect(await db.selectFrom('media').select('id').where('workspace_id', '=', user.workspaceId).execute()).toEqual([]);
    expect(await blobsOf(app, user.workspaceId, sha)).toEqual([]);
    expect((await app.storedFiles()).filter((f) => f.startsWith(`${user.workspaceId}/`))).toEqual([]);
  });
});
