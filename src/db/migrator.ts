import { sql, type Migration, type MigrationProvider, Migrator } from 'kysely';
import type { DatabaseHandle } from './database.js';
import * as initial from './migrations/0001_initial.js';

/** Migrations in order. Each one receives the dialect for the few places the SQL differs. */
function provider(handle: DatabaseHandle): MigrationProvider {
  const list: Record<string, Migration> = {
    '0001_initial': { up: (db) => initial.up(db, handle.dialect) },
  };
  return { getMigrations: () => Promise.resolve(list) };
}

/** Applies every pending migration; safe to run from several processes at once. */
export async function migrateToLatest(handle: DatabaseHandle): Promise<string[]> {
  if (handle.dialect === 'postgres' && handle.schema) {
    await sql`create schema if not exists ${sql.id(handle.schema)}`.execute(handle.db);
  }
  const migrator = new Migrator({
    db: handle.db,
    provider: provider(handle),
    // Without a schema Kysely looks for its tables in every schema and may find another's.
    ...(handle.schema ? { migrationTableSchema: handle.schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(`Migration failed: ${JSON.stringify(error)}`);
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
