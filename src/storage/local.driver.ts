import { randomBytes } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { mkdir, open, readFile, readdir, rename, rm, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ByteRange, ObjectStat, StorageDriver } from './driver.js';
import { ObjectNotFoundError, assertValidKey } from './driver.js';

/** In-progress writes: hidden, in the object's own directory (so `rename` is atomic), skipped by `list`. */
const TEMP_FILE = /^\..*\.part$/;

/**
 * A directory we just created can be pruned by a concurrent `delete` before we write into it.
 * Each retry recreates it; losing that race this many times in a row does not happen in practice.
 */
const DIRECTORY_RACE_RETRIES = 10;

/** Objects as plain files under one directory; a key `a/b/c` is the file `<root>/a/b/c`. */
export class LocalDriver implements StorageDriver {
  readonly name = 'local';
  private readonly root: string;

  /** `root` must be absolute; it is created on first need, so it may not exist yet. */
  constructor(root: string) {
    if (!path.isAbsolute(root)) throw new Error(`LocalDriver root must be absolute: ${root}`);
    this.root = path.resolve(root);
  }

  async put(key: string, body: Readable): Promise<{ size: number }> {
    // Until pipeline takes the body over, an error it emits (a client disconnecting while the
    // folder is made, say) has no listener and would crash the process. This listener keeps it
    // on the stream instead; pipeline then sees the stream as errored and rejects with it.
    const holdEarlyError = () => undefined;
    body.on('error', holdEarlyError);
    try {
      return await this.write(key, body);
    } finally {
      body.off('error', holdEarlyError);
    }
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    const file = await this.openObject(key);
    try {
      if (range) assertRangeWithin(range, (await file.stat()).size);
    } catch (error) {
      await file.close();
      throw error;
    }
    return file.createReadStream(range ? { start: range.start, end: range.end } : {});
  }

  async stat(key: string): Promise<ObjectStat | null> {
    try {
      const info = await stat(this.pathOf(key));
      return info.isFile() ? { size: info.size, modified: info.mtime } : null;
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    const target = this.pathOf(key);
    try {
      await unlink(target);
    } catch (error) {
      if (isMissing(error)) return;
      // unlink of a directory fails with EISDIR (Linux) or EPERM (macOS). Such a key names a
      // folder of other objects, not an object, so there is nothing to delete.
      if (hasCode(error, 'EISDIR', 'EPERM')) {
        const info = await stat(target).catch(() => null);
        if (!info || info.isDirectory()) return;
      }
      throw error;
    }
    await this.pruneEmptyParents(target);
  }

  async move(from: string, to: string): Promise<void> {
    const source = this.pathOf(from);
    const target = this.pathOf(to);
    for (let attempt = 0; ; attempt++) {
      // rename would happily move a whole directory; only objects (files) may be moved.
      const info = await stat(source).catch((error: unknown) => {
        if (isMissing(error)) return null;
        throw error;
      });
      if (!info?.isFile()) throw new ObjectNotFoundError(from);
      if (source === target) return;
      try {
        await mkdir(path.dirname(target), { recursive: true });
        await rename(source, target);
        break;
      } catch (error) {
        // ENOENT is either the source vanishing or a target folder being pruned by a concurrent
        // delete (even halfway through the recursive mkdir); the stat above tells them apart.
        if (!hasCode(error, 'ENOENT') || attempt >= DIRECTORY_RACE_RETRIES) throw error;
      }
    }
    await syncDirectory(path.dirname(target));
    await this.pruneEmptyParents(source);
  }

  async *list(prefix: string): AsyncGenerator<string> {
    // A prefix names a directory: `tmp` and `tmp/` both mean the keys inside `tmp/`, never
    // `tmpfoo/…`. The empty prefix lists everything.
    const dir = prefix.length > 1 && prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
    const start = dir === '' ? this.root : this.pathOf(dir);
    yield* this.walk(start, dir === '' ? [] : dir.split('/'));
  }

  async check(): Promise<void> {
    await mkdir(this.root, { recursive: true });
    // Named like a temp file so a concurrent `list` never reports it as an object.
    const probe = path.join(this.root, `.check.${randomBytes(6).toString('hex')}.part`);
    const written = randomBytes(16);
    try {
      await writeFile(probe, written, { flag: 'wx' });
      const read = await readFile(probe);
      if (!read.equals(written)) throw new Error(`Storage root ${this.root} did not return what was written`);
    } finally {
      await rm(probe, { force: true });
    }
  }

  private async write(key: string, body: Readable): Promise<{ size: number }> {
    let target: string;
    let temp: string;
    let file: FileHandle;
    try {
      target = this.pathOf(key);
      temp = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.part`);
      file = await this.createTemp(temp);
    } catch (error) {
      // pipeline destroys the body on every failure below; do the same here so a caller's
      // upload stream is never left paused and half-read.
      body.destroy();
      throw error;
    }

    let size = 0;
    // flush: fsync before close, so the bytes are durable before the rename publishes them.
    // A large buffer lets a slow disk write batch many chunks at once (writev).
    const out = file.createWriteStream({ flush: true, highWaterMark: 1024 * 1024 });
    try {
      // A body destroyed before we got to it: settle now. pipeline(body, file) never settles for
      // a PassThrough that was ended then destroyed (Node 20).
      if (body.destroyed) throw body.errored ?? new Error('The stream to store was destroyed before it was read');
      await pipeline(body, out);
      size = out.bytesWritten;
      await rename(temp, target);
    } catch (error) {
      // pipeline rejects as soon as a stream fails, before the file is closed; wait for the
      // close so the unlink below also works where open files cannot be removed (Windows).
      if (!out.closed) {
        out.destroy();
        await new Promise<void>((resolve) => out.once('close', () => resolve()));
      }
      await rm(temp, { force: true }).catch(() => undefined);
      throw error;
    }
    await syncDirectory(path.dirname(target));
    return { size };
  }

  /** The file for a key; refuses keys that are malformed or would resolve outside root. */
  private pathOf(key: string): string {
    assertValidKey(key);
    const full = path.join(this.root, ...key.split('/'));
    const relative = path.relative(this.root, full);
    // assertValidKey already rules out `..`; this guards against what it cannot know about
    // the platform's path rules (e.g. drive letters on Windows).
    if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
      throw new Error(`Invalid storage key: ${JSON.stringify(key)} resolves outside the storage root`);
    }
    return full;
  }

  private async createTemp(temp: string): Promise<FileHandle> {
    for (let attempt = 0; ; attempt++) {
      try {
        // recursive mkdir does not fail when a concurrent put created the folder first, but it
        // does (ENOENT) when a concurrent delete prunes a parent it just made; so does open.
        await mkdir(path.dirname(temp), { recursive: true });
        return await open(temp, 'wx');
      } catch (error) {
        if (!hasCode(error, 'ENOENT') || attempt >= DIRECTORY_RACE_RETRIES) throw error;
      }
    }
  }

  /** Opens the file first so a missing object is a rejection here, not a stream error later. */
  private async openObject(key: string): Promise<FileHandle> {
    let file: FileHandle;
    try {
      file = await open(this.pathOf(key), 'r');
    } catch (error) {
      if (isMissing(error)) throw new ObjectNotFoundError(key);
      throw error;
    }
    // Opening a directory succeeds on Linux; it is still not an object.
    if (!(await file.stat()).isFile()) {
      await file.close();
      throw new ObjectNotFoundError(key);
    }
    return file;
  }

  /**
   * Removes directories left empty by a delete or move, stopping below root. Best effort: a
   * concurrent put may create a file in one at any moment (ENOTEMPTY) or another delete may
   * prune it first (ENOENT); both simply end the walk.
   */
  private async pruneEmptyParents(file: string): Promise<void> {
    for (let dir = path.dirname(file); dir !== this.root && dir.startsWith(this.root); dir = path.dirname(dir)) {
      try {
        await rmdir(dir);
      } catch {
        return;
      }
    }
  }

  async recover(prefix: string, olderThanMs: number): Promise<number> {
    const cutoff = Date.now() - olderThanMs;
    let removed = 0;
    const clean = prefix.replace(/\/+$/, '');
    for await (const file of this.files(clean === '' ? this.root : this.pathOf(clean))) {
      if (!TEMP_FILE.test(path.basename(file))) continue;
      const info = await stat(file).catch(() => null);
      if (info && info.mtimeMs < cutoff) {
        await rm(file, { force: true });
        removed += 1;
      }
    }
    return removed;
  }

  /** Keys of the complete objects under a directory (partial writes are not objects yet). */
  private async *walk(dir: string, keyParts: string[]): AsyncGenerator<string> {
    for await (const file of this.files(dir)) {
      if (TEMP_FILE.test(path.basename(file))) continue;
      yield [...keyParts, ...path.relative(dir, file).split(path.sep)].join('/');
    }
  }

  /** Every file under a directory, recursively, as absolute paths. */
  private async *files(dir: string): AsyncGenerator<string> {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      // A missing prefix lists nothing; a directory pruned mid-walk has nothing left to list.
      if (isMissing(error)) return;
      throw error;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) yield* this.files(full);
      else if (entry.isFile()) yield full;
    }
  }
}

function assertRangeWithin(range: ByteRange, size: number): void {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || start > end || end >= size) {
    throw new RangeError(`Byte range ${start}-${end} is not within an object of ${size} bytes`);
  }
}

/**
 * fsync the directory so a rename survives a crash. Not every platform can open a directory
 * for syncing (Windows cannot); the data itself is already synced, so failure is tolerated.
 */
async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // best effort, see above
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** ENOTDIR: a parent in the key's path is itself an object, so the key cannot exist. */
function isMissing(error: unknown): boolean {
  return hasCode(error, 'ENOENT', 'ENOTDIR');
}

function hasCode(error: unknown, ...codes: string[]): boolean {
  return error instanceof Error && codes.includes((error as NodeJS.ErrnoException).code ?? '');
}
