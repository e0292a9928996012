import { type Kysely, sql } from 'kysely';
import type { DatabaseHandle, Dialect } from './database.js';
import * as initial from './migrations/0001_initial.js';
import * as idempotency from './migrations/0002_idempotency.js';

interface Migration {
  readonly name: string;
  readonly up: (db: Kysely<unknown>, dialect: Dialect) => Promise<void>;
}

/** Every migration, in order. Names are recorded once applied and never change. */
const MIGRATIONS: readonly Migration[] = [
  { name: '0001_initial', up: initial.up },
  { name: '0002_idempotency', up: idempotency.up },
];

const TABLE = 'intake_migrations';

/**
 * Applies every pending migration in one transaction, so a failure leaves the schema as it was.
 *
 * Written here rather than using Kysely's Migrator, which looks for its tables by introspecting
 * every schema of the database: on a PostgreSQL server where another schema is dropped at the
 * same moment, that introspection fails. This one only touches its own table. On PostgreSQL a
 * transaction-scoped advisory lock (one per schema) lets several processes start at once; on
 * SQLite the immediate write transaction serialises them.
 */
export async function migrateToLatest(handle: DatabaseHandle): Promise<string[]> {
  const db = handle.db as unknown as Kysely<unknown>;
  if (handle.dialect === 'postgres' && handle.schema) {
    await createSchema(db, handle.schema);
  }
  // One connection, one transaction. SQLite takes the write lock at BEGIN IMMEDIATE, so a second
  // process waits (busy timeout) instead of failing when both try to upgrade a read lock.
  return db.connection().execute(async (conn) => {
    await sql.raw(handle.dialect === 'sqlite' ? 'begin immediate' : 'begin').execute(conn);
    try {
      if (handle.dialect === 'postgres') {
        await sql`select pg_advisory_xact_lock(hashtext(${`intake-migrations:${handle.schema ?? 'public'}`}))`.execute(conn);
      }
      await sql`create table if not exists ${sql.table(TABLE)} (name varchar(255) primary key, applied_at varchar(32) not null)`.execute(conn);
      const { rows } = await sql<{ name: string }>`select name from ${sql.table(TABLE)}`.execute(conn);
      const applied = new Set(rows.map((row) => row.name));
      const done: string[] = [];
      for (const migration of MIGRATIONS) {
        if (applied.has(migration.name)) continue;
        await migration.up(conn, handle.dialect);
        await sql`insert into ${sql.table(TABLE)} (name, applied_at) values (${migration.name}, ${new Date().toISOString()})`.execute(conn);
        done.push(migration.name);
      }
      await sql.raw('commit').execute(conn);
      return done;
    } catch (error) {
      await sql.raw('rollback').execute(conn).catch(() => undefined);
      throw error;
    }
  });
}

/** `create schema if not exists` can still collide when two processes run it at once. */
async function createSchema(db: Kysely<unknown>, schema: string): Promise<void> {
  try {
    await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
  } catch (error) {
    if ((error as { code?: unknown }).code !== '23505') throw error;
  }
}
