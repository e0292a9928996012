import { createHash, randomUUID } from 'node:crypto';
import { type Readable, Transform, pipeline } from 'node:stream';
import type { Logger } from 'pino';
import type { Db } from '../db/database.js';
import { now } from '../db/database.js';
import type { MediaRow } from '../db/schema.js';
import { AppError, formatBytes } from '../errors.js';
import { TypeSniffer } from '../media/sniffer.js';
import type { Attribution, DetectedType, PictureInfo, ReadRange } from '../media/types.js';
import type { StorageDriver } from '../storage/driver.js';
import { safeFileName } from './file-name.js';

/** 413: more bytes than `INTAKE_MAX_FILE_BYTES`. Reading stopped when the limit was crossed. */
export class FileTooLargeError extends AppError {
  readonly status = 413;
  constructor(readonly limit: number) {
    super(`The file may not be greater than ${formatBytes(limit)}.`);
  }
}

/**
 * The body broke off before its end: a client that disconnected, or a multipart file part cut
 * off by the end of the request body. Nothing was kept.
 */
export class IncompleteBodyError extends Error {
  override readonly name = 'IncompleteBodyError';
}

/** Bytes streamed to a temporary key, counted, hashed and typed, not yet a media row. */
export interface StagedFile {
  readonly tempKey: string;
  readonly sha256: string;
  readonly size: number;
  readonly detected: DetectedType;
  readonly picture: PictureInfo | null;
}

export interface MediaDetails {
  readonly workspaceId: number;
  readonly folderId: number | null;
  /** A name from the source (file name, Content-Disposition, URL path); sanitised here. */
  readonly nameHint: string | null;
  readonly sourceUrl?: string | null;
  readonly alt?: string | null;
  readonly attribution?: Attribution | null;
}

export const TEMP_PREFIX = 'tmp/';

/**
 * The one write path for uploads and imports: stream → count, hash, sniff → temporary key →
 * content-addressed key + media row in one transaction. On any failure nothing remains.
 */
export class IngestService {
  constructor(
    private readonly db: Db,
    private readonly storage: StorageDriver,
    private readonly limits: { maxFileBytes: number; maxImagePixels: number },
    private readonly log: Logger,
  ) {}

  /**
   * Streams `body` to a temporary key. Rejects with `FileTooLargeError` as soon as the limit is
   * crossed, with `UnsupportedContentError` as soon as the first bytes rule the type out, or with
   * the body's own error; in every case the temporary key is gone.
   */
  async stage(body: Readable): Promise<StagedFile> {
    const tempKey = `${TEMP_PREFIX}${randomUUID()}`;
    const hash = createHash('sha256');
    const sniffer = new TypeSniffer();
    const max = this.limits.maxFileBytes;
    let size = 0;
    const meter = new Transform({
      highWaterMark: 1024 * 1024,
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (size > max) return done(new FileTooLargeError(max));
        hash.update(chunk);
        sniffer.push(chunk);
        // Holding the chunk until the first bytes are judged: a refused type stops right here.
        sniffer.early().then(() => done(null, chunk), done);
      },
    });
    // A body destroyed before we got to it (busboy destroys a file part the body's end cut
    // off, possibly before the route reaches it): on Node 20 pipeline never settles for a
    // source that was ended and then destroyed, so the upload would hang with its temp file.
    if (body.destroyed) throw new IncompleteBodyError('The body ended before the file was complete.', { cause: body.errored });
    const counted = pipeline(body, meter, () => undefined);
    try {
      await this.storage.put(tempKey, counted);
      const { detected, picture } = await sniffer.finish(this.rangeReader(tempKey, size), size, {
        maxPixels: this.limits.maxImagePixels,
      });
      return { tempKey, sha256: hash.digest('hex'), size, detected, picture };
    } catch (error) {
      body.destroy();
      await this.discard(tempKey);
      if ((error as { code?: unknown } | null)?.code === 'ERR_STREAM_PREMATURE_CLOSE') {
        throw new IncompleteBodyError('The body ended before the file was complete.', { cause: error });
      }
      throw error;
    }
  }

  /** Makes a staged file a media row. Identical bytes in one workspace are stored once. */
  async commit(staged: StagedFile, details: MediaDetails): Promise<MediaRow> {
    const finalKey = `${details.workspaceId}/${staged.sha256.slice(0, 2)}/${staged.sha256}`;
    let movedTemp = false;
    try {
      const row = await this.db.transaction().execute(async (trx) => {
        // The upsert locks the blob row until commit; a concurrent delete of the last other
        // reference waits for us (or we for it), so bytes are never removed under a new row.
        const blob = await trx
          .insertInto('blobs')
          .values({
            workspace_id: details.workspaceId,
            sha256: staged.sha256,
            size: staged.size,
            mime_type: staged.detected.mimeType,
            storage_key: finalKey,
            ref_count: 1,
            created_at: now(),
          })
          .onConflict((oc) =>
            oc.columns(['workspace_id', 'sha256']).doUpdateSet((eb) => ({ ref_count: eb('blobs.ref_count', '+', 1) })),
          )
          .returning(['id', 'ref_count'])
          .executeTakeFirstOrThrow();
        if (blob.ref_count === 1) {
          await this.storage.move(staged.tempKey, finalKey);
          movedTemp = true;
        }
        const inserted = await trx
          .insertInto('media')
          .values({
            workspace_id: details.workspaceId,
            folder_id: details.folderId,
            blob_id: blob.id,
            name: 'pending',
            mime_type: staged.detected.mimeType,
            type: staged.detected.type,
            size: staged.size,
            width: staged.picture?.width ?? null,
            height: staged.picture?.height ?? null,
            duration: null,
            alt: details.alt ?? null,
            source_url: details.sourceUrl ?? null,
            attribution: details.attribution ? JSON.stringify(details.attribution) : null,
            is_processing: 0,
            progress: 100,
            created_at: now(),
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        // The fallback name `<type>-<id>` needs the id, so the name is set once it is known.
        const name = safeFileName(details.nameHint, staged.detected, inserted.id);
        return trx
          .updateTable('media')
          .set({ name })
          .where('id', '=', inserted.id)
          .returningAll()
          .executeTakeFirstOrThrow();
      });
      return row;
    } catch (error) {
      if (movedTemp) {
        // The transaction rolled back after the bytes moved: no row refers to them.
        await this.storage.delete(finalKey).catch((e: unknown) => this.log.error({ err: e, key: finalKey }, 'orphan blob left'));
      }
      throw error;
    } finally {
      if (!movedTemp) await this.discard(staged.tempKey);
    }
  }

  /** Removes a staged file that will not be committed. Never throws. */
  async discard(tempKey: string): Promise<void> {
    await this.storage.delete(tempKey).catch((error: unknown) => this.log.warn({ err: error, key: tempKey }, 'temporary object not removed'));
  }

  private rangeReader(key: string, size: number): ReadRange {
    return async (offset, length) => {
      const end = Math.min(offset + length, size) - 1;
      if (offset >= size || end < offset) return Buffer.alloc(0);
      const stream = await this.storage.get(key, { start: offset, end });
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    };
  }
}
