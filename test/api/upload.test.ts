import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, type TestUser, startApp } from '../helpers/app.js';
import { gif, jpeg, png, pngDeclaring, refusedFiles, webp } from '../helpers/media-fixtures.js';
import {
  MEDIA_ENV,
  abortedUpload,
  call,
  download,
  eagerUpload,
  expectUploadedMedia,
  multipart,
  post,
  postParts,
  slowUpload,
  snapshot,
  upload,
  uploaded,
} from '../helpers/media-http.js';

const LIMIT = 200 * 1024;

let app: TestApp;
let small: TestApp;
let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  [app, small] = await Promise.all([startApp(MEDIA_ENV), startApp({ ...MEDIA_ENV, INTAKE_MAX_FILE_BYTES: String(LIMIT) })]);
  alice = await app.user();
  bob = await app.user();
});
afterAll(async () => {
  await Promise.all([app?.close(), small?.close()]);
});

async function folderOf(user: TestUser): Promise<number> {
  const res = await post(app, user.token, '/api/v1/folders', { workspace_id: user.workspaceId, name: 'Uploads' });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as number;
}

describe('POST /api/v1/media/upload/file', () => {
  it('answers 201 with every field of the media object and serves the same bytes', async () => {
    const bytes = await png(30, 20);
    const res = await upload(app, alice.token, bytes, { workspaceId: alice.workspaceId, filename: 'hero.png' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(Object.keys(res.body)).toEqual(['media']);
    const media = res.body.media;
    expectUploadedMedia(media, {
      name: 'hero.png',
      mime_type: 'image/png',
      type: 'image',
      size: bytes.length,
      workspace_id: alice.workspaceId,
      width: 30,
      height: 20,
    });

    const got = await call(app, alice.token, `/api/v1/media/${media.id}`);
    expect(got.status).toBe(200);
    expect({ ...got.body, url: null }).toEqual({ ...media, url: null });
    const file = await download(media.url);
    expect(file.status).toBe(200);
    expect(file.bytes.equals(bytes)).toBe(true);
  });

  it('names the media after the detected type, without path separators or control characters', async () => {
    const cases: Array<{ filename: string | null; expected: (id: number) => string }> = [
      { filename: 'photo.jpg', expected: () => 'photo.png' },
      { filename: 'photo', expected: () => 'photo.png' },
      { filename: null, expected: (id) => `image-${id}.png` },
      { filename: '', expected: (id) => `image-${id}.png` },
      { filename: '../../etc/passwd.png', expected: () => 'passwd.png' },
      { filename: 'C:\\Users\\me\\shot.png', expected: () => 'shot.png' },
      { filename: 'a\u0001b\u001fc\u007fd.png', expected: () => 'abcd.png' },
      { filename: 'sp\u202eoof.png', expected: () => 'spoof.png' },
    ];
    for (const { filename, expected } of cases) {
      const res = await upload(app, alice.token, await png(8, 8), { workspaceId: alice.workspaceId, filename });
      expect(res.status, `${JSON.stringify(filename)}: ${JSON.stringify(res.body)}`).toBe(201);
      const name: string = res.body.media.name;
      expect(name, JSON.stringify(filename)).toBe(expected(res.body.media.id));
      expect(name).not.toMatch(/[/\\\u0000-\u001f\u007f]/);
    }
  });

  it('keeps a long name within 255 bytes, cut at a character boundary, with the right extension', async () => {
    for (const filename of [`${'a'.repeat(300)}.jpg`, `${'é'.repeat(300)}.png`, `${'😀'.repeat(100)}.png`]) {
      const media = await uploaded(app, alice.token, await png(6, 6), { workspaceId: alice.workspaceId, filename });
      const name: string = media.name;
      expect(Buffer.byteLength(name)).toBeLessThanOrEqual(255);
      expect(Buffer.byteLength(name)).toBeGreaterThan(240);
      expect(name.endsWith('.png')).toBe(true);
      expect(name).not.toContain('\ufffd');
      expect(filename.startsWith(name.slice(0, -'.png'.length))).toBe(true);
      expect((await call(app, alice.token, `/api/v1/media/${media.id}`)).body.name).toBe(name);
    }
  });

  it('reports width and height of pictures, honouring EXIF orientation', async () => {
    const cases = [
      { bytes: await png(30, 20), mime: 'image/png', name: 'a.png', width: 30, height: 20 },
      { bytes: await jpeg(40, 20), mime: 'image/jpeg', name: 'a.jpg', width: 40, height: 20 },
      { bytes: await jpeg(40, 20, 6), mime: 'image/jpeg', name: 'a.jpg', width: 20, height: 40 },
      { bytes: await gif(12, 7), mime: 'image/gif', name: 'a.gif', width: 12, height: 7 },
      { bytes: await webp(16, 9), mime: 'image/webp', name: 'a.webp', width: 16, height: 9 },
    ];
    for (const c of cases) {
      const media = await uploaded(app, alice.token, c.bytes, { workspaceId: alice.workspaceId, filename: 'a.bin' });
      expect(media).toMatchObject({ name: c.name, mime_type: c.mime, type: 'image', width: c.width, height: c.height, size: c.bytes.length });
    }
    // A document has no picture size.
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
    const doc = await uploaded(app, alice.token, pdf, { workspaceId: alice.workspaceId, filename: 'report' });
    expectUploadedMedia(doc, {
      name: 'report.pdf',
      mime_type: 'application/pdf',
      type: 'document',
      size: pdf.length,
      workspace_id: alice.workspaceId,
      width: null,
      height: null,
    });
  });

  it('accepts the fields after the file as well as before it', async () => {
    const folderId = await folderOf(alice);
    for (const fieldsAfter of [false, true]) {
      const bytes = await png(10, 10);
      const media = await uploaded(app, alice.token, bytes, { workspaceId: alice.workspaceId, folderId, fieldsAfter, filename: 'f.png' });
      expect(media).toMatchObject({ workspace_id: alice.workspaceId, folder_id: folderId, size: bytes.length });
      expect((await download(media.url)).bytes.equals(bytes)).toBe(true);
    }
  });

  it('takes an empty folder_id, as HTML forms send it, as no folder', async () => {
    const res = await postParts(app, alice.token, [
      { name: 'workspace_id', value: String(alice.workspaceId) },
      { name: 'folder_id', value: '' },
      { name: 'file', data: await png(9, 9), filename: 'form.png' },
    ]);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.media).toMatchObject({ name: 'form.png', folder_id: null });
  });

  it('refuses a folder of another workspace with 422 and keeps nothing', async () => {
    const foreignFolder = await folderOf(bob);
    for (const fieldsAfter of [false, true]) {
      const before = await snapshot(app);
      const res = await upload(app, alice.token, await png(), { workspaceId: alice.workspaceId, folderId: foreignFolder, fieldsAfter });
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(Object.keys(res.body.errors)).toEqual(['folder_id']);
      expect(await snapshot(app)).toEqual(before);
    }
  });

  it('answers 422 naming each missing or malformed field, and keeps nothing', async () => {
    const file = { name: 'file', data: await png(), filename: 'x.png' };
    const ws = { name: 'workspace_id', value: String(alice.workspaceId) };
    const cases = [
      { parts: [file], fields: ['workspace_id'] },
      { parts: [ws], fields: ['file'] },
      { parts: [{ name: 'note', value: 'nothing else' }], fields: ['file', 'workspace_id'] },
      { parts: [{ name: 'workspace_id', value: 'abc' }, file], fields: ['workspace_id'] },
      { parts: [file, { name: 'workspace_id', value: '1.5' }], fields: ['workspace_id'] },
      { parts: [{ name: 'workspace_id', value: 'abc' }], fields: ['file', 'workspace_id'] },
      { parts: [{ name: 'workspace_id', value: String(bob.workspaceId) }, file], fields: ['workspace_id'] },
      { parts: [ws, file, { ...file, data: await png(), filename: 'y.png' }], fields: ['file'] },
    ];
    for (const { parts, fields } of cases) {
      const before = await snapshot(app);
      const res = await postParts(app, alice.token, parts);
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(typeof res.body.message).toBe('string');
      expect(Object.keys(res.body.errors).sort(), JSON.stringify(res.body)).toEqual(fields);
      for (const field of fields) {
        expect(res.body.errors[field].length).toBeGreaterThan(0);
        for (const message of res.body.errors[field]) expect(typeof message).toBe('string');
      }
      expect(await snapshot(app)).toEqual(before);
    }
  });

  it('answers 415 for a body that is not multipart/form-data', async () => {
    const asJson = await post(app, alice.token, '/api/v1/media/upload/file', { workspace_id: alice.workspaceId, file: 'aGVsbG8=' });
    expect(asJson.status).toBe(415);
    expect(typeof asJson.body.message).toBe('string');
    const raw = await call(app, alice.token, '/api/v1/media/upload/file', {
      method: 'POST',
      headers: { 'content-type': 'image/png' },
      body: new Uint8Array(await png()),
    });
    expect(raw.status).toBe(415);
  });

  it.each(refusedFiles)('refuses $label from its bytes with 422 on `file` and keeps nothing', async ({ filename, bytes }) => {
    for (const fieldsAfter of [false, true]) {
      const before = await snapshot(app);
      const res = await upload(app, alice.token, bytes(), { workspaceId: alice.workspaceId, filename, fieldsAfter });
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(Object.keys(res.body.errors)).toEqual(['file']);
      expect(res.body.errors.file[0]).toEqual(expect.any(String));
      expect(await snapshot(app)).toEqual(before);
    }
  });

  it('refuses a tiny PNG whose header declares 100000 × 100000 pixels', async () => {
    const bytes = pngDeclaring(100_000, 100_000);
    expect(bytes.length).toBeLessThan(200);
    const before = await snapshot(app);
    const res = await upload(app, alice.token, bytes, { workspaceId: alice.workspaceId, filename: 'bomb.png' });
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(Object.keys(res.body.errors)).toEqual(['file']);
    expect(await snapshot(app)).toEqual(before);
    // The same hand-made PNG at a sane size is a picture: the header above was well-formed.
    const ok = await upload(app, alice.token, pngDeclaring(100, 50), { workspaceId: alice.workspaceId, filename: 'ok.png' });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body.media).toMatchObject({ width: 100, height: 50, mime_type: 'image/png' });
  });
});

describe('a malformed multipart body', () => {
  it('answers 415 for multipart/form-data without a boundary', async () => {
    const form = multipart();
    const body = form.body([{ name: 'workspace_id', value: String(alice.workspaceId) }, { name: 'file', data: await png() }]);
    const before = await snapshot(app);
    const res = await call(app, alice.token, '/api/v1/media/upload/file', {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data' },
      body,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(415);
    expect(await snapshot(app)).toEqual(before);
  });

  it.each([
    { order: 'fields first', fieldsAfter: false },
    { order: 'file first', fieldsAfter: true },
  ])('answers 422 on `file` when the body ends inside the file ($order), and keeps nothing', async ({ fieldsAfter }) => {
    for (const keep of [0.5, 0.99]) {
      const form = multipart();
      const file = { name: 'file', data: Buffer.alloc(0), filename: 'cut.png' };
      const fields = [{ name: 'workspace_id', value: String(alice.workspaceId) }];
      const bytes = await png(40, 40);
      const body = Buffer.concat([form.head(fieldsAfter ? [file] : [...fields, file]), bytes.subarray(0, Math.floor(bytes.length * keep))]);
      const before = await snapshot(app);
      const res = await call(app, alice.token, '/api/v1/media/upload/file', {
        method: 'POST',
        headers: { 'content-type': form.contentType },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(Object.keys(res.body.errors)).toContain('file');
      expect(await snapshot(app)).toEqual(before);
    }
  });
});

describe('size limit', () => {
  let carol: TestUser;
  beforeAll(async () => {
    carol = await small.user();
  });

  /** A real PNG followed by random bytes, `size` bytes in all: a picture by its bytes. */
  async function pngOfSize(size: number): Promise<Buffer> {
    const head = await png(8, 8);
    return Buffer.concat([head, randomBytes(size - head.length)]);
  }

  it('accepts a file of exactly the limit', async () => {
    const bytes = await pngOfSize(LIMIT);
    const media = await uploaded(small, carol.token, bytes, { workspaceId: carol.workspaceId, filename: 'edge.png' });
    expect(media.size).toBe(LIMIT);
    expect((await download(media.url)).bytes.equals(bytes)).toBe(true);
  });

  it('answers 413 for one byte more, and keeps nothing', async () => {
    for (const fieldsAfter of [false, true]) {
      const before = await snapshot(small);
      const form = multipart();
      const fields = [{ name: 'workspace_id', value: String(carol.workspaceId) }];
      const file = { name: 'file', data: Buffer.alloc(0), filename: 'big.png' };
      const head = form.head(fieldsAfter ? [file] : [...fields, file]);
      const res = await slowUpload(small, carol.token, form, head, await pngOfSize(LIMIT + 1), LIMIT + 1, 64 * 1024, 25);
      expect(res.status, JSON.stringify(res.body)).toBe(413);
      expect(res.body).toEqual({ message: 'The file may not be greater than 200 KB.' });
      expect(await snapshot(small)).toEqual(before);
    }
  });

  it('stops reading the body once the limit is crossed', async () => {
    const before = await snapshot(small);
    const form = multipart();
    const head = form.head([
      { name: 'workspace_id', value: String(carol.workspaceId) },
      { name: 'file', data: Buffer.alloc(0), filename: 'huge.png' },
    ]);
    const declared = 64 * 1024 * 1024;
    const res = await slowUpload(small, carol.token, form, head, await png(8, 8), declared, 16 * 1024, 25);
    expect(res.status, JSON.stringify(res.body)).toBe(413);
    expect(res.body.message).toBe('The file may not be greater than 200 KB.');
    // The answer came while most of the body was still unsent.
    expect(res.writtenAtResponse).toBeLessThan(res.total / 4);
    expect(await snapshot(small)).toEqual(before);
  });
});

describe('refusing before the file is read', () => {
  it('answers a bad target sent before the file without reading the body', async () => {
    const viewer = await app.user();
    await app.addMember(alice.workspaceId, viewer.id, 'viewer');
    const cases = [
      { token: alice.token, workspaceId: bob.workspaceId, status: 422 },
      { token: viewer.token, workspaceId: alice.workspaceId, status: 403 },
    ];
    for (const { token, workspaceId, status } of cases) {
      const before = await snapshot(app);
      const form = multipart();
      const head = form.head([
        { name: 'workspace_id', value: String(workspaceId) },
        { name: 'file', data: Buffer.alloc(0), filename: 'big.png' },
      ]);
      // A slow writer (a pause after each chunk), so the bytes sent by the time of the answer
      // show the server did not wait for the body. (Eager writers: see the lingering close below.)
      const res = await slowUpload(app, token, form, head, await png(8, 8), 64 * 1024 * 1024, 16 * 1024, 25);
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      if (status === 422) expect(Object.keys(res.body.errors)).toEqual(['workspace_id']);
      else expect(res.body).toEqual({ message: 'Your role in this workspace cannot add media.' });
      expect(res.writtenAtResponse).toBeLessThan(res.total / 4);
      expect(await snapshot(app)).toEqual(before);
    }
  });
});

describe('a client that keeps writing after an early answer', () => {
  // Closing a connection with unread input makes the kernel reset it; a client still writing
  // then loses the answer. The server must let it read the 4xx (a lingering close).
  it('still receives the 403, 422 and 413, every time', async () => {
    const small = await startApp({ INTAKE_MAX_FILE_BYTES: String(LIMIT) });
    try {
      const owner = await small.user();
      const viewer = await small.user();
      await small.addMember(owner.workspaceId, viewer.id, 'viewer');
      const cases = [
        { token: owner.token, workspaceId: viewer.workspaceId + 1000, status: 422 },
        { token: viewer.token, workspaceId: owner.workspaceId, status: 403 },
        { token: owner.token, workspaceId: owner.workspaceId, status: 413 },
      ];
      for (let round = 0; round < 5; round += 1) {
        for (const { token, workspaceId, status } of cases) {
          const form = multipart();
          const head = form.head([
            { name: 'workspace_id', value: String(workspaceId) },
            { name: 'file', data: Buffer.alloc(0), filename: 'big.png' },
          ]);
          const result = await eagerUpload(small, token, form, head, await png(8, 8), 32 * 1024 * 1024);
          expect(result, `round ${round}`).toMatchObject({ status });
        }
      }
    } finally {
      await small.close();
    }
  });
});

describe('a client that disconnects mid-upload', () => {
  it.each([
    { order: 'fields first', fieldsAfter: false },
    { order: 'file first', fieldsAfter: true },
  ])('leaves no row, no blob and no temporary file ($order)', async ({ fieldsAfter }) => {
    const user = await app.user();
    const before = await snapshot(app);
    const form = multipart();
    const file = { name: 'file', data: Buffer.alloc(0), filename: 'cut.png' };
    const fields = [{ name: 'workspace_id', value: String(user.workspaceId) }];
    const head = form.head(fieldsAfter ? [file] : [...fields, file]);
    const start = await png(16, 16);
    const partial = Buffer.concat([start, randomBytes(256 * 1024 - start.length)]);
    const { answered } = await abortedUpload(app, user.token, form, head, partial, 4 * 1024 * 1024, async () =>
      (await app.storedFiles()).some((f) => f.endsWith('.part') || f.startsWith('tmp/')),
    );
    expect(answered).toBe(false);
    await expect.poll(() => snapshot(app), { timeout: 10_000, interval: 50 }).toEqual(before);
    // The server is still healthy and the user can upload afterwards.
    const bytes = await png(9, 9);
    await uploaded(app, user.token, bytes, { workspaceId: user.workspaceId, filename: 'after.png' });
  });
});
