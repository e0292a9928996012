import { randomBytes } from 'node:crypto';
import type { Db } from '../db/database.js';

/**
 * Values that must be the same in every instance and survive restarts, kept in the database.
 * The first writer wins; everyone reads back the stored value.
 */
export async function getOrCreateSetting(db: Db, name: string, make: () => string): Promise<string> {
  await db
    .insertInto('settings')
    .values({ name, value: make() })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db.selectFrom('settings').select('value').where('name', '=', name).executeTakeFirstOrThrow();
  return row.value;
}

export async function signingSecret(db: Db, configured: string | undefined): Promise<string> {
  return configured ?? getOrCreateSetting(db, 'signing_secret', () => randomBytes(32).toString('base64url'));
}
