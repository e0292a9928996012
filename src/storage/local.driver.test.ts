import { chmod, mkdir, mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storageDriverContract } from './driver.contract.js';
import { ObjectNotFoundError } from './driver.js';
import { LocalDriver } from './local.driver.js';

storageDriverContract('local', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'intake-local-'));
  // A root that does not exist yet: the driver must create it on first need.
  return { driver: new LocalDriver(path.join(dir, 'root')), cleanup: () => rm(dir, { recursive: true, force: true }) };
});

describe('LocalDriver', () => {
  let dir: string;
  let root: string;
  let driver: LocalDriver;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'intake-local-'));
    root = path.join(dir, 'root');
    driver = new LocalDriver(root);
  });
  afterEach(async () => {
    await chmod(root, 0o755).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  const text = (value: string) => Readable.from([Buffer.from(value)]);
  const exists = (file: string) => stat(file).then(() => true, () => false);
  const allFiles = async (under: string) => (await readdir(under, { recursive: true })).map(String);

  it('recover removes partial writes older than the cut-off under the prefix, and nothing else', async () => {
    await driver.put('tmp/finished', text('kept: a complete object'));
    await mkdir(path.join(root, 'tmp', 'sub'), { recursive: true });
    const stale = path.join(root, 'tmp', 'sub', '.x.aaaaaa.part');
    const fresh = path.join(root, 'tmp', '.y.bbbbbb.part');
    const elsewhere = path.join(root, '12', '.z.cccccc.part');
    for (const file of [stale, fresh, elsewhere]) {
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, 'half');
    }
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    await utimes(stale, twoHoursAgo, twoHoursAgo);
    await utimes(elsewhere, twoHoursAgo, twoHoursAgo);

    await expect(driver.recover('tmp/', 3600_000)).resolves.toBe(1);
    expect(await exists(stale)).toBe(false);
    expect(await exists(fresh)).toBe(true);
    expect(await exists(elsewhere)).toBe(true);
    expect(await exists(path.join(root, 'tmp', 'finished'))).toBe(true);
    await expect(driver.recover('nothing-here/', 0)).resolves.toBe(0);
  });

  it('refuses a relative root', () => {
    expect(() => new LocalDriver('relative/root')).toThrow(/absolute/);
  });

  it('stores a key as the file at the same path under root', async () => {
    await driver.put('12/ab/ab34', text('bytes'));
    expect((await stat(path.join(root, '12', 'ab', 'ab34'))).size).toBe(5);
  });

  it('leaves no .part file anywhere after a failed put', async () => {
    await driver.put('keep/obj', text('kept'));
    const broken = new Readable({
      read() {
        this.push(Buffer.alloc(256 * 1024, 1));
        this.destroy(new Error('disconnected'));
      },
    });
    await expect(driver.put('keep/fails', broken)).rejects.toThrow('disconnected');
    await expect(driver.put('new/dir/fails', failing())).rejects.toThrow('failed');
    const files = await allFiles(root);
    expect(files.filter((file) => file.endsWith('.part'))).toEqual([]);
    expect(files).toContain(path.join('keep', 'obj'));
    expect(files).not.toContain(path.join('keep', 'fails'));
  });

  it('leaves no .part file after concurrent puts to one key', async () => {
    await Promise.all(Array.from({ length: 8 }, (_, i) => driver.put('cc/obj', text(`writer ${i}`))));
    expect(await readdir(path.join(root, 'cc'))).toEqual(['obj']);
  });

  it('does not list in-progress temp files', async () => {
    await driver.put('tmp/done', text('x'));
    await writeFile(path.join(root, 'tmp', '.upload.1a2b3c.part'), 'half');
    const keys: string[] = [];
    for await (const key of driver.list('tmp/')) keys.push(key);
    expect(keys).toEqual(['tmp/done']);
  });

  it('prunes parent directories a delete leaves empty, but never root', async () => {
    await driver.put('p/q/r/obj', text('x'));
    await driver.put('p/keep', text('x'));
    await driver.delete('p/q/r/obj');
    expect(await exists(path.join(root, 'p', 'q'))).toBe(false);
    expect(await exists(path.join(root, 'p', 'keep'))).toBe(true);
    await driver.delete('p/keep');
    expect(await exists(path.join(root, 'p'))).toBe(false);
    expect(await exists(root)).toBe(true);
  });

  it('prunes the source folders a move leaves empty', async () => {
    await driver.put('tmp/ab/upload', text('x'));
    await driver.move('tmp/ab/upload', 'ab/final');
    expect(await readdir(root)).toEqual(['ab']);
  });

  it('survives deletes pruning the folders that concurrent puts and moves write into', async () => {
    // Each round empties race/a (so delete prunes it) while writers need it to exist.
    for (let round = 0; round < 30; round++) {
      await driver.put(`race/a/old${round}`, text('x'));
      await driver.put(`staging/m${round}`, text('moved'));
      await Promise.all([
        driver.delete(`race/a/old${round}`),
        driver.put(`race/a/new${round}`, text('new')),
        driver.move(`staging/m${round}`, `race/a/moved${round}`),
      ]);
      await expect(driver.stat(`race/a/new${round}`)).resolves.toMatchObject({ size: 3 });
      await expect(driver.stat(`race/a/moved${round}`)).resolves.toMatchObject({ size: 5 });
      await driver.delete(`race/a/new${round}`);
      await driver.delete(`race/a/moved${round}`);
    }
  });

  it('refuses keys that would escape root and writes nothing outside it', async () => {
    await driver.put('inside', text('x'));
    for (const key of ['../escape', 'a/../../escape', '../root-sibling/x']) {
      await expect(driver.put(key, text('x'))).rejects.toThrow(/Invalid storage key/);
      await expect(driver.get(key)).rejects.toThrow(/Invalid storage key/);
    }
    expect((await readdir(dir)).sort()).toEqual(['root']);
  });

  it('rejects a range outside the object with a RangeError', async () => {
    await driver.put('r/obj', text('0123456789'));
    for (const range of [
      { start: 0, end: 10 },
      { start: 5, end: 4 },
      { start: -1, end: 3 },
      { start: 1.5, end: 3 },
    ]) {
      await expect(driver.get('r/obj', range)).rejects.toBeInstanceOf(RangeError);
    }
  });

  it('treats a key that names a folder of objects as no object', async () => {
    await driver.put('dir/inside', text('x'));
    await expect(driver.get('dir')).rejects.toBeInstanceOf(ObjectNotFoundError);
    await expect(driver.stat('dir')).resolves.toBeNull();
    await expect(driver.move('dir', 'elsewhere')).rejects.toBeInstanceOf(ObjectNotFoundError);
    await expect(driver.delete('dir')).resolves.toBeUndefined();
    expect(await exists(path.join(root, 'dir', 'inside'))).toBe(true);
  });

  it('check() throws when root cannot be created', async () => {
    await writeFile(path.join(dir, 'a-file'), '');
    await expect(new LocalDriver(path.join(dir, 'a-file', 'root')).check()).rejects.toThrow();
  });

  it('check() throws when root is read-only', async (context) => {
    await mkdir(root);
    await chmod(root, 0o555);
    // Root (or CAP_DAC_OVERRIDE) ignores directory permissions, so in a container running as
    // root chmod cannot make the directory read-only. Find out by trying to write; if that
    // works, the assertion below cannot mean anything and is skipped. The test above still
    // proves check() fails on an unusable root.
    const probe = path.join(root, 'probe');
    const writable = await writeFile(probe, '').then(() => true, () => false);
    if (writable) {
      await rm(probe);
      context.skip('chmod has no effect for this user (running as root), so root cannot be made read-only');
    }
    await expect(driver.check()).rejects.toThrow();
  });
});

function failing(): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent++ < 3) this.push(Buffer.alloc(64 * 1024, 2));
      else this.destroy(new Error('failed'));
    },
  });
}
