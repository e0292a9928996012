import { createHash } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StorageDriver } from './driver.js';
import { ObjectNotFoundError } from './driver.js';

/** A fresh, empty driver for one test, and how to throw it away afterwards. */
export type MakeDriver = () => Promise<{ driver: StorageDriver; cleanup: () => Promise<void> }>;

/**
 * The behaviour every StorageDriver must show, as one vitest `describe` block. A driver's own
 * test file calls this with a factory, then adds tests for what only that backend can do:
 *
 *   storageDriverContract('local', async () => ({ driver: new LocalDriver(dir), cleanup }));
 *
 * Each test gets its own driver from `make`, so tests may run in any order.
 */
export function storageDriverContract(name: string, make: MakeDriver): void {
  describe(`StorageDriver contract: ${name}`, () => {
    let driver: StorageDriver;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ driver, cleanup } = await make());
    });
    afterEach(async () => {
      await cleanup();
    });

    const putText = (key: string, text: string) => driver.put(key, Readable.from([Buffer.from(text)]));
    const getText = async (key: string) => (await readAll(await driver.get(key))).toString();

    it('stores bytes and returns them unchanged, resolving with the size', async () => {
      const bytes = Buffer.from([0, 1, 2, 255, 10, 13, 0x80]);
      await expect(driver.put('rt/small', Readable.from([bytes]))).resolves.toEqual({ size: bytes.length });
      expect(await readAll(await driver.get('rt/small'))).toEqual(bytes);
    });

    it('stores an empty object', async () => {
      await expect(driver.put('rt/empty', Readable.from([]))).resolves.toEqual({ size: 0 });
      expect(await readAll(await driver.get('rt/empty'))).toHaveLength(0);
      expect((await driver.stat('rt/empty'))?.size).toBe(0);
    });

    it('streams a multi-megabyte object generated chunk by chunk', async () => {
      const size = 8 * 1024 * 1024 + 123; // not a multiple of the chunk size
      const source = generated(size, 64 * 1024, 1);
      await expect(driver.put('rt/large', source.body)).resolves.toEqual({ size });
      expect(await sha256Of(await driver.get('rt/large'))).toBe(source.digest());
      expect((await driver.stat('rt/large'))?.size).toBe(size);
    });

    it('reads inclusive byte ranges', async () => {
      const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
      await driver.put('range/obj', Readable.from([bytes]));
      const read = async (start: number, end: number) => readAll(await driver.get('range/obj', { start, end }));
      expect(await read(0, 0)).toEqual(bytes.subarray(0, 1));
      expect(await read(100, 199)).toEqual(bytes.subarray(100, 200));
      expect(await read(999, 999)).toEqual(bytes.subarray(999));
      expect(await read(0, 999)).toEqual(bytes);
    });

    it('stats an object, and answers null for a missing one', async () => {
      await putText('st/obj', 'hello');
      const stat = await driver.stat('st/obj');
      expect(stat?.size).toBe(5);
      expect(stat?.modified).toBeInstanceOf(Date);
      expect(Number.isNaN(stat?.modified.getTime())).toBe(false);
      await expect(driver.stat('st/missing')).resolves.toBeNull();
      await expect(driver.stat('nowhere/at/all')).resolves.toBeNull();
    });

    it('rejects a get of a missing object with ObjectNotFoundError', async () => {
      const failure = driver.get('missing/obj');
      await expect(failure).rejects.toBeInstanceOf(ObjectNotFoundError);
      await expect(failure).rejects.toMatchObject({ key: 'missing/obj' });
      await expect(driver.get('missing/obj', { start: 0, end: 0 })).rejects.toBeInstanceOf(ObjectNotFoundError);
    });

    it('deletes idempotently', async () => {
      await expect(driver.delete('del/never-existed')).resolves.toBeUndefined();
      await putText('del/obj', 'x');
      await driver.delete('del/obj');
      await expect(driver.stat('del/obj')).resolves.toBeNull();
      await expect(driver.delete('del/obj')).resolves.toBeUndefined();
    });

    it('moves an object, replacing the target and removing the source', async () => {
      await putText('mv/src', 'new content');
      await putText('mv/dst', 'old');
      await driver.move('mv/src', 'mv/dst');
      expect(await getText('mv/dst')).toBe('new content');
      await expect(driver.stat('mv/src')).resolves.toBeNull();
    });

    it('moves an object to a key whose folders do not exist yet', async () => {
      await putText('tmp/upload', 'payload');
      await driver.move('tmp/upload', 'ab/cd/final');
      expect(await getText('ab/cd/final')).toBe('payload');
      expect(await collect(driver.list('tmp/'))).toEqual([]);
    });

    it('rejects a move of a missing object with ObjectNotFoundError and leaves the target alone', async () => {
      await putText('mv/target', 'keep me');
      await expect(driver.move('mv/missing', 'mv/target')).rejects.toBeInstanceOf(ObjectNotFoundError);
      expect(await getText('mv/target')).toBe('keep me');
    });

    it('abandons a put whose stream errors halfway: rejects with that error, stores nothing', async () => {
      const boom = new Error('upload broke');
      await expect(driver.put('fail/obj', failingHalfway(boom))).rejects.toBe(boom);
      await expect(driver.stat('fail/obj')).resolves.toBeNull();
      await expect(driver.get('fail/obj')).rejects.toBeInstanceOf(ObjectNotFoundError);
      expect(await collect(driver.list('fail/'))).toEqual([]);
      expect(await collect(driver.list(''))).toEqual([]);
    });

    it('abandons a put whose stream is destroyed without an error', async () => {
      await expect(driver.put('fail/aborted', failingHalfway())).rejects.toThrow();
      await expect(driver.stat('fail/aborted')).resolves.toBeNull();
      expect(await collect(driver.list(''))).toEqual([]);
    });

    it('rejects with the error of a stream that fails before the driver starts reading it', async () => {
      const body = new PassThrough();
      const pending = driver.put('fail/early', body);
      const boom = new Error('client went away');
      body.destroy(boom); // while the driver is still preparing, e.g. making folders
      await expect(pending).rejects.toBe(boom);
      await expect(driver.stat('fail/early')).resolves.toBeNull();
      const ended = new PassThrough();
      ended.end('never read');
      ended.destroy();
      await expect(driver.put('fail/ended', ended)).rejects.toThrow();
      expect(await collect(driver.list(''))).toEqual([]);
    });

    it('keeps the previous object when an overwriting put fails', async () => {
      await putText('fail/existing', 'previous');
      await expect(driver.put('fail/existing', failingHalfway(new Error('nope')))).rejects.toThrow('nope');
      expect(await getText('fail/existing')).toBe('previous');
    });

    it('replaces an object on overwrite, leaving none of the old bytes', async () => {
      await putText('ow/obj', 'a much longer first version');
      await expect(putText('ow/obj', 'short')).resolves.toEqual({ size: 5 });
      expect(await getText('ow/obj')).toBe('short');
      expect((await driver.stat('ow/obj'))?.size).toBe(5);
    });

    it('leaves exactly one complete object after concurrent puts to one key', async () => {
      const size = 1024 * 1024;
      const writers = [1, 2, 3, 4].map((seed) => generated(size, 16 * 1024, seed, { yieldBetweenChunks: true }));
      const results = await Promise.all(writers.map((writer) => driver.put('cc/obj', writer.body)));
      expect(results).toEqual(writers.map(() => ({ size })));
      const stored = await sha256Of(await driver.get('cc/obj'));
      expect(writers.map((writer) => writer.digest())).toContain(stored);
      expect(await collect(driver.list('cc/'))).toEqual(['cc/obj']);
    });

    it('lists exactly the keys under a prefix, recursively', async () => {
      const inside = ['l/a', 'l/b/c', 'l/b/d/e'];
      for (const key of [...inside, 'lx/f', 'other/g', 'top']) await putText(key, key);
      expect(await collect(driver.list('l/'))).toEqual(inside);
      expect(await collect(driver.list('l'))).toEqual(inside); // a folder, not a string prefix: no `lx/f`
      expect(await collect(driver.list('l/b/'))).toEqual(['l/b/c', 'l/b/d/e']);
      expect(await collect(driver.list('missing/'))).toEqual([]);
      expect(await collect(driver.list(''))).toEqual([...inside, 'lx/f', 'other/g', 'top'].sort());
    });

    describe.each(['../x', '/abs', 'a//b', 'a/./b', '', 'a/../b', 'a/'])('refuses the invalid key %j', (bad) => {
      const invalid = /Invalid storage key/;

      it('in every operation', async () => {
        await putText('valid/obj', 'x');
        await expect(driver.put(bad, Readable.from([Buffer.from('x')]))).rejects.toThrow(invalid);
        await expect(driver.get(bad)).rejects.toThrow(invalid);
        await expect(driver.stat(bad)).rejects.toThrow(invalid);
        await expect(driver.delete(bad)).rejects.toThrow(invalid);
        await expect(driver.move(bad, 'valid/other')).rejects.toThrow(invalid);
        await expect(driver.move('valid/obj', bad)).rejects.toThrow(invalid);
        if (bad !== '') await expect(collect(driver.list(`${bad}/`))).rejects.toThrow(invalid);
        // Nothing was written, moved or removed by any of the refused calls.
        expect(await collect(driver.list(''))).toEqual(['valid/obj']);
      });
    });

    it('passes its readiness check', async () => {
      await expect(driver.check()).resolves.toBeUndefined();
      expect(await collect(driver.list(''))).toEqual([]);
    });
  });
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

async function sha256Of(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Uint8Array);
  return hash.digest('hex');
}

async function collect(keys: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const key of keys) out.push(key);
  return out.sort();
}

/**
 * A deterministic pseudo-random stream of `size` bytes, made one chunk at a time so the test
 * itself never holds the whole object. `digest()` is valid once the stream has been consumed.
 */
function generated(size: number, chunkSize: number, seed: number, options: { yieldBetweenChunks?: boolean } = {}) {
  const hash = createHash('sha256');
  let state = seed * 0x9e3779b9 || 1;
  async function* chunks() {
    for (let sent = 0; sent < size; sent += chunkSize) {
      const chunk = Buffer.alloc(Math.min(chunkSize, size - sent));
      for (let i = 0; i < chunk.length; i++) {
        // xorshift32: cheap, and different seeds give different bytes everywhere
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        chunk[i] = state & 0xff;
      }
      hash.update(chunk);
      // Lets concurrent writers interleave chunk by chunk instead of one finishing first.
      if (options.yieldBetweenChunks) await new Promise((resolve) => setImmediate(resolve));
      yield chunk;
    }
  }
  return { body: Readable.from(chunks(), { objectMode: false }), digest: () => hash.digest('hex') };
}

/** Sends 512 KiB, then fails with `error`, or is destroyed without one (an abort). */
function failingHalfway(error?: Error): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent++ < 8) this.push(Buffer.alloc(64 * 1024, 7));
      else this.destroy(error);
    },
  });
}
