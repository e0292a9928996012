import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, type TestUser, startApp } from '../helpers/app.js';
import { png, sha256 } from '../helpers/media-fixtures.js';
import { MEDIA_ENV, TIMESTAMP, blobPath, blobsOf, call, del, download, post, put, uploaded } from '../helpers/media-http.js';

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

interface Folder {
  id: number;
  workspace_id: number;
  name: string;
  color: string;
  parent_id: number | null;
  created_at: string;
  updated_at: string;
}

async function createFolder(user: TestUser, body: Record<string, unknown>): Promise<Folder> {
  const res = await post(app, user.token, '/api/v1/folders', { workspace_id: user.workspaceId, ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as Folder;
}

async function listIds(user: TestUser, query = ''): Promise<number[]> {
  const res = await call(app, user.token, `/api/v1/folders${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(Array.isArray(res.body)).toBe(true);
  return (res.body as Folder[]).map((f) => f.id).sort((a, b) => a - b);
}

describe('POST /api/v1/folders', () => {
  it('creates a folder: 201 with the folder, default colour #4F46E5', async () => {
    const res = await post(app, alice.token, '/api/v1/folders', { workspace_id: alice.workspaceId, name: 'Campaign' });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(['color', 'created_at', 'id', 'name', 'parent_id', 'updated_at', 'workspace_id']);
    expect(res.body).toEqual({
      id: expect.any(Number),
      workspace_id: alice.workspaceId,
      name: 'Campaign',
      color: '#4F46E5',
      parent_id: null,
      created_at: expect.stringMatching(TIMESTAMP),
      updated_at: expect.stringMatching(TIMESTAMP),
    });
    expect(Number.isInteger(res.body.id)).toBe(true);

    const child = await createFolder(alice, { name: 'Child', color: '#10B981', parent_id: res.body.id });
    expect(child).toMatchObject({ name: 'Child', color: '#10B981', parent_id: res.body.id, workspace_id: alice.workspaceId });
  });

  it('accepts names of 1 and 255 characters', async () => {
    for (const name of ['x', 'a'.repeat(255), 'é'.repeat(255), '😀'.repeat(255)]) {
      const res = await post(app, alice.token, '/api/v1/folders', { workspace_id: alice.workspaceId, name });
      expect(res.status, `${[...name].length} × ${name[0]}: ${JSON.stringify(res.body)}`).toBe(201);
      expect(res.body.name).toBe(name);
    }
  });

  it('answers 422 naming the field for a bad colour, name, workspace or parent', async () => {
    const foreign = await createFolder(bob, { name: "Bob's" });
    const cases = [
      { body: { name: 'A', color: 'red' }, field: 'color' },
      { body: { name: 'A', color: '#12345' }, field: 'color' },
      { body: { name: 'A', color: '#GGGGGG' }, field: 'color' },
      { body: { name: '' }, field: 'name' },
      { body: { name: '   ' }, field: 'name' },
      { body: { name: 'a'.repeat(256) }, field: 'name' },
      { body: {}, field: 'name' },
      { body: { name: 'A', parent_id: foreign.id }, field: 'parent_id' },
      { body: { name: 'A', parent_id: 987654 }, field: 'parent_id' },
      { body: { name: 'A', workspace_id: bob.workspaceId }, field: 'workspace_id' },
      { body: { name: 'A', workspace_id: 'abc' }, field: 'workspace_id' },
    ];
    for (const { body, field } of cases) {
      const before = await listIds(alice);
      const res = await post(app, alice.token, '/api/v1/folders', { workspace_id: alice.workspaceId, ...body });
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(Object.keys(res.body.errors), JSON.stringify(body)).toEqual([field]);
      expect(await listIds(alice)).toEqual(before);
    }
    expect(await listIds(bob)).toEqual([foreign.id]);
  });
});

describe('GET /api/v1/folders and /folders/{id}', () => {
  it('lists by workspace, root and parent; gets a folder with its parent', async () => {
    const user = await app.user();
    const other = await app.user();
    await app.addMember(other.workspaceId, user.id, 'editor');
    const top = await createFolder(user, { name: 'Top' });
    const mid = await createFolder(user, { name: 'Mid', parent_id: top.id });
    const leaf = await createFolder(user, { name: 'Leaf', parent_id: mid.id });
    const sibling = await createFolder(user, { name: 'Sibling', parent_id: top.id });
    const theirs = await createFolder(other, { name: 'Shared ws' });
    await createFolder(bob, { name: 'Unrelated' });

    expect(await listIds(user)).toEqual([top.id, mid.id, leaf.id, sibling.id, theirs.id]);
    expect(await listIds(user, `?workspace_id=${user.workspaceId}`)).toEqual([top.id, mid.id, leaf.id, sibling.id]);
    expect(await listIds(user, `?workspace_id=${other.workspaceId}`)).toEqual([theirs.id]);
    expect(await listIds(user, `?workspace_id=${user.workspaceId}&root=true`)).toEqual([top.id]);
    expect(await listIds(user, '?root=true')).toEqual([top.id, theirs.id]);
    expect(await listIds(user, `?parent_id=${top.id}`)).toEqual([mid.id, sibling.id]);
    expect(await listIds(user, `?parent_id=${mid.id}`)).toEqual([leaf.id]);
    const listed = await call(app, user.token, `/api/v1/folders?parent_id=${mid.id}`);
    expect(listed.body).toEqual([leaf]);
    const refused = await call(app, user.token, `/api/v1/folders?workspace_id=${bob.workspaceId}`);
    expect(refused.status).toBe(422);
    expect(Object.keys(refused.body.errors)).toEqual(['workspace_id']);

    const got = await call(app, user.token, `/api/v1/folders/${leaf.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual({ ...leaf, parent: mid });
    const root = await call(app, user.token, `/api/v1/folders/${top.id}`);
    expect(root.body).toEqual({ ...top, parent: null });
  });
});

describe('PUT /api/v1/folders/{id}', () => {
  it('renames, recolours, moves, and moves back to the root', async () => {
    const a = await createFolder(alice, { name: 'A' });
    const b = await createFolder(alice, { name: 'B' });

    const renamed = await put(app, alice.token, `/api/v1/folders/${a.id}`, { name: 'A renamed' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toEqual({ ...a, name: 'A renamed', updated_at: expect.stringMatching(TIMESTAMP) });
    expect(renamed.body.updated_at >= a.updated_at).toBe(true);

    const recoloured = await put(app, alice.token, `/api/v1/folders/${a.id}`, { color: '#ABCDEF' });
    expect(recoloured.body).toMatchObject({ name: 'A renamed', color: '#ABCDEF', parent_id: null });

    const moved = await put(app, alice.token, `/api/v1/folders/${a.id}`, { parent_id: b.id });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ id: a.id, parent_id: b.id, name: 'A renamed', color: '#ABCDEF' });
    expect((await call(app, alice.token, `/api/v1/folders/${a.id}`)).body.parent).toEqual(
      expect.objectContaining({ id: b.id, name: 'B' }),
    );

    const back = await put(app, alice.token, `/api/v1/folders/${a.id}`, { parent_id: null });
    expect(back.status).toBe(200);
    expect(back.body.parent_id).toBeNull();
    expect((await call(app, alice.token, `/api/v1/folders/${a.id}`)).body.parent).toBeNull();
  });

  it('answers 422 for an empty body, bad fields, and a move under itself or a descendant', async () => {
    const top = await createFolder(alice, { name: 'Top' });
    const child = await createFolder(alice, { name: 'Child', parent_id: top.id });
    const grandchild = await createFolder(alice, { name: 'Grandchild', parent_id: child.id });
    const foreign = await createFolder(bob, { name: 'Foreign' });
    const cases = [
      { id: top.id, body: {}, field: null },
      { id: top.id, body: { name: '' }, field: 'name' },
      { id: top.id, body: { color: 'blue' }, field: 'color' },
      { id: top.id, body: { parent_id: top.id }, field: 'parent_id' },
      { id: top.id, body: { parent_id: child.id }, field: 'parent_id' },
      { id: top.id, body: { parent_id: grandchild.id }, field: 'parent_id' },
      { id: child.id, body: { parent_id: foreign.id }, field: 'parent_id' },
    ];
    for (const { id, body, field } of cases) {
      const res = await put(app, alice.token, `/api/v1/folders/${id}`, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      if (field) expect(Object.keys(res.body.errors), JSON.stringify(body)).toEqual([field]);
      else expect(Object.keys(res.body.errors).length).toBeGreaterThan(0);
    }
    // Nothing moved.
    expect((await call(app, alice.token, `/api/v1/folders/${top.id}`)).body).toEqual({ ...top, parent: null });
    expect((await call(app, alice.token, `/api/v1/folders/${child.id}`)).body.parent_id).toBe(top.id);
    // Moving a grandchild up is fine.
    expect((await put(app, alice.token, `/api/v1/folders/${grandchild.id}`, { parent_id: top.id })).status).toBe(200);
  });
});

describe('DELETE /api/v1/folders/{id}', () => {
  it('deletes subfolders and their media, freeing bytes no other media uses', async () => {
    const user = await app.user();
    const top = await createFolder(user, { name: 'Top' });
    const sub = await createFolder(user, { name: 'Sub', parent_id: top.id });
    const subsub = await createFolder(user, { name: 'Subsub', parent_id: sub.id });
    const keep = await createFolder(user, { name: 'Keep' });

    const onlyHere = await png();
    const sharedBytes = await png();
    const deep = await png();
    const ws = user.workspaceId;
    const m1 = await uploaded(app, user.token, onlyHere, { workspaceId: ws, folderId: top.id });
    const m2 = await uploaded(app, user.token, sharedBytes, { workspaceId: ws, folderId: sub.id });
    const m3 = await uploaded(app, user.token, deep, { workspaceId: ws, folderId: subsub.id });
    const outside = await uploaded(app, user.token, sharedBytes, { workspaceId: ws, folderId: keep.id });
    const atRoot = await uploaded(app, user.token, await png(), { workspaceId: ws });

    const res = await del(app, user.token, `/api/v1/folders/${top.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: 'Folder deleted successfully' });

    for (const id of [top.id, sub.id, subsub.id]) {
      expect((await call(app, user.token, `/api/v1/folders/${id}`)).status).toBe(404);
    }
    for (const m of [m1, m2, m3]) expect((await call(app, user.token, `/api/v1/media/${m.id}`)).status).toBe(404);
    expect(await listIds(user)).toEqual([keep.id]);

    const files = await app.storedFiles();
    expect(files).not.toContain(blobPath(ws, sha256(onlyHere)));
    expect(files).not.toContain(blobPath(ws, sha256(deep)));
    expect(await blobsOf(app, ws, sha256(onlyHere))).toEqual([]);
    expect(await blobsOf(app, ws, sha256(deep))).toEqual([]);
    expect(files).toContain(blobPath(ws, sha256(sharedBytes)));
    expect((await blobsOf(app, ws, sha256(sharedBytes))).map((b) => Number(b.ref_count))).toEqual([1]);

    for (const [m, bytes] of [[outside, sharedBytes]] as const) {
      const file = await download((await call(app, user.token, `/api/v1/media/${m.id}`)).body.url);
      expect(file.status).toBe(200);
      expect(file.bytes.equals(bytes)).toBe(true);
    }
    expect((await call(app, user.token, `/api/v1/media/${atRoot.id}`)).status).toBe(200);
    const listed = await call(app, user.token, `/api/v1/media?workspace_id=${ws}`);
    expect(listed.body.data.map((m: { id: number }) => m.id).sort()).toEqual([outside.id, atRoot.id].sort());
  });
});

describe('who may do what', () => {
  it('lets a viewer list and get, but not create, change or delete (403)', async () => {
    const owner = await app.user();
    const viewer = await app.user();
    await app.addMember(owner.workspaceId, viewer.id, 'viewer');
    const folder = await createFolder(owner, { name: 'Team' });

    expect(await listIds(viewer, `?workspace_id=${owner.workspaceId}`)).toEqual([folder.id]);
    expect((await call(app, viewer.token, `/api/v1/folders/${folder.id}`)).body).toEqual({ ...folder, parent: null });

    const attempts = [
      await post(app, viewer.token, '/api/v1/folders', { workspace_id: owner.workspaceId, name: 'Nope' }),
      await put(app, viewer.token, `/api/v1/folders/${folder.id}`, { name: 'Nope' }),
      await del(app, viewer.token, `/api/v1/folders/${folder.id}`),
    ];
    for (const res of attempts) {
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ message: 'Your role in this workspace cannot change folders.' });
    }
    expect((await call(app, owner.token, `/api/v1/folders/${folder.id}`)).body).toEqual({ ...folder, parent: null });
  });

  it('refuses writes with a key lacking folders:write (403), reads still work', async () => {
    const user = await app.user({ permissions: ['folders:read'] });
    const full = await app.user();
    await app.addMember(user.workspaceId, full.id, 'owner');
    const folder = (await post(app, full.token, '/api/v1/folders', { workspace_id: user.workspaceId, name: 'X' })).body as Folder;
    const message = { message: 'This API key does not have the "folders:write" permission.' };
    const attempts = [
      await post(app, user.token, '/api/v1/folders', { workspace_id: user.workspaceId, name: 'Nope' }),
      await put(app, user.token, `/api/v1/folders/${folder.id}`, { name: 'Nope' }),
      await del(app, user.token, `/api/v1/folders/${folder.id}`),
    ];
    for (const res of attempts) {
      expect(res.status).toBe(403);
      expect(res.body).toEqual(message);
    }
    expect(await listIds(user)).toEqual([folder.id]);
  });

  it("answers 404 for another user's folder on get, put and delete", async () => {
    const foreign = await createFolder(bob, { name: 'Private' });
    const attempts = [
      await call(app, alice.token, `/api/v1/folders/${foreign.id}`),
      await put(app, alice.token, `/api/v1/folders/${foreign.id}`, { name: 'Mine now' }),
      await del(app, alice.token, `/api/v1/folders/${foreign.id}`),
      await call(app, alice.token, '/api/v1/folders/99999999'),
    ];
    for (const res of attempts) {
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ message: 'Not found.' });
    }
    expect((await call(app, bob.token, `/api/v1/folders/${foreign.id}`)).body).toEqual({ ...foreign, parent: null });
  });
});
