import net from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type TestApp, json, startApp } from '../helpers/app.js';
import { png } from '../helpers/media-fixtures.js';
import { type Upstream, startUpstream } from '../helpers/net-upstream.js';

/** A source that does not speak HTTP properly is the source's failure, never a 500 of ours. */

let app: TestApp;
let upstream: Upstream;
let raw: net.Server;
let rawPort = 0;
const answers = new Map<string, string | Buffer>();

beforeAll(async () => {
  upstream = await startUpstream({ host: '127.0.0.2' });
  upstream.file('good.png', await png(), { contentType: 'image/png' });
  // Answers each request with the bytes registered for its path, whatever they are.
  raw = net.createServer((socket) => {
    socket.once('data', (chunk: Buffer) => {
      const path = /^GET (\S+)/.exec(chunk.toString('latin1'))?.[1] ?? '';
      socket.end(answers.get(path) ?? 'HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n');
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => raw.listen(0, '127.0.0.2', resolve));
  rawPort = (raw.address() as net.AddressInfo).port;
  app = await startApp({ INTAKE_FETCH_ALLOWED_NETWORKS: '127.0.0.2/32', INTAKE_FETCH_ALLOWED_PORTS: '*' });
});
afterAll(async () => {
  await app?.close();
  await upstream?.close();
  raw?.close();
});

it.each([
  ['not HTTP at all', 'HELLO THERE\r\n\r\n', 'http_error'],
  ['a broken status line', 'HTTP/1.1 two hundred OK\r\n\r\n', 'http_error'],
  ['a header without a colon', 'HTTP/1.1 200 OK\r\ncontent-type image/png\r\ncontent-length: 3\r\n\r\nabc', 'http_error'],
  ['80 KB of headers', `HTTP/1.1 200 OK\r\nx-big: ${'a'.repeat(80 * 1024)}\r\ncontent-length: 3\r\n\r\nabc`, 'http_error'],
  // undici drops the connection on conflicting lengths (request smuggling defence).
  ['two different content lengths', 'HTTP/1.1 200 OK\r\ncontent-length: 3\r\ncontent-length: 5\r\n\r\nabcde', 'connect_failed'],
])('%s: %s, and the other URLs are imported', async (name, answer, code) => {
  const path = `/${name.replace(/\W+/g, '-')}`;
  answers.set(path, answer);
  const user = await app.user();
  const good = upstream.url('/file/good.png');
  const bad = `http://127.0.0.2:${rawPort}${path}`;
  const res = await app.api(user.token, '/api/v1/media/upload/url', json({ workspace_id: user.workspaceId, urls: [good, bad, good] }));
  const body: any = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(200);
  expect(body.count_stored).toBe(2);
  expect(body.skipped).toHaveLength(1);
  expect(body.skipped[0]).toMatchObject({ url: bad });
  expect(body.skipped[0].code).toBe(code);
});

it('TLS spoken to a server that answers plain HTTP is connect_failed, not a 500', async () => {
  const user = await app.user();
  const bad = `https://127.0.0.2:${rawPort}/tls`;
  const res = await app.api(user.token, '/api/v1/media/upload/url', json({ workspace_id: user.workspaceId, urls: [bad, upstream.url('/file/good.png')] }));
  const body: any = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(200);
  expect(body.count_stored).toBe(1);
  expect(body.skipped).toEqual([{ url: bad, code: 'connect_failed', message: expect.any(String) }]);
});
