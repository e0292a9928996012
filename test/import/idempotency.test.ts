import fs from 'node:fs/promises';
import type http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, type TestUser, startApp } from '../helpers/app.js';
import { png } from '../helpers/media-fixtures.js';
import { type ApiResult, MEDIA_ENV, call, del, download } from '../helpers/media-http.js';
import { type Upstream, startUpstream } from '../helpers/net-upstream.js';
import { startSecondInstance } from '../helpers/ops-util.js';

/**
 * `Idempotency-Key` on `POST /api/v1/media/upload/url`: the same key from the same user within
 * 24 hours replays the first answer without importing again; a different body is 409, and so is
 * a request arriving while the first still runs. Records live in the database, so a second
 * instance on the same database replays too.
 */

const ENV = { ...MEDIA_ENV, INTAKE_FETCH_ALLOWED_NETWORKS: '127.0.0.2/32', INTAKE_FETCH_ALLOWED_PORTS: '*' };
const IMPORT = '/api/v1/media/upload/url';
const HOUR = 3600 * 1000;

let app: TestApp;
let second: TestApp | undefined;
let upstream: Upstream;
/** Released in `finally` blocks, and again in `afterAll` for any a failed test left behind. */
const heldResponses = new Set<() => void>();

beforeAll(async () => {
  upstream = await startUpstream({ host: '127.0.0.2' });
  app = await startApp(ENV);
});
afterAll(async () => {
  for (const release of heldResponses) release();
  await second?.close();
  await app?.close();
  await upstream?.close();
});

interface ImportBody {
  workspace_id: number | string;
  urls: string[];
  folder_id?: number | null;
}

/** POSTs an import, with `Idempotency-Key: key` when a key is given (an empty string is sent as such). */
function importUrls(target: TestApp, token: string, body: ImportBody, key?: string): Promise<ApiResult> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key !== undefined) headers['idempotency-key'] = key;
  return call(target, token, IMPORT, { method: 'POST', headers, body: JSON.stringify(body) });
}

let fileCounter = 0;
/** Fresh PNG bytes served at a path of their own, so the upstream log counts this test's fetches only. */
async function servedPng(): Promise<{ url: string; path: string; bytes: Buffer }> {
  fileCounter += 1;
  const name = `idem-${fileCounter}.png`;
  const bytes = await png(10 + fileCounter, 7);
  upstream.file(name, bytes, { contentType: 'image/png' });
  return { url: upstream.url(`/file/${name}`), path: `/file/${name}`, bytes };
}

/** How many times the upstream was asked for this path (query included). */
const fetchesOf = (pathname: string) => upstream.requests.filter((r) => r.path === pathname).length;

async function mediaRowsIn(workspaceId: number): Promise<number[]> {
  const rows = await app.services.db.selectFrom('media').select('id').where('workspace_id', '=', workspaceId).orderBy('id').execute();
  return rows.map((r) => r.id);
}

let keyCounter = 0;
const freshKey = (label: string) => `${label}-${process.pid}-${++keyCounter}`;

const ids = (res: ApiResult): number[] => res.body.media.map((m: { id: number }) => m.id);
const withoutUrl = (res: ApiResult) => res.body.media.map((m: Record<string, unknown>) => ({ ...m, url: null }));
const expiresOf = (url: string) => Number(new URL(url).searchParams.get('expires'));

/** The second instance on the same database and (like a shared volume) the same media storage. */
async function secondInstance(): Promise<TestApp> {
  second ??= await startSecondInstance(app, { ...ENV, INTAKE_DATA_DIR: app.dataDir });
  return second;
}

/**
 * An upstream route that answers nothing until the test releases it: `arrived` settles when the
 * first request comes in, `count` says how many came, `release()` sends `bytes` to all of them.
 */
function heldRoute(pathname: string, bytes: Buffer, onArrival: () => void = () => undefined) {
  const waiting: http.ServerResponse[] = [];
  let count = 0;
  let signalArrival: () => void = () => undefined;
  const arrived = new Promise<void>((resolve) => (signalArrival = resolve));
  const release = () => {
    for (const res of waiting.splice(0)) {
      if (res.destroyed) continue;
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': bytes.length });
      res.end(bytes);
    }
    heldResponses.delete(release);
  };
  heldResponses.add(release);
  upstream.route(pathname, (_req, res) => {
    waiting.push(res);
    count += 1;
    signalArrival();
    onArrival();
  });
  return {
    url: upstream.url(pathname),
    arrived,
    release,
    get count() {
      return count;
    },
  };
}

describe('Idempotency-Key', () => {
  let alice: TestUser;
  beforeAll(async () => {
    alice = await app.user();
  });

  it('replays the first answer for the same key and body without importing again', async () => {
    const a = await servedPng();
    const b = await servedPng();
    const missing = '/status/404?idem-replay';
    const body = { workspace_id: alice.workspaceId, urls: [a.url, upstream.url(missing), b.url] };
    const key = freshKey('replay');

    const first = await importUrls(app, alice.token, body, key);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(first.body.count_stored).toBe(2);
    expect(first.body.media.map((m: any) => m.source_url)).toEqual([a.url, b.url]);
    expect(first.body.skipped).toEqual([{ url: upstream.url(missing), code: 'http_error', message: expect.stringContaining('404') }]);
    const rowsAfterFirst = await mediaRowsIn(alice.workspaceId);

    const replay = await importUrls(app, alice.token, body, key);
    expect(replay.status, JSON.stringify(replay.body)).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(ids(replay)).toEqual(ids(first));
    expect(replay.body.skipped).toEqual(first.body.skipped);
    expect(replay.body.count_stored).toBe(2);
    expect(withoutUrl(replay)).toEqual(withoutUrl(first));

    // Nothing was fetched or stored again.
    expect(fetchesOf(a.path)).toBe(1);
    expect(fetchesOf(b.path)).toBe(1);
    expect(fetchesOf(missing)).toBe(1);
    expect(await mediaRowsIn(alice.workspaceId)).toEqual(rowsAfterFirst);

    // The replay's links are made for this answer, and they serve the bytes.
    for (const [i, media] of replay.body.media.entries()) {
      expect(expiresOf(media.url)).toBeGreaterThanOrEqual(expiresOf(first.body.media[i].url));
      const file = await download(media.url);
      expect(file.status).toBe(200);
      expect(file.bytes.equals([a.bytes, b.bytes][i]!)).toBe(true);
    }
  });

  it('leaves out of a replay the media deleted since (count_stored follows)', async () => {
    const a = await servedPng();
    const b = await servedPng();
    const body = { workspace_id: alice.workspaceId, urls: [a.url, b.url] };
    const key = freshKey('deleted');

    const first = await importUrls(app, alice.token, body, key);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.count_stored).toBe(2);
    const [deletedId, keptId] = ids(first);
    expect((await del(app, alice.token, `/api/v1/media/${deletedId}`)).status).toBe(200);

    const replay = await importUrls(app, alice.token, body, key);
    expect(replay.status, JSON.stringify(replay.body)).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(ids(replay)).toEqual([keptId]);
    expect(replay.body.count_stored).toBe(1);
    expect(replay.body.skipped).toEqual([]);
    // Replaying is not importing: the deleted one does not come back.
    expect(fetchesOf(a.path)).toBe(1);
    expect(await mediaRowsIn(alice.workspaceId)).not.toContain(deletedId);
  });

  it('answers 409 with a message for the same key with a different body, and still replays the first', async () => {
    const a = await servedPng();
    const b = await servedPng();
    const key = freshKey('conflict');
    const body = { workspace_id: alice.workspaceId, urls: [a.url] };

    const first = await importUrls(app, alice.token, body, key);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const rows = await mediaRowsIn(alice.workspaceId);

    for (const different of [
      { workspace_id: alice.workspaceId, urls: [b.url] },
      { workspace_id: alice.workspaceId, urls: [a.url, b.url] },
      { workspace_id: alice.workspaceId, urls: [a.url, a.url] },
    ]) {
      const conflict = await importUrls(app, alice.token, different, key);
      expect(conflict.status, JSON.stringify(conflict.body)).toBe(409);
      expect(conflict.body.message).toMatch(/Idempotency-Key/);
      expect(conflict.body.message).toMatch(/different request/i);
      expect(conflict.headers.get('idempotent-replayed')).toBeNull();
    }
    expect(fetchesOf(b.path)).toBe(0);
    expect(await mediaRowsIn(alice.workspaceId)).toEqual(rows);

    const replay = await importUrls(app, alice.token, body, key);
    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(ids(replay)).toEqual(ids(first));
    expect(fetchesOf(a.path)).toBe(1);
  });

  it('keeps keys per user: another user with the same key and body imports again', async () => {
    const owner = await app.user();
    const colleague = await app.user();
    await app.addMember(owner.workspaceId, colleague.id, 'editor');
    const a = await servedPng();
    const key = freshKey('per-user');
    const body = { workspace_id: owner.workspaceId, urls: [a.url] };

    const mine = await importUrls(app, owner.token, body, key);
    expect(mine.status, JSON.stringify(mine.body)).toBe(200);

    const theirs = await importUrls(app, colleague.token, body, key);
    expect(theirs.status, JSON.stringify(theirs.body)).toBe(200);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expect(theirs.body.count_stored).toBe(1);
    expect(ids(theirs)[0]).not.toBe(ids(mine)[0]);
    expect(fetchesOf(a.path)).toBe(2);
    expect(await mediaRowsIn(owner.workspaceId)).toEqual([...ids(mine), ...ids(theirs)].sort((x, y) => x - y));

    // Each replays their own answer.
    const mineAgain = await importUrls(app, owner.token, body, key);
    const theirsAgain = await importUrls(app, colleague.token, body, key);
    expect([mineAgain.headers.get('idempotent-replayed'), theirsAgain.headers.get('idempotent-replayed')]).toEqual(['true', 'true']);
    expect(ids(mineAgain)).toEqual(ids(mine));
    expect(ids(theirsAgain)).toEqual(ids(theirs));
    expect(fetchesOf(a.path)).toBe(2);
  });

  it('answers 409 "in progress" while the first request with the key still runs; afterwards it replays', async () => {
    const bytes = await png(33, 11);
    const held = heldRoute('/idem/held-in-progress.png', bytes);
    const key = freshKey('in-progress');
    const body = { workspace_id: alice.workspaceId, urls: [held.url] };
    const running = importUrls(app, alice.token, body, key);
    try {
      await held.arrived;
      const again = await importUrls(app, alice.token, body, key);
      expect(again.status, JSON.stringify(again.body)).toBe(409);
      expect(again.body.message).toMatch(/in progress/i);
      // A different body with the key is a conflict too, whatever the first request's state.
      const different = await importUrls(app, alice.token, { ...body, urls: [upstream.url('/status/404')] }, key);
      expect(different.status).toBe(409);
      expect(fetchesOf('/idem/held-in-progress.png')).toBe(1);
    } finally {
      held.release();
    }
    const first = await running;
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(first.body.count_stored).toBe(1);

    const retry = await importUrls(app, alice.token, body, key);
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(ids(retry)).toEqual(ids(first));
    expect(fetchesOf('/idem/held-in-progress.png')).toBe(1);
  });

  it('holds across instances: a key used on one instance replays on another on the same database', async () => {
    const other = await secondInstance();
    const a = await servedPng();
    const key = freshKey('instances');
    const body = { workspace_id: alice.workspaceId, urls: [a.url] };

    const onA = await importUrls(app, alice.token, body, key);
    expect(onA.status, JSON.stringify(onA.body)).toBe(200);
    expect(onA.headers.get('idempotent-replayed')).toBeNull();

    const onB = await importUrls(other, alice.token, body, key);
    expect(onB.status, JSON.stringify(onB.body)).toBe(200);
    expect(onB.headers.get('idempotent-replayed')).toBe('true');
    expect(ids(onB)).toEqual(ids(onA));
    expect(withoutUrl(onB)).toEqual(withoutUrl(onA));
    expect(fetchesOf(a.path)).toBe(1);
    const file = await download(onB.body.media[0].url);
    expect(file.status).toBe(200);
    expect(file.bytes.equals(a.bytes)).toBe(true);

    // And a different body with that key is refused there too.
    const conflict = await importUrls(other, alice.token, { ...body, urls: [upstream.url('/status/404')] }, key);
    expect(conflict.status).toBe(409);
  });

  it('lets exactly one of many simultaneous requests with one key (on both instances) import', async () => {
    const other = await secondInstance();
    const bytes = await png(21, 13);
    let settled = 0;
    let check: () => void = () => undefined;
    const held = heldRoute('/idem/held-race.png', bytes, () => check());
    const key = freshKey('race');
    const body = { workspace_id: alice.workspaceId, urls: [held.url] };
    const rowsBefore = await mediaRowsIn(alice.workspaceId);
    const requests = Array.from({ length: 8 }, (_, i) =>
      importUrls(i % 2 ? other : app, alice.token, body, key).finally(() => {
        settled += 1;
        check();
      }),
    );
    let results: ApiResult[];
    try {
      // All but one answer while the winner's download is held, or a second one reaches the upstream.
      await new Promise<void>((resolve) => {
        check = () => {
          if (settled >= requests.length - 1 || held.count > 1) resolve();
        };
        check();
      });
    } finally {
      held.release();
      results = await Promise.all(requests);
    }
    expect(held.count).toBe(1);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses, JSON.stringify(results.map((r) => r.body))).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
    for (const refused of results.filter((r) => r.status === 409)) expect(refused.body.message).toMatch(/in progress/i);
    const winner = results.find((r) => r.status === 200)!;
    expect(winner.body.count_stored).toBe(1);
    expect(await mediaRowsIn(alice.workspaceId)).toEqual([...rowsBefore, ...ids(winner)]);

    const replay = await importUrls(other, alice.token, body, key);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(ids(replay)).toEqual(ids(winner));
  });

  it('refuses an invalid key with 422 naming Idempotency-Key, before importing anything', async () => {
    const user = await app.user();
    const a = await servedPng();
    const body = { workspace_id: user.workspaceId, urls: [a.url] };
    const invalid: Array<[string, string]> = [
      ['empty', ''],
      ['256 characters', 'k'.repeat(256)],
      ['with a space', 'two words'],
      ['non-ASCII', 'clé-1'],
    ];
    for (const [label, key] of invalid) {
      const res = await importUrls(app, user.token, body, key);
      expect(res.status, `${label}: ${JSON.stringify(res.body)}`).toBe(422);
      expect(Object.keys(res.body.errors), label).toEqual(['Idempotency-Key']);
      expect(res.body.message, label).toMatch(/Idempotency-Key/);
    }
    expect(fetchesOf(a.path)).toBe(0);
    expect(await mediaRowsIn(user.workspaceId)).toEqual([]);

    // The limits are inclusive: 255 visible ASCII characters, punctuation included, are a key.
    const longest = `${'k'.repeat(250)}-!~:/`;
    expect(longest).toHaveLength(255);
    const ok = await importUrls(app, user.token, body, longest);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const replay = await importUrls(app, user.token, body, longest);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(ids(replay)).toEqual(ids(ok));
    expect(fetchesOf(a.path)).toBe(1);
  });

  it('does not record the key for a request refused by validation: the corrected request with it imports', async () => {
    const stranger = await app.user();
    const a = await servedPng();
    const key = freshKey('validation');
    const keyRows = () =>
      app.services.db.selectFrom('idempotency_keys').select('state').where('user_id', '=', alice.id).where('key', '=', key).execute();

    // Another user's workspace: 422 before the key is looked at; asking again gives 422 again, not 409.
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const refused = await importUrls(app, alice.token, { workspace_id: stranger.workspaceId, urls: [a.url] }, key);
      expect(refused.status, JSON.stringify(refused.body)).toBe(422);
      expect(Object.keys(refused.body.errors)).toEqual(['workspace_id']);
    }
    // A body the schema refuses.
    const empty = await importUrls(app, alice.token, { workspace_id: alice.workspaceId, urls: [] }, key);
    expect(empty.status).toBe(422);
    expect(Object.keys(empty.body.errors)).toEqual(['urls']);
    expect(await keyRows()).toEqual([]);
    expect(fetchesOf(a.path)).toBe(0);

    const corrected = await importUrls(app, alice.token, { workspace_id: alice.workspaceId, urls: [a.url] }, key);
    expect(corrected.status, JSON.stringify(corrected.body)).toBe(200);
    expect(corrected.headers.get('idempotent-replayed')).toBeNull();
    expect(corrected.body.count_stored).toBe(1);
    expect(fetchesOf(a.path)).toBe(1);

    const replay = await importUrls(app, alice.token, { workspace_id: alice.workspaceId, urls: [a.url] }, key);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(ids(replay)).toEqual(ids(corrected));
  });

  it('does not leave the key stuck after a request that failed with a 5xx', async () => {
    const user = await app.user();
    const a = await servedPng();
    const key = freshKey('failed');
    const body = { workspace_id: user.workspaceId, urls: [a.url] };
    // A file where the storage keeps its temporary objects: every download fails to be stored.
    const tmpDir = path.join(app.dataDir, 'media', 'tmp');
    await fs.rm(tmpDir, { recursive: true, force: true });
    await fs.mkdir(path.dirname(tmpDir), { recursive: true });
    await fs.writeFile(tmpDir, 'not a directory');
    let failed: ApiResult;
    try {
      failed = await importUrls(app, user.token, body, key);
    } finally {
      await fs.rm(tmpDir, { force: true });
    }
    expect(failed.status, JSON.stringify(failed.body)).toBeGreaterThanOrEqual(500);
    expect(fetchesOf(a.path)).toBe(1);
    expect(await mediaRowsIn(user.workspaceId)).toEqual([]);

    const retry = await importUrls(app, user.token, body, key);
    expect(retry.status, JSON.stringify(retry.body)).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
    expect(retry.body.count_stored).toBe(1);
    expect(fetchesOf(a.path)).toBe(2);
    expect(await mediaRowsIn(user.workspaceId)).toEqual(ids(retry));
  });

  it('replays within 24 hours, and imports again once the record is older than that', async () => {
    const user = await app.user();
    const a = await servedPng();
    const key = freshKey('expiry');
    const body = { workspace_id: user.workspaceId, urls: [a.url] };
    const age = (ms: number) =>
      app.services.db
        .updateTable('idempotency_keys')
        .set({ created_at: new Date(Date.now() - ms).toISOString() })
        .where('user_id', '=', user.id)
        .where('key', '=', key)
        .executeTakeFirstOrThrow();

    const first = await importUrls(app, user.token, body, key);
    expect(first.status, JSON.stringify(first.body)).toBe(200);

    await age(23 * HOUR);
    const stillReplayed = await importUrls(app, user.token, body, key);
    expect(stillReplayed.headers.get('idempotent-replayed')).toBe('true');
    expect(ids(stillReplayed)).toEqual(ids(first));
    expect(fetchesOf(a.path)).toBe(1);

    await age(24 * HOUR + 60_000);
    const fresh = await importUrls(app, user.token, body, key);
    expect(fresh.status, JSON.stringify(fresh.body)).toBe(200);
    expect(fresh.headers.get('idempotent-replayed')).toBeNull();
    expect(fresh.body.count_stored).toBe(1);
    expect(ids(fresh)[0]).not.toBe(ids(first)[0]);
    expect(fetchesOf(a.path)).toBe(2);
    expect(await mediaRowsIn(user.workspaceId)).toEqual([...ids(first), ...ids(fresh)]);

    // The new answer is the one kept from now on.
    const replay = await importUrls(app, user.token, body, key);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(ids(replay)).toEqual(ids(fresh));
    expect(fetchesOf(a.path)).toBe(2);
  });
});
