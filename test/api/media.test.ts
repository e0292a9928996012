import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, type TestUser, startApp } from '../helpers/app.js';
import { png, sha256 } from '../helpers/media-fixtures.js';
import { MEDIA_ENV, blobPath, blobsOf, call, del, download, post, uploaded } from '../helpers/media-http.js';

let app: TestApp;
let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  app = await startApp(MEDIA_ENV);
  alice = await app.user();
  bob = await app.user();
});
afterAll(async () => {
  await app?.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The stored files holding these bytes in this workspace (0 or 1 expected). */
async function filesOf(workspaceId: number, bytes: Buffer): Promise<string[]> {
  const wanted = blobPath(workspaceId, sha256(bytes));
  return (await app.storedFiles()).filter((f) => f === wanted);
}

describe('one media item, from upload to delete', () => {
  let bytes: Buffer;
  let media: any;
  beforeAll(async () => {
    bytes = await png(40, 30);
    media = await uploaded(app, alice.token, bytes, { workspaceId: alice.workspaceId, filename: 'Été 2026.png' });
  });

  it('is listed and can be read back', async () => {
    const list = await call(app, alice.token, `/api/v1/media?workspace_id=${alice.workspaceId}`);
    expect(list.status).toBe(200);
    const listed = list.body.data.find((m: { id: number }) => m.id === media.id);
    expect({ ...listed, url: null }).toEqual({ ...media, url: null });
    const got = await call(app, alice.token, `/api/v1/media/${media.id}`);
    expect(got.status).toBe(200);
    expect({ ...got.body, url: null }).toEqual({ ...media, url: null });
    expect(media.name).toBe('Été 2026.png');
  });

  it('serves the bytes with type, length, ETag, nosniff and the safe name', async () => {
    const file = await download(media.url);
    expect(file.status).toBe(200);
    expect(file.bytes.equals(bytes)).toBe(true);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(file.headers.get('content-length')).toBe(String(bytes.length));
    expect(file.headers.get('etag')).toMatch(/^"[^"]+"$/);
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    const disposition = file.headers.get('content-disposition') ?? '';
    const star = /filename\*=UTF-8''([^;]+)/.exec(disposition);
    expect(decodeURIComponent(star?.[1] ?? '')).toBe('Été 2026.png');
    const plain = /filename="([^"]*)"/.exec(disposition);
    expect(plain?.[1]).toMatch(/^[\x20-\x7e]+\.png$/);
    expect(disposition).not.toMatch(/[\r\n]/);

    const head = await fetch(media.url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(bytes.length));
    expect(head.headers.get('content-type')).toBe('image/png');
    expect((await head.arrayBuffer()).byteLength).toBe(0);
  });

  it('serves byte ranges', async () => {
    const size = bytes.length;
    const cases = [
      { range: 'bytes=0-9', start: 0, end: 9 },
      { range: 'bytes=-5', start: size - 5, end: size - 1 },
      { range: 'bytes=10-', start: 10, end: size - 1 },
    ];
    for (const { range, start, end } of cases) {
      const part = await download(media.url, { range });
      expect(part.status, range).toBe(206);
      expect(part.headers.get('content-range')).toBe(`bytes ${start}-${end}/${size}`);
      expect(part.headers.get('content-length')).toBe(String(end - start + 1));
      expect(part.bytes.equals(bytes.subarray(start, end + 1)), range).toBe(true);
    }
    const beyond = await download(media.url, { range: `bytes=${size}-` });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe(`bytes */${size}`);
    expect(JSON.parse(beyond.bytes.toString('utf8'))).toEqual({ message: expect.any(String) });
  });

  it('answers 304 to If-None-Match with the ETag', async () => {
    const etag = (await download(media.url)).headers.get('etag') ?? '';
    const again = await download(media.url, { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.bytes.length).toBe(0);
    expect(again.headers.get('etag')).toBe(etag);
    const other = await download(media.url, { 'if-none-match': '"something-else"' });
    expect(other.status).toBe(200);
  });

  it('refuses a link whose signature, id or expiry was changed (403)', async () => {
    const other = await uploaded(app, alice.token, await png(), { workspaceId: alice.workspaceId, filename: 'other.png' });
    const url = new URL(media.url);
    const signature = url.searchParams.get('signature') ?? '';
    const expires = Number(url.searchParams.get('expires'));

    const flipped = new URL(url);
    const last = signature.slice(-1);
    flipped.searchParams.set('signature', signature.slice(0, -1) + (last === 'A' ? 'B' : 'A'));
    const otherId = new URL(url);
    otherId.pathname = url.pathname.replace(`/files/${media.id}/`, `/files/${other.id}/`);
    const later = new URL(url);
    later.searchParams.set('expires', String(expires + 3600));
    const unsigned = new URL(url);
    unsigned.searchParams.delete('signature');

    for (const tampered of [flipped, otherId, later, unsigned]) {
      const res = await download(tampered.toString());
      expect(res.status, tampered.toString()).toBe(403);
      expect(res.bytes.equals(bytes)).toBe(false);
    }
    // The untouched link still works.
    expect((await download(media.url)).status).toBe(200);
  });

  it('deletes it: 200, then 404, and the stored file is gone', async () => {
    expect(await filesOf(alice.workspaceId, bytes)).toHaveLength(1);
    const res = await del(app, alice.token, `/api/v1/media/${media.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: 'Media deleted successfully' });
    const got = await call(app, alice.token, `/api/v1/media/${media.id}`);
    expect(got.status).toBe(404);
    expect(got.body).toEqual({ message: 'Not found.' });
    expect(await filesOf(alice.workspaceId, bytes)).toEqual([]);
    expect(await blobsOf(app, alice.workspaceId, sha256(bytes))).toEqual([]);
    expect((await download(media.url)).status).toBe(404);
    expect((await del(app, alice.token, `/api/v1/media/${media.id}`)).status).toBe(404);
  });
});

describe('expiring links', () => {
  it('refuses a link after its expiry; a fresh read gives a working one', async () => {
    const shortLived = await startApp({ ...MEDIA_ENV, INTAKE_URL_TTL_SECONDS: '1' });
    try {
      const user = await shortLived.user();
      const bytes = await png();
      const media = await uploaded(shortLived, user.token, bytes, { workspaceId: user.workspaceId, filename: 'ttl.png' });
      const expires = Number(new URL(media.url).searchParams.get('expires'));
      await sleep(Math.max(0, (expires + 1) * 1000 - Date.now()) + 100);
      const res = await download(media.url);
      expect(res.status).toBe(403);
      expect(res.bytes.equals(bytes)).toBe(false);
      const fresh = await call(shortLived, user.token, `/api/v1/media/${media.id}`);
      expect(fresh.body.url).not.toBe(media.url);
      const again = await download(fresh.body.url);
      expect(again.status).toBe(200);
      expect(again.bytes.equals(bytes)).toBe(true);
    } finally {
      await shortLived.close();
    }
  });
});

describe('identical bytes', () => {
  it('are stored once per workspace and freed with the last media using them', async () => {
    const bytes = await png();
    const first = await uploaded(app, alice.token, bytes, { workspaceId: alice.workspaceId, filename: 'one.png' });
    const second = await uploaded(app, alice.token, bytes, { workspaceId: alice.workspaceId, filename: 'two.png' });
    expect(second.id).not.toBe(first.id);
    expect([first.name, second.name]).toEqual(['one.png', 'two.png']);
    expect(await filesOf(alice.workspaceId, bytes)).toHaveLength(1);

    expect((await del(app, alice.token, `/api/v1/media/${first.id}`)).status).toBe(200);
    expect(await filesOf(alice.workspaceId, bytes)).toHaveLength(1);
    const still = await download(second.url);
    expect(still.status).toBe(200);
    expect(still.bytes.equals(bytes)).toBe(true);

    expect((await del(app, alice.token, `/api/v1/media/${second.id}`)).status).toBe(200);
    expect(await filesOf(alice.workspaceId, bytes)).toEqual([]);
    expect(await blobsOf(app, alice.workspaceId, sha256(bytes))).toEqual([]);
  });

  it('are stored once in each workspace', async () => {
    const bytes = await png();
    const a = await uploaded(app, alice.token, bytes, { workspaceId: alice.workspaceId });
    const b = await uploaded(app, bob.token, bytes, { workspaceId: bob.workspaceId });
    expect(await filesOf(alice.workspaceId, bytes)).toHaveLength(1);
    expect(await filesOf(bob.workspaceId, bytes)).toHaveLength(1);
    expect((await del(app, alice.token, `/api/v1/media/${a.id}`)).status).toBe(200);
    expect(await filesOf(alice.workspaceId, bytes)).toEqual([]);
    expect((await download(b.url)).bytes.equals(bytes)).toBe(true);
  });

  it('uploaded concurrently: all stored, one file, then all deleted concurrently', async () => {
    const bytes = await png(64, 64);
    const sha = sha256(bytes);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => uploaded(app, alice.token, bytes, { workspaceId: alice.workspaceId, filename: `c${i}.png` })),
    );
    expect(new Set(results.map((m) => m.id)).size).toBe(8);
    expect(await filesOf(alice.workspaceId, bytes)).toHaveLength(1);
    const blobs = await blobsOf(app, alice.workspaceId, sha);
    expect(blobs).toHaveLength(1);
    expect(Number(blobs[0]?.ref_count)).toBe(8);
    expect((await app.storedFiles()).filter((f) => f.startsWith('tmp/') || f.endsWith('.part'))).toEqual([]);
    for (const m of results) expect((await download(m.url)).bytes.equals(bytes)).toBe(true);

    const deleted = await Promise.all(results.map((m) => del(app, alice.token, `/api/v1/media/${m.id}`)));
    expect(deleted.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(await filesOf(alice.workspaceId, bytes)).toEqual([]);
    expect(await blobsOf(app, alice.workspaceId, sha)).toEqual([]);
  });
});

describe('deleting while the same bytes are uploaded again', () => {
  it('never removes bytes a new media item uses', async () => {
    const bytes = await png(24, 24);
    let current = await uploaded(app, alice.token, bytes, { workspaceId: alice.workspaceId, filename: 'r.png' });
    for (let round = 0; round < 8; round += 1) {
      const [deleted, again] = await Promise.all([
        del(app, alice.token, `/api/v1/media/${current.id}`),
        uploaded(app, alice.token, bytes, { workspaceId: alice.workspaceId, filename: 'r.png' }),
      ]);
      expect(deleted.status).toBe(200);
      const file = await download(again.url);
      expect(file.status, `round ${round}`).toBe(200);
      expect(file.bytes.equals(bytes)).toBe(true);
      expect(await filesOf(alice.workspaceId, bytes)).toHaveLength(1);
      expect((await blobsOf(app, alice.workspaceId, sha256(bytes))).map((b) => Number(b.ref_count))).toEqual([1]);
      current = again;
    }
    expect((await del(app, alice.token, `/api/v1/media/${current.id}`)).status).toBe(200);
    expect(await filesOf(alice.workspaceId, bytes)).toEqual([]);
  });
});

describe('GET /api/v1/media', () => {
  /** A fresh user with `n` uploads into their workspace; ids oldest first. */
  async function userWith(n: number, folderId?: number, user?: TestUser) {
    const owner = user ?? (await app.user());
    const ids: number[] = [];
    for (let i = 0; i < n; i += 1) {
      ids.push((await uploaded(app, owner.token, await png(4, 4), { workspaceId: owner.workspaceId, folderId })).id);
    }
    return { user: owner, ids };
  }

  it('paginates newest first with Laravel-style links and meta', async () => {
    const { user, ids } = await userWith(7);
    const newest = [...ids].reverse();
    const path = `${app.services.config.publicUrl}/api/v1/media`;
    const pageUrl = (n: number) => `${path}?workspace_id=${user.workspaceId}&per_page=3&page=${n}`;
    // Parameter order is not part of the contract: compare URLs by path and sorted parameters.
    const canon = (value: unknown): unknown => {
      if (typeof value === 'string' && value.startsWith(`${path}?`)) {
        const u = new URL(value);
        u.searchParams.sort();
        return u.toString();
      }
      if (Array.isArray(value)) return value.map(canon);
      if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, canon(v)]));
      return value;
    };
    const pageLinks = (current: number) => [1, 2, 3].map((n) => ({ url: pageUrl(n), label: String(n), active: n === current }));

    const expected = {
      1: { ids: newest.slice(0, 3), from: 1, to: 3, prev: null, next: pageUrl(2) },
      2: { ids: newest.slice(3, 6), from: 4, to: 6, prev: pageUrl(1), next: pageUrl(3) },
      3: { ids: newest.slice(6), from: 7, to: 7, prev: pageUrl(2), next: null },
      4: { ids: [], from: null, to: null, prev: pageUrl(3), next: null },
    } as const;
    for (const page of [1, 2, 3, 4] as const) {
      const e = expected[page];
      const res = await call(app, user.token, `/api/v1/media?workspace_id=${user.workspaceId}&per_page=3&page=${page}`);
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(['data', 'links', 'meta']);
      expect(res.body.data.map((m: { id: number }) => m.id)).toEqual(e.ids);
      expect(canon(res.body.links)).toEqual(canon({ first: pageUrl(1), last: pageUrl(3), prev: e.prev, next: e.next }));
      expect(canon(res.body.meta)).toEqual(
        canon({
          current_page: page,
          from: e.from,
          to: e.to,
          last_page: 3,
          per_page: 3,
          total: 7,
          path,
          links: [
            { url: e.prev, label: '&laquo; Previous', active: false },
            ...pageLinks(page),
            { url: e.next, label: 'Next &raquo;', active: false },
          ],
        }),
      );
    }

    const defaults = await call(app, user.token, `/api/v1/media?workspace_id=${user.workspaceId}`);
    expect(defaults.body.meta).toMatchObject({ current_page: 1, per_page: 50, total: 7, from: 1, to: 7, last_page: 1 });
    expect(defaults.body.data.map((m: { id: number }) => m.id)).toEqual(newest);
    const capped = await call(app, user.token, `/api/v1/media?workspace_id=${user.workspaceId}&per_page=500`);
    expect(capped.status).toBe(200);
    expect(capped.body.meta.per_page).toBe(100);
    expect(capped.body.data).toHaveLength(7);
  });

  it('answers 422 for a bad page, per_page, or root_only with folder_id', async () => {
    const folder = await post(app, alice.token, '/api/v1/folders', { workspace_id: alice.workspaceId, name: 'F' });
    const cases = [
      { query: 'per_page=0', field: 'per_page' },
      { query: 'per_page=abc', field: 'per_page' },
      { query: 'per_page=-1', field: 'per_page' },
      { query: 'page=0', field: 'page' },
      { query: 'page=abc', field: 'page' },
      { query: `root_only=true&folder_id=${folder.body.id}`, field: null },
    ];
    for (const { query, field } of cases) {
      const res = await call(app, alice.token, `/api/v1/media?${query}`);
      expect(res.status, query).toBe(422);
      if (field) expect(Object.keys(res.body.errors), query).toEqual([field]);
      else expect(Object.keys(res.body.errors).length, query).toBeGreaterThan(0);
    }
  });

  it('filters by folder_id and root_only', async () => {
    const user = await app.user();
    const folder = await post(app, user.token, '/api/v1/folders', { workspace_id: user.workspaceId, name: 'In here' });
    const other = await post(app, user.token, '/api/v1/folders', { workspace_id: user.workspaceId, name: 'Elsewhere' });
    const inside = (await userWith(2, folder.body.id, user)).ids;
    const elsewhere = (await userWith(1, other.body.id, user)).ids;
    const root = (await userWith(2, undefined, user)).ids;
    const ids = async (query: string) => {
      const res = await call(app, user.token, `/api/v1/media?${query}`);
      expect(res.status, query).toBe(200);
      return res.body.data.map((m: { id: number }) => m.id);
    };
    expect(await ids(`folder_id=${folder.body.id}`)).toEqual([...inside].reverse());
    expect(await ids(`workspace_id=${user.workspaceId}&folder_id=${other.body.id}`)).toEqual(elsewhere);
    expect(await ids(`workspace_id=${user.workspaceId}&root_only=true`)).toEqual([...root].reverse());
    expect(await ids(`workspace_id=${user.workspaceId}&root_only=false`)).toEqual([...inside, ...elsewhere, ...root].reverse());
    const foreign = await post(app, bob.token, '/api/v1/folders', { workspace_id: bob.workspaceId, name: 'Not yours' });
    expect((await call(app, user.token, `/api/v1/media?folder_id=${foreign.body.id}`)).status).toBe(422);
  });

  it("without workspace_id lists every workspace of the user, and nobody else's", async () => {
    const { user, ids: own } = await userWith(2);
    const { user: other, ids: shared } = await userWith(1);
    const { ids: stranger } = await userWith(1);
    await app.addMember(other.workspaceId, user.id, 'viewer');
    const more = (await userWith(1, undefined, other)).ids;
    const res = await call(app, user.token, '/api/v1/media');
    expect(res.status).toBe(200);
    const listed = res.body.data.map((m: { id: number }) => m.id);
    expect(listed).toEqual([...own, ...shared, ...more].sort((a, b) => b - a));
    expect(listed).not.toContain(stranger[0]);
    expect(res.body.meta.total).toBe(4);
    const narrowed = await call(app, user.token, `/api/v1/media?workspace_id=${other.workspaceId}`);
    expect(narrowed.body.data.map((m: { id: number }) => m.id)).toEqual([...shared, ...more].reverse());
    const refused = await call(app, user.token, `/api/v1/media?workspace_id=${bob.workspaceId}`);
    expect(refused.status).toBe(422);
    expect(Object.keys(refused.body.errors)).toEqual(['workspace_id']);
  });
});
