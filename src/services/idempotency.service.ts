import { createHash } from 'node:crypto';
import type { Db } from '../db/database.js';
import { ConflictError, ValidationError } from '../errors.js';

const TTL_MS = 24 * 3600 * 1000;
/**
 * A pending record older than this belongs to a request whose process died: it is taken over
 * rather than answering 409 for a day. Long enough for the slowest import that can still be
 * running (50 URLs, 4 at a time, each within the default 600-second deadline, is under 3 hours).
 */
const PENDING_LEASE_MS = 6 * 3600 * 1000;
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export type IdempotencyStart<T> = { readonly kind: 'new' } | { readonly kind: 'replay'; readonly saved: T };

/**
 * `Idempotency-Key` for one user: the first request with a key runs, and its answer is kept for
 * 24 hours; the same request again replays it, a different one is 409, and one arriving while
 * the first still runs is 409 too. Records live in the database, so every instance sees them.
 */
export class IdempotencyService {
  constructor(
    private readonly db: Db,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Validates the header value; 422 names it when it is not 1–255 visible ASCII characters. */
  static checkKey(key: string): string {
    if (!KEY_PATTERN.test(key)) {
      throw ValidationError.field('Idempotency-Key', 'The Idempotency-Key header must be 1 to 255 visible ASCII characters.');
    }
    return key;
  }

  static hash(request: unknown): string {
    return createHash('sha256').update(JSON.stringify(request)).digest('hex');
  }

  async start<T>(userId: number, key: string, requestHash: string): Promise<IdempotencyStart<T>> {
    const expired = new Date(this.clock() - TTL_MS).toISOString();
    const abandoned = new Date(this.clock() - PENDING_LEASE_MS).toISOString();
    await this.db
      .deleteFrom('idempotency_keys')
      .where('user_id', '=', userId)
      .where('key', '=', key)
      .where((eb) => eb.or([eb('created_at', '<', expired), eb.and([eb('state', '=', 'pending'), eb('created_at', '<', abandoned)])]))
      .execute();
    const inserted = await this.db
      .insertInto('idempotency_keys')
      .values({ user_id: userId, key, request_hash: requestHash, state: 'pending', response: null, created_at: new Date(this.clock()).toISOString() })
      .onConflict((oc) => oc.columns(['user_id', 'key']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) return { kind: 'new' };
    const row = await this.db
      .selectFrom('idempotency_keys')
      .select(['request_hash', 'state', 'response'])
      .where('user_id', '=', userId)
      .where('key', '=', key)
      .executeTakeFirst();
    // Deleted between our insert and select (expired, or its request failed): run this one.
    if (!row) return this.start(userId, key, requestHash);
    if (row.request_hash !== requestHash) {
      throw new ConflictError('This Idempotency-Key was already used for a different request.');
    }
    if (row.state !== 'done' || row.response === null) {
      throw new ConflictError('A request with this Idempotency-Key is still in progress.');
    }
    return { kind: 'replay', saved: JSON.parse(row.response) as T };
  }

  async finish(userId: number, key: string, saved: unknown): Promise<void> {
    await this.db
      .updateTable('idempotency_keys')
      .set({ state: 'done', response: JSON.stringify(saved) })
      .where('user_id', '=', userId)
      .where('key', '=', key)
      .execute();
  }

  /** Forgets a key whose request failed, so the client may retry with it. */
  async abandon(userId: number, key: string): Promise<void> {
    await this.db.deleteFrom('idempotency_keys').where('user_id', '=', userId).where('key', '=', key).where('state', '=', 'pending').execute();
  }

  /** Removes records past their 24 hours (called now and then). */
  async prune(): Promise<void> {
    await this.db.deleteFrom('idempotency_keys').where('created_at', '<', new Date(this.clock() - TTL_MS).toISOString()).execute();
  }
}

