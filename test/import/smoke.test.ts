import http from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type TestApp, json, startApp } from '../helpers/app.js';

let app: TestApp;
let server: http.Server;
let origin: string;
let png: Buffer;

beforeAll(async () => {
  png = await sharp({ create: { width: 12, height: 9, channels: 3, background: '#0a0' } }).png().toBuffer();
  server = http.createServer((req, res) => {
    if (req.url === '/hero.png') {
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length });
      res.end(png);
    } else res.writeHead(404).end('nope');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.2', resolve));
  origin = `http://127.0.0.2:${(server.address() as AddressInfo).port}`;
  app = await startApp({ INTAKE_FETCH_ALLOWED_NETWORKS: '127.0.0.2/32', INTAKE_FETCH_ALLOWED_PORTS: '*' });
});
afterAll(async () => {
  await app?.close();
  server?.close();
});

it('imports a direct link and refuses loopback', async () => {
  const user = await app.user();
  const res = await app.api(user.token, '/api/v1/media/upload/url', json({ workspace_id: user.workspaceId, urls: [`${origin}/hero.png`, 'http://127.0.0.1/x.png', `${origin}/missing.png`] }));
  const body: any = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(200);
  expect(body.count_stored).toBe(1);
  expect(body.media[0]).toMatchObject({ name: 'hero.png', width: 12, height: 9, source_url: `${origin}/hero.png` });
  expect(body.skipped.map((s: any) => s.code)).toEqual(['blocked_address', 'http_error']);
});
