import type { Db } from '../db/database.js';
import type { Role } from '../db/schema.js';
import { ForbiddenError, ValidationError } from '../errors.js';

export const PERMISSIONS = [
  'workspaces:read',
  'media:read',
  'media:create',
  'media:delete',
  'folders:read',
  'folders:write',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLES = ['owner', 'admin', 'editor', 'viewer'] as const satisfies readonly Role[];

export type Capability = 'read' | 'add_media' | 'delete_media' | 'manage_folders' | 'manage_members';

const ROLE_CAPABILITIES: Record<Role, ReadonlySet<Capability>> = {
  owner: new Set(['read', 'add_media', 'delete_media', 'manage_folders', 'manage_members']),
  admin: new Set(['read', 'add_media', 'delete_media', 'manage_folders', 'manage_members']),
  editor: new Set(['read', 'add_media', 'delete_media', 'manage_folders']),
  viewer: new Set(['read']),
};

const CAPABILITY_WORDS: Record<Capability, string> = {
  read: 'read this workspace',
  add_media: 'add media',
  delete_media: 'delete media',
  manage_folders: 'change folders',
  manage_members: 'manage members',
};

/** Who is calling: a user, through one of their keys, holding some permissions. */
export interface Actor {
  readonly userId: number;
  readonly keyId: number;
  readonly permissions: ReadonlySet<Permission>;
}

export function isPermission(value: string): value is Permission {
  return (PERMISSIONS as readonly string[]).includes(value);
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** 403 unless the key carries the permission. Checked before anything else about a request. */
export function requirePermission(actor: Actor, permission: Permission): void {
  if (!actor.permissions.has(permission)) {
    throw new ForbiddenError(`This API key does not have the "${permission}" permission.`);
  }
}

export function roleCan(role: Role, capability: Capability): boolean {
  return ROLE_CAPABILITIES[role].has(capability);
}

/** Workspace memberships of a user, keyed by workspace id. */
export async function rolesOf(db: Db, userId: number): Promise<Map<number, Role>> {
  const rows = await db
    .selectFrom('members')
    .select(['workspace_id', 'role'])
    .where('user_id', '=', userId)
    .execute();
  return new Map(rows.map((r) => [r.workspace_id, r.role]));
}

export async function roleIn(db: Db, userId: number, workspaceId: number): Promise<Role | null> {
  const row = await db
    .selectFrom('members')
    .select('role')
    .where('user_id', '=', userId)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  return row?.role ?? null;
}

/**
 * A workspace named in a request body or query: 422 when the user is not a member (nobody learns
 * which workspaces exist), 403 when their role lacks the capability.
 */
export async function requireWorkspace(
  db: Db,
  actor: Actor,
  workspaceId: number,
  capability: Capability,
  field = 'workspace_id',
): Promise<Role> {
  const role = await roleIn(db, actor.userId, workspaceId);
  if (!role) throw ValidationError.field(field, 'The selected workspace id is invalid.');
  requireRole(role, capability);
  return role;
}

/** 403 when the role lacks the capability. */
export function requireRole(role: Role, capability: Capability): void {
  if (!roleCan(role, capability)) {
    throw new ForbiddenError(`Your role in this workspace cannot ${CAPABILITY_WORDS[capability]}.`);
  }
}

/** 422 on `field` unless `folderId` is a folder of the workspace. */
export async function requireFolderIn(db: Db, workspaceId: number, folderId: number, field = 'folder_id'): Promise<void> {
  const row = await db
    .selectFrom('folders')
    .select('id')
    .where('id', '=', folderId)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  if (!row) throw ValidationError.field(field, `The selected ${field.replace('_', ' ')} is invalid.`);
}
