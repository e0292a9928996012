import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, startApp } from '../helpers/app.js';

let app: TestApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.close();
});

describe('smoke', () => {
  it('uploads and serves a picture', async () => {
    const user = await app.user();
    const png = await sharp({ create: { width: 30, height: 20, channels: 3, background: '#f00' } }).png().toBuffer();
    const form = new FormData();
    form.set('workspace_id', String(user.workspaceId));
    form.set('file', new Blob([png]), 'hero.jpg');
    const res = await app.api(user.token, '/api/v1/media/upload/file', { method: 'POST', body: form });
    const body: any = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(201);
    expect(body.media).toMatchObject({ name: 'hero.png', mime_type: 'image/png', width: 30, height: 20, size: png.length });
    const file = await fetch(body.media.url);
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).equals(png)).toBe(true);
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toMatch(/^intake_media_stored_total\{via="upload"\} 1$/m);
    expect(metrics).toMatch(new RegExp(`^intake_media_bytes_total ${png.length}$`, 'm'));
  });
});
