import type { Db } from '../db/database.js';
import type { MediaRow } from '../db/schema.js';
import { NotFoundError, ValidationError } from '../errors.js';
import type { StorageDriver } from '../storage/driver.js';
import { type Actor, requireFolderIn, requireRole, requireWorkspace, roleIn, rolesOf } from './access.js';

export interface MediaQuery {
  readonly workspaceId?: number;
  readonly folderId?: number;
  readonly rootOnly?: boolean;
  readonly page: number;
  readonly perPage: number;
}

export interface MediaPage {
  readonly rows: MediaRow[];
  readonly total: number;
}

/** Reading and deleting media rows; a blob's bytes go when its last media row goes. */
export class MediaService {
  constructor(
    private readonly db: Db,
    private readonly storage: StorageDriver,
  ) {}

  /** Newest first, in the given workspace or in every workspace of the user. */
  async list(actor: Actor, query: MediaQuery): Promise<MediaPage> {
    if (query.workspaceId !== undefined) await requireWorkspace(this.db, actor, query.workspaceId, 'read');
    if (query.folderId !== undefined) {
      const folder = await this.db.selectFrom('folders').select('workspace_id').where('id', '=', query.folderId).executeTakeFirst();
      const reachable =
        folder !== undefined &&
        (query.workspaceId === undefined || folder.workspace_id === query.workspaceId) &&
        (await roleIn(this.db, actor.userId, folder.workspace_id)) !== null;
      if (!reachable) throw ValidationError.field('folder_id', 'The selected folder id is invalid.');
    }
    const workspaceIds = query.workspaceId !== undefined ? [query.workspaceId] : [...(await rolesOf(this.db, actor.userId)).keys()];
    if (workspaceIds.length === 0) return { rows: [], total: 0 };

    let base = this.db.selectFrom('media').where('workspace_id', 'in', workspaceIds);
    if (query.folderId !== undefined) base = base.where('folder_id', '=', query.folderId);
    else if (query.rootOnly) base = base.where('folder_id', 'is', null);

    const counted = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await base
      .selectAll()
      .orderBy('id', 'desc')
      .limit(query.perPage)
      .offset((query.page - 1) * query.perPage)
      .execute();
    return { rows, total: Number(counted.n) };
  }

  /**
   * Where new media may go: 422 unless the workspace is the actor's and the folder (if any) is
   * in it; 403 when the role cannot add media.
   */
  async requireWritableTarget(actor: Actor, workspaceId: number, folderId: number | null): Promise<void> {
    await requireWorkspace(this.db, actor, workspaceId, 'add_media');
    if (folderId !== null) await requireFolderIn(this.db, workspaceId, folderId);
  }

  /** A media row the actor can read; 404 for anything else. */
  async get(actor: Actor, id: number): Promise<MediaRow> {
    const row = await this.db.selectFrom('media').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row || !(await roleIn(this.db, actor.userId, row.workspace_id))) throw new NotFoundError();
    return row;
  }

  /** Media rows by id, in the order given; ids that no longer exist are left out. */
  async findInOrder(ids: readonly number[]): Promise<MediaRow[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.selectFrom('media').selectAll().where('id', 'in', [...ids]).execute();
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id)).filter((row): row is MediaRow => row !== undefined);
  }

  /** For serving a signed link: the row and where its bytes are, without an actor. */
  async findForServing(id: number): Promise<{ media: MediaRow; storageKey: string } | undefined> {
    const row = await this.db
      .selectFrom('media')
      .innerJoin('blobs', 'blobs.id', 'media.blob_id')
      .selectAll('media')
      .select('blobs.storage_key')
      .where('media.id', '=', id)
      .executeTakeFirst();
    if (!row) return undefined;
    const { storage_key: storageKey, ...media } = row;
    return { media, storageKey };
  }

  async delete(actor: Actor, id: number): Promise<void> {
    const row = await this.get(actor, id);
    const role = await roleIn(this.db, actor.userId, row.workspace_id);
    if (!role) throw new NotFoundError();
    requireRole(role, 'delete_media');
    await this.release(row.id);
  }

  /** Deletes every media row in the given folders of a workspace. */
  async deleteInFolders(workspaceId: number, folderIds: readonly number[]): Promise<void> {
    if (folderIds.length === 0) return;
    const rows = await this.db
      .selectFrom('media')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('folder_id', 'in', folderIds)
      .execute();
    for (const row of rows) await this.release(row.id);
  }

  /**
   * Removes one media row and drops its blob's reference. The bytes are deleted inside the
   * same transaction, while the blob row is locked, so a concurrent upload of the same bytes
   * either sees the blob before (and keeps it alive) or after (and stores it anew).
   */
  private async release(mediaId: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const media = await trx.deleteFrom('media').where('id', '=', mediaId).returning('blob_id').executeTakeFirst();
      if (!media) return;
      const blob = await trx
        .updateTable('blobs')
        .set((eb) => ({ ref_count: eb('ref_count', '-', 1) }))
        .where('id', '=', media.blob_id)
        .returning(['id', 'ref_count', 'storage_key'])
        .executeTakeFirstOrThrow();
      if (blob.ref_count <= 0) {
        await trx.deleteFrom('blobs').where('id', '=', blob.id).execute();
        await this.storage.delete(blob.storage_key);
      }
    });
  }
}
