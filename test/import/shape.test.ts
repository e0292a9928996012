import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, type TestUser, json, startApp } from '../helpers/app.js';
import { png } from '../helpers/media-fixtures.js';
import { type Upstream, startUpstream } from '../helpers/net-upstream.js';

/**
 * The answer of `POST /api/v1/media/upload/url` against PostSyncer's own example (the seed page)
 * and the contract's additions, and the requests the endpoint refuses.
 */

const IMPORT = '/api/v1/media/upload/url';

/** PostSyncer's example response, verbatim from the seed page. */
const SEED_EXAMPLE = {
  media: [
    {
      id: 915,
      name: 'hero.png',
      url: 'https://…',
      mime_type: 'image/png',
      size: 98234,
      is_processing: false,
      type: 'image',
      ai_generated_id: null,
      is_reference: false,
      progress: 100,
      alt: null,
    },
  ],
  count_stored: 1,
};
/** The [ext] fields of the media object, in the order API.md lists them. */
const EXT_FIELDS = ['workspace_id', 'folder_id', 'width', 'height', 'duration', 'thumbnail_url', 'source_url', 'attribution', 'created_at'];

/** The JSON type of a value, with integers told apart from other numbers. */
function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

let app: TestApp;
let upstream: Upstream;
let owner: TestUser;
let hero: Buffer;

async function importAs(user: TestUser, body: unknown, init: RequestInit = json(body)): Promise<{ status: number; body: any }> {
  const res = await app.api(user.token, IMPORT, init);
  return { status: res.status, body: await res.json() };
}

async function mediaCount(): Promise<number> {
  const row = await app.services.db.selectFrom('media').select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

beforeAll(async () => {
  upstream = await startUpstream({ host: '127.0.0.2' });
  hero = await png(40, 30);
  upstream.file('hero.png', hero, { contentType: 'image/png' });
  upstream.file('other.png', await png(12, 12), { contentType: 'image/png' });
  app = await startApp({
    INTAKE_FETCH_ALLOWED_NETWORKS: '127.0.0.2/32',
    INTAKE_FETCH_ALLOWED_PORTS: '*',
    INTAKE_FETCH_IDLE_TIMEOUT_SECONDS: '1',
    INTAKE_FETCH_TIMEOUT_SECONDS: '4',
    INTAKE_RATE_LIMIT_PER_MINUTE: '100000',
  });
  owner = await app.user();
});

afterAll(async () => {
  await app?.close();
  await upstream?.close();
});

describe('the answer', () => {
  it('a stored item: PostSyncer fields in its order and JSON types, then the [ext] fields', async () => {
    const url = upstream.url('/file/hero.png');
    const { status, body } = await importAs(owner, { workspace_id: owner.workspaceId, urls: [url] });
    expect(status, JSON.stringify(body)).toBe(200);
    expect(Object.keys(body)).toEqual([...Object.keys(SEED_EXAMPLE), 'skipped']);
    expect(jsonType(body.count_stored)).toBe('integer');
    expect(body.count_stored).toBe(1);
    expect(body.skipped).toEqual([]);

    const media = body.media[0];
    const seed = SEED_EXAMPLE.media[0]!;
    const seedKeys = Object.keys(seed);
    expect(seedKeys).toEqual(['id', 'name', 'url', 'mime_type', 'size', 'is_processing', 'type', 'ai_generated_id', 'is_reference', 'progress', 'alt']);
    expect(Object.keys(media)).toEqual([...seedKeys, ...EXT_FIELDS]);
    for (const key of seedKeys) expect([key, jsonType(media[key])]).toEqual([key, jsonType(seed[key as keyof typeof seed])]);
    expect(media).toMatchObject({ name: 'hero.png', mime_type: 'image/png', size: hero.length, is_processing: false, type: 'image', ai_generated_id: null, is_reference: false, progress: 100, alt: null });
    expect(media.url).toMatch(/^https?:\/\//);

    expect(media).toMatchObject({ workspace_id: owner.workspaceId, folder_id: null, width: 40, height: 30, duration: null, source_url: url, attribution: null });
    expect(['string', 'null']).toContain(jsonType(media.thumbnail_url));
    expect(media.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('a skipped URL: one entry of url, code, message', async () => {
    const { status, body } = await importAs(owner, { workspace_id: owner.workspaceId, urls: [upstream.url('/file/other.png'), upstream.url('/status/404')] });
    expect(status).toBe(200);
    expect(body.count_stored).toBe(1);
    expect(body.skipped).toHaveLength(1);
    expect(Object.keys(body.skipped[0])).toEqual(['url', 'code', 'message']);
    expect(body.skipped[0]).toMatchObject({ url: upstream.url('/status/404'), code: 'http_error' });
    expect(jsonType(body.skipped[0].message)).toBe('string');
  });

  it('nothing stored is still 200 with media [] and count_stored 0', async () => {
    const before = await mediaCount();
    const { status, body } = await importAs(owner, { workspace_id: owner.workspaceId, urls: ['nope', upstream.url('/status/500')] });
    expect(status).toBe(200);
    expect(body).toEqual({
      media: [],
      count_stored: 0,
      skipped: [
        { url: 'nope', code: 'invalid_url', message: expect.any(String) },
        { url: upstream.url('/status/500'), code: 'http_error', message: expect.any(String) },
      ],
    });
    expect(await mediaCount()).toBe(before);
  });

  it('50 URLs is the most: all answered, none fetched when none is a URL', async () => {
    const { status, body } = await importAs(owner, { workspace_id: owner.workspaceId, urls: Array.from({ length: 50 }, (_, i) => `x${i}`) });
    expect(status).toBe(200);
    expect(body.skipped.map((s: any) => s.url)).toEqual(Array.from({ length: 50 }, (_, i) => `x${i}`));
    expect(new Set(body.skipped.map((s: any) => s.code))).toEqual(new Set(['invalid_url']));
  });

  it('folder_id given: the rows are in that folder', async () => {
    const folderRes = await app.api(owner.token, '/api/v1/folders', json({ workspace_id: owner.workspaceId, name: 'Imports' }));
    expect(folderRes.status).toBe(201);
    const folder: any = await folderRes.json();
    upstream.file('in-folder.png', await png(15, 15), { contentType: 'image/png' });
    const { status, body } = await importAs(owner, { workspace_id: owner.workspaceId, folder_id: folder.id, urls: [upstream.url('/file/in-folder.png')] });
    expect(status).toBe(200);
    expect(body.media.map((m: any) => m.folder_id)).toEqual([folder.id]);
    const row = await app.services.db.selectFrom('media').select('folder_id').where('id', '=', body.media[0].id).executeTakeFirstOrThrow();
    expect(row.folder_id).toBe(folder.id);
    const listed = await app.api(owner.token, `/api/v1/media?workspace_id=${owner.workspaceId}&folder_id=${folder.id}`);
    expect(((await listed.json()) as any).data.map((m: any) => m.id)).toEqual([body.media[0].id]);
  });

  it('source_url is the URL given, not where it redirected to', async () => {
    upstream.file('target.png', await png(16, 8), { contentType: 'image/png' });
    const given = upstream.url(`/redirect?to=${encodeURIComponent('/file/target.png')}`);
    const { status, body } = await importAs(owner, { workspace_id: owner.workspaceId, urls: [given] });
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.media[0].source_url).toBe(given);
    expect(upstream.requests.map((r) => r.path)).toContain('/file/target.png');
  });

  it('the url of a stored item serves the identical bytes', async () => {
    const bytes = await png(33, 17);
    upstream.file('download.png', bytes, { contentType: 'image/png' });
    const { body } = await importAs(owner, { workspace_id: owner.workspaceId, urls: [upstream.url('/file/download.png')] });
    const res = await fetch(body.media[0].url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^image\/png/);
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
  });
});

describe('refused requests', () => {
  let other: TestUser;
  let otherFolderId: number;

  beforeAll(async () => {
    other = await app.user();
    const res = await app.api(other.token, '/api/v1/folders', json({ workspace_id: other.workspaceId, name: 'Not yours' }));
    otherFolderId = ((await res.json()) as any).id;
  });

  const cases: ReadonlyArray<[string, (u: string) => Record<string, unknown>, string, string?]> = [
    ['workspace_id missing', (u) => ({ urls: [u] }), 'workspace_id'],
    ['workspace_id not an integer (text)', (u) => ({ workspace_id: 'twelve', urls: [u] }), 'workspace_id'],
    ['workspace_id not an integer (fraction)', (u) => ({ workspace_id: 1.5, urls: [u] }), 'workspace_id'],
    ['workspace_id of another user', (u) => ({ workspace_id: other.workspaceId, urls: [u] }), 'workspace_id', 'The selected workspace id is invalid.'],
    ['workspace_id that does not exist', (u) => ({ workspace_id: 99_999_999, urls: [u] }), 'workspace_id', 'The selected workspace id is invalid.'],
    ['urls missing', () => ({ workspace_id: owner.workspaceId }), 'urls'],
    ['urls not an array', (u) => ({ workspace_id: owner.workspaceId, urls: u }), 'urls'],
    ['urls empty', () => ({ workspace_id: owner.workspaceId, urls: [] }), 'urls'],
    ['urls with 51 entries', (u) => ({ workspace_id: owner.workspaceId, urls: Array.from({ length: 51 }, () => u) }), 'urls'],
    ['an entry not a string', (u) => ({ workspace_id: owner.workspaceId, urls: [u, u, u, 42] }), 'urls.3'],
    ['folder_id of another workspace', (u) => ({ workspace_id: owner.workspaceId, folder_id: otherFolderId, urls: [u] }), 'folder_id', 'The selected folder id is invalid.'],
    ['folder_id that does not exist', (u) => ({ workspace_id: owner.workspaceId, folder_id: 99_999_999, urls: [u] }), 'folder_id', 'The selected folder id is invalid.'],
    ['folder_id not an integer', (u) => ({ workspace_id: owner.workspaceId, folder_id: 'inbox', urls: [u] }), 'folder_id'],
  ];

  it.each(cases)('422 when %s, nothing fetched or stored', async (_label, make, field, message) => {
    const fetched = upstream.requests.length;
    const stored = await mediaCount();
    const { status, body } = await importAs(owner, make(upstream.url('/file/other.png')));
    expect(status, JSON.stringify(body)).toBe(422);
    expect(Object.keys(body)).toEqual(['message', 'errors']);
    expect(Object.keys(body.errors)).toEqual([field]);
    expect(body.errors[field]).toEqual([message ?? expect.any(String)]);
    expect(body.message).toBe(body.errors[field][0]);
    expect(upstream.requests.length).toBe(fetched);
    expect(await mediaCount()).toBe(stored);
  });

  it('415 for a body that is not JSON', async () => {
    const payload = JSON.stringify({ workspace_id: owner.workspaceId, urls: [upstream.url('/file/other.png')] });
    for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
      const { status, body } = await importAs(owner, null, { method: 'POST', headers: { 'content-type': type }, body: payload });
      expect([type, status]).toEqual([type, 415]);
      expect(typeof body.message).toBe('string');
    }
  });

  it('401 without a key or with a wrong one', async () => {
    const body = JSON.stringify({ workspace_id: owner.workspaceId, urls: [upstream.url('/file/other.png')] });
    const none = await fetch(`${app.url}${IMPORT}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ message: 'Unauthenticated.' });
    const wrong = await fetch(`${app.url}${IMPORT}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${owner.token}x` }, body });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ message: 'Unauthenticated.' });
  });

  it('403 for a key without media:create, and for a viewer', async () => {
    const fetched = upstream.requests.length;
    const readOnly = await app.user({ permissions: ['media:read', 'workspaces:read'] });
    const denied = await importAs(readOnly, { workspace_id: readOnly.workspaceId, urls: [upstream.url('/file/other.png')] });
    expect(denied).toEqual({ status: 403, body: { message: 'This API key does not have the "media:create" permission.' } });

    const viewer = await app.user();
    await app.addMember(owner.workspaceId, viewer.id, 'viewer');
    const viewed = await importAs(viewer, { workspace_id: owner.workspaceId, urls: [upstream.url('/file/other.png')] });
    expect(viewed).toEqual({ status: 403, body: { message: 'Your role in this workspace cannot add media.' } });
    expect(upstream.requests.length).toBe(fetched);
  });
});
