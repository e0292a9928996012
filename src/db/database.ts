import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import type pg from 'pg';
import type { DatabaseConfig } from '../config.js';
import type { Database } from './schema.js';

export type Dialect = DatabaseConfig['kind'];
export type Db = Kysely<Database>;

export interface DatabaseHandle {
  readonly db: Db;
  readonly dialect: Dialect;
  /** PostgreSQL schema the tables live in (search_path); undefined on SQLite. */
  readonly schema?: string;
  /** Round trip to the database; throws when it cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

// Only the driver of the configured database is loaded: each costs memory in every process.
const require = createRequire(import.meta.url);

// int8 (bigint) columns hold sizes and counts well below 2^53; read them as numbers.
const PG_INT8_OID = 20;
function pgTypes(driver: typeof pg) {
  return {
    getTypeParser: ((oid: number, format?: 'text' | 'binary'): unknown =>
      oid === PG_INT8_OID ? (value: string) => Number(value) : (driver.types.getTypeParser(oid, format) as unknown)) as typeof pg.types.getTypeParser,
  };
}

/** Opens the configured database. Nothing is created on PostgreSQL until migrations run. */
export function openDatabase(config: DatabaseConfig): DatabaseHandle {
  if (config.kind === 'sqlite') {
    fs.mkdirSync(path.dirname(config.file), { recursive: true });
    const Sqlite = require('better-sqlite3') as typeof SqliteDatabase;
    const native = new Sqlite(config.file);
    native.pragma('journal_mode = WAL');
    native.pragma('synchronous = NORMAL');
    native.pragma('foreign_keys = ON');
    native.pragma('busy_timeout = 5000');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: native }) });
    return {
      db,
      dialect: 'sqlite',
      ping: async () => {
        await sql`select 1`.execute(db);
      },
      close: () => db.destroy(),
    };
  }

  const driver = require('pg') as typeof pg;
  const pool = new driver.Pool({
    connectionString: config.url,
    max: 10,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000,
    options: `-c search_path=${config.schema}`,
    types: pgTypes(driver),
  });
  // An idle client losing its connection must not crash the process; the next query fails instead.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: 'postgres',
    schema: config.schema,
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  // PostgreSQL: connection exceptions, server shutting down, too many connections
  '08000',
  '08003',
  '08006',
  '08001',
  '08004',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  // SQLite: the file cannot be opened, read or locked
  'SQLITE_BUSY',
  'SQLITE_CANTOPEN',
  'SQLITE_IOERR',
  'SQLITE_FULL',
  'SQLITE_READONLY',
]);

const UNAVAILABLE_MESSAGES = [
  /Connection terminated/i,
  /connection timeout/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error/i,
  /driver has already been destroyed/i,
];

/** True when an error means "the database cannot be reached", not "the query is wrong". */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('SQLITE_IOERR'))) {
    return true;
  }
  if (error instanceof AggregateError && error.errors.some(isDatabaseUnavailable)) return true;
  return UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(error.message));
}

/** Current time as stored in timestamp columns. */
export function now(): string {
  return new Date().toISOString();
}
