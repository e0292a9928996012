import type { Db } from '../db/database.js';
import { now } from '../db/database.js';
import type { Folder } from '../db/schema.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { type Actor, requireFolderIn, requireRole, requireWorkspace, roleIn, rolesOf } from './access.js';
import type { MediaService } from './media.service.js';

export const DEFAULT_FOLDER_COLOR = '#4F46E5';

export interface FolderFilter {
  readonly workspaceId?: number;
  readonly rootOnly?: boolean;
  readonly parentId?: number;
}

export interface FolderChanges {
  readonly name?: string;
  readonly color?: string;
  /** `null` moves the folder to the root. */
  readonly parentId?: number | null;
}

/** Nested folders per workspace. Deleting one deletes its subfolders and all their media. */
export class FoldersService {
  constructor(
    private readonly db: Db,
    private readonly media: MediaService,
  ) {}

  async list(actor: Actor, filter: FolderFilter): Promise<Folder[]> {
    if (filter.workspaceId !== undefined) {
      await requireWorkspace(this.db, actor, filter.workspaceId, 'read');
    }
    const workspaceIds = filter.workspaceId !== undefined ? [filter.workspaceId] : [...(await rolesOf(this.db, actor.userId)).keys()];
    if (workspaceIds.length === 0) return [];
    let query = this.db.selectFrom('folders').selectAll().where('workspace_id', 'in', workspaceIds);
    if (filter.parentId !== undefined) query = query.where('parent_id', '=', filter.parentId);
    else if (filter.rootOnly) query = query.where('parent_id', 'is', null);
    return query.orderBy('workspace_id').orderBy('name').orderBy('id').execute();
  }

  async create(actor: Actor, input: { workspaceId: number; name: string; color?: string; parentId?: number | null }): Promise<Folder> {
    await requireWorkspace(this.db, actor, input.workspaceId, 'manage_folders');
    if (input.parentId != null) await requireFolderIn(this.db, input.workspaceId, input.parentId, 'parent_id');
    const at = now();
    return this.db
      .insertInto('folders')
      .values({
        workspace_id: input.workspaceId,
        parent_id: input.parentId ?? null,
        name: input.name,
        color: input.color ?? DEFAULT_FOLDER_COLOR,
        created_at: at,
        updated_at: at,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** A folder the actor can read, with its parent; 404 for anything else. */
  async get(actor: Actor, id: number): Promise<{ folder: Folder; parent: Folder | null }> {
    const folder = await this.findReadable(actor, id);
    const parent =
      folder.parent_id === null
        ? null
        : ((await this.db.selectFrom('folders').selectAll().where('id', '=', folder.parent_id).executeTakeFirst()) ?? null);
    return { folder, parent };
  }

  async update(actor: Actor, id: number, changes: FolderChanges): Promise<Folder> {
    const folder = await this.findReadable(actor, id);
    await this.requireManager(actor, folder.workspace_id);
    if (changes.parentId != null) {
      await requireFolderIn(this.db, folder.workspace_id, changes.parentId, 'parent_id');
      if (await this.isSelfOrDescendant(folder.id, changes.parentId)) {
        throw ValidationError.field('parent_id', 'A folder cannot be moved into itself or one of its subfolders.');
      }
    }
    return this.db
      .updateTable('folders')
      .set({
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.color !== undefined ? { color: changes.color } : {}),
        ...(changes.parentId !== undefined ? { parent_id: changes.parentId } : {}),
        updated_at: now(),
      })
      .where('id', '=', folder.id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** Deletes the folder, its subfolders and their media (releasing blobs no other media uses). */
  async delete(actor: Actor, id: number): Promise<void> {
    const folder = await this.findReadable(actor, id);
    await this.requireManager(actor, folder.workspace_id);
    const ids = await this.subtree(folder.id);
    await this.media.deleteInFolders(folder.workspace_id, ids);
    // Children first, so parent references never dangle.
    for (const folderId of [...ids].reverse()) {
      await this.db.deleteFrom('folders').where('id', '=', folderId).execute();
    }
  }

  private async requireManager(actor: Actor, workspaceId: number): Promise<void> {
    const role = await roleIn(this.db, actor.userId, workspaceId);
    if (!role) throw new NotFoundError();
    requireRole(role, 'manage_folders');
  }

  private async findReadable(actor: Actor, id: number): Promise<Folder> {
    const folder = await this.db.selectFrom('folders').selectAll().where('id', '=', id).executeTakeFirst();
    if (!folder || !(await roleIn(this.db, actor.userId, folder.workspace_id))) throw new NotFoundError();
    return folder;
  }

  /** The folder and all folders below it, parents before children. */
  private async subtree(rootId: number): Promise<number[]> {
    const ids = [rootId];
    for (let i = 0; i < ids.length; i += 1) {
      const children = await this.db.selectFrom('folders').select('id').where('parent_id', '=', ids[i] ?? -1).execute();
      for (const child of children) if (!ids.includes(child.id)) ids.push(child.id);
    }
    return ids;
  }

  private async isSelfOrDescendant(folderId: number, candidateId: number): Promise<boolean> {
    return (await this.subtree(folderId)).includes(candidateId);
  }
}
