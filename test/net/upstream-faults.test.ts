import { setTimeout as sleep } from 'node:timers/promises';
import { createGunzip, crc32 } from 'node:zlib';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { destroyClientRequests, get, open, request } from '../helpers/net-client.js';
import { PNG_SIGNATURE } from '../helpers/net-png.js';
import { GZIP_BOMB_DEFAULT, type Upstream, startUpstream } from '../helpers/net-upstream.js';

// The fault routes, one by one: each must misbehave in exactly the way its name says.

// Every upstream and every client request of a test goes afterwards, pass or fail.
const upstreams: Upstream[] = [];
afterEach(async () => {
  destroyClientRequests();
  await Promise.all(upstreams.splice(0).map((u) => u.close()));
});

async function start(): Promise<Upstream> {
  const upstream = await startUpstream();
  upstreams.push(upstream);
  return upstream;
}

/** The PNG chunks of `png` as [type, declared data], checking every CRC on the way. */
function pngChunks(png: Buffer): Array<[string, Buffer]> {
  expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
  const chunks: Array<[string, Buffer]> = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const typeAndData = png.subarray(at + 4, at + 8 + length);
    expect(png.readUInt32BE(at + 8 + length)).toBe(crc32(typeAndData) >>> 0);
    chunks.push([typeAndData.subarray(0, 4).toString('latin1'), typeAndData.subarray(4)]);
    at += 12 + length;
  }
  return chunks;
}

describe('upstream fault routes', () => {
  it('/truncated promises 100000 bytes, sends 1000 PNG bytes, then drops the connection', async () => {
    const upstream = await start();
    const res = await get(upstream.url('/truncated'));
    expect(res.headers['content-length']).toBe('100000');
    expect(res.body.length).toBe(1000);
    expect(res.body.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(res.complete).toBe(false);
  });

  it('/cut-chunked sends chunks and drops the connection before the last chunk', async () => {
    const upstream = await start();
    const res = await get(upstream.url('/cut-chunked'));
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect(res.body.length).toBe(1000);
    expect(res.complete).toBe(false);
  });

  it('/slow sends the PNG signature, then one byte per interval', async () => {
    const upstream = await start();
    // Default interval (1 s): 300 ms after the headers only the signature has arrived.
    const slow = await open(upstream.url('/slow?bytes=5'));
    expect(slow.res.headers['content-length']).toBe('13');
    await sleep(300);
    expect(slow.bytes()).toEqual(PNG_SIGNATURE);
    // A short interval lets a patient client read all of it.
    const quick = await get(upstream.url('/slow?bytes=3&interval=10'));
    expect(quick).toMatchObject({ complete: true, body: Buffer.concat([PNG_SIGNATURE, Buffer.alloc(3)]) });
  });

  it('/stall-headers takes the request and never answers', async () => {
    const upstream = await start();
    const { response } = request(upstream.url('/stall-headers'));
    let answered = false;
    response.then(() => (answered = true)).catch(() => {});
    while (!upstream.requests.some((r) => r.path === '/stall-headers')) await sleep(10);
    await sleep(300);
    expect(answered).toBe(false);
  });

  it('/stall-body sends headers and 10 bytes, then nothing', async () => {
    const upstream = await start();
    const stalled = await open(upstream.url('/stall-body'));
    expect(stalled.res.headers['content-length']).toBe('1000');
    while (stalled.bytes().length < 10) await sleep(10);
    await sleep(300);
    expect(stalled.bytes().length).toBe(10);
    expect(stalled.res.complete).toBe(false);
  });

  it('/big streams N bytes with or without Content-Length', async () => {
    const upstream = await start();
    const sized = await get(upstream.url('/big?bytes=3000000'));
    expect(sized.headers['content-length']).toBe('3000000');
    expect(sized.body.length).toBe(3_000_000);
    expect(sized.body.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    const unsized = await get(upstream.url('/big?bytes=3000000&length=0'));
    expect(unsized.headers['content-length']).toBeUndefined();
    expect(unsized.headers['transfer-encoding']).toBe('chunked');
    expect(unsized).toMatchObject({ complete: true });
    expect(unsized.body.length).toBe(3_000_000);
  });

  it('/big generates on the fly: a terabyte costs nothing until read', async () => {
    const upstream = await start();
    const huge = await open(upstream.url('/big?bytes=1000000000000&length=0'));
    while (huge.bytes().length < 1_000_000) await sleep(10);
    huge.req.destroy();
    await huge.done;
    expect((await get(upstream.url('/empty'))).status).toBe(200);
  });

  it('/gzip-bomb is small on the wire and inflates to exactly N bytes', async () => {
    const upstream = await start();
    const inflatedSize = async (url: string) => {
      const { res } = await open(url);
      let total = 0;
      for await (const chunk of res.pipe(createGunzip())) total += (chunk as Buffer).length;
      return { res, total };
    };
    const { res, total } = await inflatedSize(upstream.url('/gzip-bomb?inflated=10000000'));
    expect(res.headers).toMatchObject({ 'content-encoding': 'gzip', 'content-type': 'image/png' });
    expect(Number(res.headers['content-length'])).toBeLessThan(20_000);
    expect(total).toBe(10_000_000);
    expect((await inflatedSize(upstream.url('/gzip-bomb'))).total).toBe(GZIP_BOMB_DEFAULT);
  });

  it('/html-as-png and /empty lie about or lack their content', async () => {
    const upstream = await start();
    const html = await get(upstream.url('/html-as-png'));
    expect(html.headers['content-type']).toBe('image/png');
    expect(html.body.toString()).toMatch(/^<!doctype html>/);
    const empty = await get(upstream.url('/empty'));
    expect(empty).toMatchObject({ status: 200, complete: true, body: Buffer.alloc(0) });
    expect(empty.headers).toMatchObject({ 'content-type': 'image/png', 'content-length': '0' });
  });

  it('/png-bomb is a tiny, well-formed PNG declaring 100000 × 100000 pixels', async () => {
    const upstream = await start();
    const { body, headers } = await get(upstream.url('/png-bomb'));
    expect(headers['content-type']).toBe('image/png');
    expect(body.length).toBeLessThan(200);
    const chunks = pngChunks(body);
    expect(chunks.map(([type]) => type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    const ihdr = chunks[0]![1];
    expect([ihdr.readUInt32BE(0), ihdr.readUInt32BE(4)]).toEqual([100_000, 100_000]);
    // A real decoder with a pixel limit refuses it before allocating.
    await expect(sharp(body).metadata()).rejects.toThrow(/pixel limit/);
  });
});
