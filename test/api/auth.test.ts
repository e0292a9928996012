import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, type TestUser, json, startApp } from '../helpers/app.js';
import { pngBytes, readJson, upload } from '../helpers/ops-util.js';

let app: TestApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.close();
});

const UNAUTHENTICATED = { message: 'Unauthenticated.' };
const NOT_FOUND = { message: 'Not found.' };
const INVALID_WORKSPACE = { workspace_id: ['The selected workspace id is invalid.'] };

async function get(pathname: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${app.url}${pathname}`, { headers });
}

async function expectUnauthenticated(res: Response): Promise<void> {
  expect(res.status).toBe(401);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(await readJson(res)).toEqual(UNAUTHENTICATED);
}

async function uploadedId(user: TestUser, token = user.token): Promise<number> {
  const res = await upload(app, token, user.workspaceId, await pngBytes(5, 5, `#${Math.floor(Math.random() * 0xffffff).toString(16).padStart(6, '0')}`));
  const body = await readJson(res);
  expect(res.status, JSON.stringify(body)).toBe(201);
  return body.media.id as number;
}

async function folderOf(user: TestUser, name = 'Campaign'): Promise<number> {
  const res = await app.api(user.token, '/api/v1/folders', json({ workspace_id: user.workspaceId, name }));
  const body = await readJson(res);
  expect(res.status, JSON.stringify(body)).toBe(201);
  return body.id as number;
}

describe('authentication', () => {
  let user: TestUser;
  beforeAll(async () => {
    user = await app.user();
  });

  it('accepts a valid bearer key', async () => {
    const res = await app.api(user.token, '/api/v1/workspaces');
    expect(res.status).toBe(200);
    expect(await readJson(res)).toEqual([{ id: user.workspaceId, name: expect.any(String), role: 'owner' }]);
  });

  it('answers 401 without an Authorization header', async () => {
    await expectUnauthenticated(await get('/api/v1/workspaces'));
    await expectUnauthenticated(await get('/api/v1/media'));
  });

  it('answers 401 for Basic credentials', async () => {
    await expectUnauthenticated(await get('/api/v1/workspaces', { authorization: `Basic ${Buffer.from(`${user.email}:x`).toString('base64')}` }));
    // Even when the "password" is the key itself.
    await expectUnauthenticated(await get('/api/v1/workspaces', { authorization: `Basic ${Buffer.from(user.token).toString('base64')}` }));
  });

  it.each([
    ['an empty bearer', 'Bearer '],
    ['a bare word', 'Bearer notakey'],
    ['no id', () => `Bearer |${'a'.repeat(48)}`],
    ['a non-numeric id', () => `Bearer abc|${'a'.repeat(48)}`],
    ['a short secret', () => `Bearer 1|short`],
    ['a secret with symbols', () => `Bearer 1|${'a'.repeat(44)}$$$$`],
    ['two bearers', () => `Bearer ${user.token} ${user.token}`],
    ['the secret without its id', () => `Bearer ${user.token.split('|')[1]}`],
  ])('answers 401 for a malformed token: %s', async (_label, header) => {
    const value = typeof header === 'function' ? header() : header;
    await expectUnauthenticated(await get('/api/v1/workspaces', { authorization: value }));
  });

  it('answers 401 for an unknown key id', async () => {
    const secret = user.token.split('|')[1];
    await expectUnauthenticated(await get('/api/v1/workspaces', { authorization: `Bearer 987654321|${secret}` }));
  });

  it('answers 401 for the right id with a wrong secret', async () => {
    const [id, secret = ''] = user.token.split('|');
    const wrong = secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A');
    await expectUnauthenticated(await get('/api/v1/workspaces', { authorization: `Bearer ${id}|${wrong}` }));
    // A longer secret that starts with the right one is still wrong.
    await expectUnauthenticated(await get('/api/v1/workspaces', { authorization: `Bearer ${id}|${secret}X` }));
  });

  it('answers 401 once a key is revoked, and only for that key', async () => {
    const other = await app.services.keys.create(user.id, { name: 'to revoke' });
    expect((await app.api(other.token, '/api/v1/workspaces')).status).toBe(200);
    await app.services.keys.revoke(other.id);
    await expectUnauthenticated(await app.api(other.token, '/api/v1/workspaces'));
    await expectUnauthenticated(await app.api(other.token, '/api/v1/media'));
    expect((await app.api(user.token, '/api/v1/workspaces')).status).toBe(200);
  });

  it('answers 401 once a key has expired', async () => {
    // 0.00001 days is under a second.
    const shortLived = await app.user({ expiresInDays: 0.00001 });
    await sleep(1500);
    await expectUnauthenticated(await app.api(shortLived.token, '/api/v1/workspaces'));
    // A key that expires in three days works.
    const longLived = await app.services.keys.create(shortLived.id, { expiresInDays: 3 });
    expect((await app.api(longLived.token, '/api/v1/workspaces')).status).toBe(200);
  });
});

describe('key permissions', () => {
  let reader: TestUser;
  let full: string;
  let mediaId: number;
  beforeAll(async () => {
    reader = await app.user({ permissions: ['media:read'] });
    full = (await app.services.keys.create(reader.id, { name: 'full' })).token;
    mediaId = await uploadedId(reader, full);
  });

  it('lets a media:read key read media', async () => {
    expect((await app.api(reader.token, '/api/v1/media')).status).toBe(200);
    const res = await app.api(reader.token, `/api/v1/media/${mediaId}`);
    expect(res.status).toBe(200);
    expect((await readJson(res)).id).toBe(mediaId);
  });

  it('refuses an upload without media:create', async () => {
    const res = await upload(app, reader.token, reader.workspaceId);
    expect(res.status).toBe(403);
    expect(await readJson(res)).toEqual({ message: 'This API key does not have the "media:create" permission.' });
    const list = await readJson(await app.api(full, '/api/v1/media'));
    expect(list.meta.total).toBe(1);
  });

  it('refuses a delete without media:delete', async () => {
    const res = await app.api(reader.token, `/api/v1/media/${mediaId}`, { method: 'DELETE' });
    expect(res.status).toBe(403);
    expect(await readJson(res)).toEqual({ message: 'This API key does not have the "media:delete" permission.' });
    expect((await app.api(full, `/api/v1/media/${mediaId}`)).status).toBe(200);
  });

  it('refuses folder changes without folders:write', async () => {
    const res = await app.api(reader.token, '/api/v1/folders', json({ workspace_id: reader.workspaceId, name: 'Nope' }));
    expect(res.status).toBe(403);
    expect(await readJson(res)).toEqual({ message: 'This API key does not have the "folders:write" permission.' });
    const folders = await readJson(await app.api(full, '/api/v1/folders'));
    expect(folders).toEqual([]);
  });

  it('refuses the workspace list without workspaces:read', async () => {
    const res = await app.api(reader.token, '/api/v1/workspaces');
    expect(res.status).toBe(403);
    expect(await readJson(res)).toEqual({ message: 'This API key does not have the "workspaces:read" permission.' });
  });

  it('checks the permission before validating the input', async () => {
    // A body that would be a 422 is still a 403 for a key without the permission.
    const res = await app.api(reader.token, '/api/v1/folders', json({}));
    expect(res.status).toBe(403);
  });
});

describe('workspace roles', () => {
  let owner: TestUser;
  let viewer: TestUser;
  let editor: TestUser;
  beforeAll(async () => {
    owner = await app.user();
    viewer = await app.user();
    editor = await app.user();
    await app.addMember(owner.workspaceId, viewer.id, 'viewer');
    await app.addMember(owner.workspaceId, editor.id, 'editor');
  });

  it('shows each member the workspace with their role', async () => {
    const seen = await readJson(await app.api(viewer.token, '/api/v1/workspaces'));
    expect(seen).toContainEqual({ id: owner.workspaceId, name: expect.any(String), role: 'viewer' });
    const seenByEditor = await readJson(await app.api(editor.token, '/api/v1/workspaces'));
    expect(seenByEditor).toContainEqual({ id: owner.workspaceId, name: expect.any(String), role: 'editor' });
  });

  it('lets a viewer read but not upload or delete', async () => {
    const mediaId = await uploadedId(owner);
    expect((await app.api(viewer.token, `/api/v1/media/${mediaId}`)).status).toBe(200);
    const listed = await readJson(await app.api(viewer.token, `/api/v1/media?workspace_id=${owner.workspaceId}`));
    expect(listed.data.map((m: { id: number }) => m.id)).toContain(mediaId);

    const up = await upload(app, viewer.token, owner.workspaceId);
    expect(up.status).toBe(403);
    expect(await readJson(up)).toEqual({ message: 'Your role in this workspace cannot add media.' });

    const del = await app.api(viewer.token, `/api/v1/media/${mediaId}`, { method: 'DELETE' });
    expect(del.status).toBe(403);
    expect(await readJson(del)).toEqual({ message: 'Your role in this workspace cannot delete media.' });
    expect((await app.api(owner.token, `/api/v1/media/${mediaId}`)).status).toBe(200);
  });

  it('lets a viewer list folders but not create one', async () => {
    const folderId = await folderOf(owner, 'Shared');
    const list = await readJson(await app.api(viewer.token, `/api/v1/folders?workspace_id=${owner.workspaceId}`));
    expect(list.map((f: { id: number }) => f.id)).toContain(folderId);
    const res = await app.api(viewer.token, '/api/v1/folders', json({ workspace_id: owner.workspaceId, name: 'Mine' }));
    expect(res.status).toBe(403);
    expect((await readJson(res)).message).toMatch(/^Your role in this workspace cannot /);
  });

  it('lets an editor upload and delete', async () => {
    const up = await upload(app, editor.token, owner.workspaceId, await pngBytes(7, 7, '#123456'));
    const body = await readJson(up);
    expect(up.status, JSON.stringify(body)).toBe(201);
    expect(body.media.workspace_id).toBe(owner.workspaceId);
    const ownerMedia = await uploadedId(owner);
    for (const id of [body.media.id as number, ownerMedia]) {
      const del = await app.api(editor.token, `/api/v1/media/${id}`, { method: 'DELETE' });
      expect(del.status).toBe(200);
      expect(await readJson(del)).toEqual({ message: 'Media deleted successfully' });
      expect((await app.api(owner.token, `/api/v1/media/${id}`)).status).toBe(404);
    }
  });
});

describe('isolation between users', () => {
  let alice: TestUser;
  let bob: TestUser;
  let aliceMedia: number;
  let bobMedia: number;
  let aliceFolder: number;
  beforeAll(async () => {
    alice = await app.user();
    bob = await app.user();
    aliceMedia = await uploadedId(alice);
    bobMedia = await uploadedId(bob);
    aliceFolder = await folderOf(alice, 'Private');
  });

  it("does not list another user's workspace or its media", async () => {
    const res = await app.api(bob.token, `/api/v1/media?workspace_id=${alice.workspaceId}`);
    expect(res.status).toBe(422);
    expect((await readJson(res)).errors).toEqual(INVALID_WORKSPACE);

    const own = await readJson(await app.api(bob.token, '/api/v1/media'));
    const ids = own.data.map((m: { id: number }) => m.id);
    expect(ids).toContain(bobMedia);
    expect(ids).not.toContain(aliceMedia);
    expect(own.data.every((m: { workspace_id: number }) => m.workspace_id === bob.workspaceId)).toBe(true);
    expect(own.meta.total).toBe(1);
  });

  it('answers a nonexistent workspace the same as a foreign one', async () => {
    const res = await app.api(bob.token, '/api/v1/media?workspace_id=987654');
    expect(res.status).toBe(422);
    expect((await readJson(res)).errors).toEqual(INVALID_WORKSPACE);
  });

  it("does not read or delete another user's media", async () => {
    const read = await app.api(bob.token, `/api/v1/media/${aliceMedia}`);
    expect(read.status).toBe(404);
    expect(await readJson(read)).toEqual(NOT_FOUND);
    const del = await app.api(bob.token, `/api/v1/media/${aliceMedia}`, { method: 'DELETE' });
    expect(del.status).toBe(404);
    expect(await readJson(del)).toEqual(NOT_FOUND);
    // Same answer as an id that does not exist.
    const missing = await app.api(bob.token, '/api/v1/media/987654321');
    expect(missing.status).toBe(404);
    expect(await readJson(missing)).toEqual(NOT_FOUND);
    expect((await app.api(alice.token, `/api/v1/media/${aliceMedia}`)).status).toBe(200);
  });

  it("does not upload into another user's workspace", async () => {
    const res = await upload(app, bob.token, alice.workspaceId);
    expect(res.status).toBe(422);
    expect((await readJson(res)).errors).toEqual(INVALID_WORKSPACE);
    const list = await readJson(await app.api(alice.token, '/api/v1/media'));
    expect(list.meta.total).toBe(1);
  });

  it("does not list, read, change or delete another user's folders", async () => {
    const list = await app.api(bob.token, `/api/v1/folders?workspace_id=${alice.workspaceId}`);
    expect(list.status).toBe(422);
    expect((await readJson(list)).errors).toEqual(INVALID_WORKSPACE);

    const own = await readJson(await app.api(bob.token, '/api/v1/folders'));
    expect(own.map((f: { id: number }) => f.id)).not.toContain(aliceFolder);

    const read = await app.api(bob.token, `/api/v1/folders/${aliceFolder}`);
    expect(read.status).toBe(404);
    expect(await readJson(read)).toEqual(NOT_FOUND);

    const update = await app.api(bob.token, `/api/v1/folders/${aliceFolder}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Taken' }),
    });
    expect(update.status).toBe(404);
    expect(await readJson(update)).toEqual(NOT_FOUND);

    const del = await app.api(bob.token, `/api/v1/folders/${aliceFolder}`, { method: 'DELETE' });
    expect(del.status).toBe(404);
    expect(await readJson(del)).toEqual(NOT_FOUND);

    const create = await app.api(bob.token, '/api/v1/folders', json({ workspace_id: alice.workspaceId, name: 'Squat' }));
    expect(create.status).toBe(422);
    expect((await readJson(create)).errors).toEqual(INVALID_WORKSPACE);

    const still = await readJson(await app.api(alice.token, `/api/v1/folders/${aliceFolder}`));
    expect(still).toMatchObject({ id: aliceFolder, name: 'Private', workspace_id: alice.workspaceId });
    expect(await readJson(await app.api(alice.token, '/api/v1/folders'))).toHaveLength(1);
  });

  it("does not show another user's workspace", async () => {
    const res = await app.api(bob.token, '/api/v1/workspaces');
    const list = await readJson(res);
    expect(res.status).toBe(200);
    expect(list).toEqual([{ id: bob.workspaceId, name: expect.any(String), role: 'owner' }]);
  });
});

describe('X-Request-Id', () => {
  let user: TestUser;
  beforeAll(async () => {
    user = await app.user();
  });

  it('is on every response', async () => {
    const responses = [
      await get('/api/v1/workspaces'),
      await app.api(user.token, '/api/v1/workspaces'),
      await app.api(user.token, '/api/v1/media/987654321'),
      await app.api(user.token, '/api/v1/folders', json({})),
      await get('/no/such/route'),
      await get('/healthz'),
      await get('/readyz'),
      await get('/metrics'),
      await get('/openapi.json'),
    ];
    const ids = responses.map((res) => res.headers.get('x-request-id'));
    for (const id of ids) expect(id).toMatch(/^\S{8,128}$/);
    // Generated ids are unique per request.
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('echoes a sane id the client sent', async () => {
    for (const sent of ['abc-123', 'trace.7f3a:span_9', 'a'.repeat(128)]) {
      const res = await app.api(user.token, '/api/v1/workspaces', { headers: { 'x-request-id': sent } });
      expect(res.headers.get('x-request-id')).toBe(sent);
    }
    const unauthenticated = await get('/api/v1/workspaces', { 'x-request-id': 'client-42' });
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers.get('x-request-id')).toBe('client-42');
  });

  it('replaces an id that is not a sane token', async () => {
    for (const sent of ['a'.repeat(300), 'has spaces in it', 'semi;colon', 'quote"d', '']) {
      const res = await app.api(user.token, '/api/v1/workspaces', { headers: { 'x-request-id': sent } });
      const id = res.headers.get('x-request-id');
      expect(id).not.toBe(sent);
      expect(id).toMatch(/^[A-Za-z0-9._:-]{8,128}$/);
    }
  });
});
