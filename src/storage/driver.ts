import type { Readable } from 'node:stream';

/** An inclusive byte range, as HTTP `Range: bytes=start-end` means it. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

export interface ObjectStat {
  readonly size: number;
  readonly modified: Date;
}

/**
 * Where bytes live. Stream-first: nothing in this interface holds a whole object in memory.
 * Keys are `/`-separated relative paths made by Intake (never by a user), e.g.
 * `12/ab/ab34…` or `tmp/9f2c…`. Every driver passes `driver.contract.ts`.
 */
export interface StorageDriver {
  /** Short name for logs and readiness output, e.g. `local`. */
  readonly name: string;
  /**
   * Writes the whole stream to `key`, replacing what was there. Resolves with the number of
   * bytes written once they are durable. If the stream errors, the write is abandoned, nothing
   * is left at `key`, and the promise rejects with the stream's error.
   */
  put(key: string, body: Readable): Promise<{ size: number }>;
  /** Reads an object, or the inclusive `range` of it. Rejects with `ObjectNotFoundError`. */
  get(key: string, range?: ByteRange): Promise<Readable>;
  /** Resolves with null when the object does not exist. */
  stat(key: string): Promise<ObjectStat | null>;
  /** Removes an object; removing one that does not exist is not an error. */
  delete(key: string): Promise<void>;
  /** Moves an object to a new key, replacing what was there (atomic where the backend allows). */
  move(from: string, to: string): Promise<void>;
  /** Keys under a prefix (e.g. `tmp/`), for clean-up after a crash. */
  list(prefix: string): AsyncIterable<string>;
  /**
   * Removes the driver's own leftovers of writes a crash interrupted (partial files, unfinished
   * multipart uploads) under `prefix` that are older than `olderThanMs`. Returns how many.
   */
  recover(prefix: string, olderThanMs: number): Promise<number>;
  /** Throws when the backend cannot be reached or written (readiness check). */
  check(): Promise<void>;
}

export class ObjectNotFoundError extends Error {
  override readonly name = 'ObjectNotFoundError';
  constructor(readonly key: string) {
    super(`No stored object at ${key}`);
  }
}

/** Rejects keys that could escape a driver's root or are not Intake-made. */
export function assertValidKey(key: string): void {
  if (
    key.length === 0 ||
    key.length > 512 ||
    key.startsWith('/') ||
    key.includes('\\') ||
    key.includes('\0') ||
    key.split('/').some((part) => part === '' || part === '.' || part === '..')
  ) {
    throw new Error(`Invalid storage key: ${JSON.stringify(key)}`);
  }
}
