import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../db/database.js';
import { now } from '../db/database.js';
import { NotFoundError, UsageError } from '../errors.js';
import { type Actor, PERMISSIONS, type Permission, isPermission } from './access.js';

const SECRET_LENGTH = 48;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const TOKEN_PATTERN = /^([1-9][0-9]{0,15})\|([A-Za-z0-9]{40,128})$/;
/** `last_used_at` is refreshed at most this often, so authentication is not a write per request. */
const LAST_USED_PRECISION_MS = 60_000;

export interface CreatedKey {
  readonly id: number;
  /** `<id>|<secret>`: shown once, never stored. */
  readonly token: string;
  readonly permissions: readonly Permission[];
  readonly expiresAt: string | null;
}

export interface KeySummary {
  readonly id: number;
  readonly name: string;
  readonly permissions: readonly Permission[];
  readonly expires_at: string | null;
  readonly revoked_at: string | null;
  readonly last_used_at: string | null;
  readonly created_at: string;
}

/** Unbiased random secret from a 62-character alphabet. */
function randomSecret(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length)) {
      // 248 = 62 * 4: bytes above it would favour the first characters.
      if (byte < 248 && out.length < length) out += ALPHABET[byte % 62];
    }
  }
  return out;
}

function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}

function parsePermissions(json: string): Permission[] {
  const parsed: unknown = JSON.parse(json);
  return Array.isArray(parsed) ? parsed.filter((p): p is Permission => typeof p === 'string' && isPermission(p)) : [];
}

/** API keys: created with a permission list and optional expiry, stored hashed, revocable. */
export class KeysService {
  constructor(private readonly db: Db) {}

  async create(
    userId: number,
    options: { name?: string; permissions?: readonly string[]; expiresInDays?: number } = {},
  ): Promise<CreatedKey> {
    const requested = options.permissions ?? PERMISSIONS;
    const unknown = requested.filter((p) => !isPermission(p));
    if (unknown.length > 0) {
      throw new UsageError(`Unknown permission(s): ${unknown.join(', ')}. Known: ${PERMISSIONS.join(', ')}`);
    }
    if (requested.length === 0) throw new UsageError('A key needs at least one permission.');
    const permissions = [...new Set(requested)] as Permission[];
    const days = options.expiresInDays;
    if (days !== undefined && (!Number.isFinite(days) || days <= 0)) {
      throw new UsageError('--expires-in-days must be a positive number.');
    }
    const expiresAt = days === undefined ? null : new Date(Date.now() + days * 86_400_000).toISOString();
    const secret = randomSecret(SECRET_LENGTH);
    const row = await this.db
      .insertInto('api_keys')
      .values({
        user_id: userId,
        name: options.name ?? 'default',
        secret_hash: hashSecret(secret).toString('hex'),
        permissions: JSON.stringify(permissions),
        expires_at: expiresAt,
        revoked_at: null,
        last_used_at: null,
        created_at: now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: row.id, token: `${row.id}|${secret}`, permissions, expiresAt };
  }

  /** The actor behind a bearer token, or null for a malformed, unknown, expired or revoked key. */
  async authenticate(token: string): Promise<Actor | null> {
    const match = TOKEN_PATTERN.exec(token);
    if (!match) return null;
    const id = Number(match[1]);
    const secret = match[2] ?? '';
    const row = await this.db
      .selectFrom('api_keys')
      .select(['id', 'user_id', 'secret_hash', 'permissions', 'expires_at', 'revoked_at', 'last_used_at'])
      .where('id', '=', id)
      .executeTakeFirst();
    // Hash even when the key is unknown so both paths cost the same.
    const presented = hashSecret(secret);
    const stored = row ? Buffer.from(row.secret_hash, 'hex') : Buffer.alloc(presented.length);
    const equal = stored.length === presented.length && timingSafeEqual(stored, presented);
    if (!row || !equal || row.revoked_at !== null) return null;
    const current = Date.now();
    if (row.expires_at !== null && Date.parse(row.expires_at) <= current) return null;
    if (row.last_used_at === null || current - Date.parse(row.last_used_at) > LAST_USED_PRECISION_MS) {
      await this.db
        .updateTable('api_keys')
        .set({ last_used_at: new Date(current).toISOString() })
        .where('id', '=', row.id)
        .execute();
    }
    return { userId: row.user_id, keyId: row.id, permissions: new Set(parsePermissions(row.permissions)) };
  }

  async list(userId: number): Promise<KeySummary[]> {
    const rows = await this.db
      .selectFrom('api_keys')
      .select(['id', 'name', 'permissions', 'expires_at', 'revoked_at', 'last_used_at', 'created_at'])
      .where('user_id', '=', userId)
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ ...r, permissions: parsePermissions(r.permissions) }));
  }

  async revoke(keyId: number): Promise<void> {
    const result = await this.db
      .updateTable('api_keys')
      .set({ revoked_at: now() })
      .where('id', '=', keyId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) {
      const exists = await this.db.selectFrom('api_keys').select('id').where('id', '=', keyId).executeTakeFirst();
      if (!exists) throw new NotFoundError();
    }
  }
}
