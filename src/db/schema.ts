import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** Timestamps are stored as ISO-8601 UTC strings on both dialects, so they sort as text. */
type Timestamp = string;

export type Role = 'owner' | 'admin' | 'editor' | 'viewer';
export type MediaType = 'image' | 'video' | 'document';

export interface UsersTable {
  id: Generated<number>;
  email: string;
  name: string | null;
  created_at: Timestamp;
}

export interface WorkspacesTable {
  id: Generated<number>;
  name: string;
  created_at: Timestamp;
}

export interface MembersTable {
  workspace_id: number;
  user_id: number;
  role: Role;
  created_at: Timestamp;
}

export interface ApiKeysTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  /** SHA-256 of the secret, hex. The secret itself is never stored. */
  secret_hash: string;
  /** JSON array of permission names. */
  permissions: string;
  expires_at: Timestamp | null;
  revoked_at: Timestamp | null;
  last_used_at: Timestamp | null;
  created_at: Timestamp;
}

export interface FoldersTable {
  id: Generated<number>;
  workspace_id: number;
  parent_id: number | null;
  name: string;
  color: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Stored bytes, content-addressed per workspace; `ref_count` media rows use them. */
export interface BlobsTable {
  id: Generated<number>;
  workspace_id: number;
  sha256: string;
  size: number;
  mime_type: string;
  storage_key: string;
  ref_count: number;
  created_at: Timestamp;
}

export interface MediaTable {
  id: Generated<number>;
  workspace_id: number;
  folder_id: number | null;
  blob_id: number;
  name: string;
  mime_type: string;
  type: MediaType;
  size: number;
  width: number | null;
  height: number | null;
  duration: number | null;
  alt: string | null;
  source_url: string | null;
  /** JSON `{author, author_url, source, page_url}` or null. */
  attribution: string | null;
  is_processing: ColumnType<number, number | undefined, number>;
  progress: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
}

export interface RateLimitsTable {
  user_id: number;
  window_start: number;
  hits: number;
}

export interface IdempotencyKeysTable {
  user_id: number;
  key: string;
  /** SHA-256 of the request it answered, to tell a replay from a different request. */
  request_hash: string;
  state: 'pending' | 'done';
  /** JSON of what to replay once done. */
  response: string | null;
  created_at: Timestamp;
}

export interface SettingsTable {
  name: string;
  value: string;
}

export interface Database {
  users: UsersTable;
  workspaces: WorkspacesTable;
  members: MembersTable;
  api_keys: ApiKeysTable;
  folders: FoldersTable;
  blobs: BlobsTable;
  media: MediaTable;
  rate_limits: RateLimitsTable;
  settings: SettingsTable;
  idempotency_keys: IdempotencyKeysTable;
}

export type User = Selectable<UsersTable>;
export type Workspace = Selectable<WorkspacesTable>;
export type ApiKeyRow = Selectable<ApiKeysTable>;
export type Folder = Selectable<FoldersTable>;
export type Blob = Selectable<BlobsTable>;
export type MediaRow = Selectable<MediaTable>;
export type NewMediaRow = Insertable<MediaTable>;
