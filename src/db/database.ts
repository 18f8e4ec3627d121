import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';

export type Dialect = 'sqlite' | 'postgres';

/** A database handle or an open transaction: repositories accept either as their first argument. */
export type Executor = Kysely<Database> | Transaction<Database>;

export interface Db {
  kysely: Kysely<Database>;
  dialect: Dialect;
  /** PostgreSQL schema this handle is bound to (tests use one per run). */
  schema?: string;
  /**
   * SQLite only: a consistent copy of the live database into `file` with SQLite's online backup
   * API, while the server keeps reading and writing.
   */
  backup?(file: string): Promise<void>;
  close(): Promise<void>;
}

// PostgreSQL returns int8 (bigint, COUNT(*)) as strings; our millisecond timestamps and counts fit
// safely in a double, so parse them as numbers and both dialects return identical values.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));
// numeric (e.g. AVG) as numbers too.
pg.types.setTypeParser(1700, (v) => Number.parseFloat(v));

export interface OpenOptions {
  /** PostgreSQL: connect with this search_path (created if missing). */
  schema?: string;
  poolSize?: number;
}

/**
 * Opens the database named by a URL: `postgres://…` for PostgreSQL, `sqlite:path` (or a bare path,
 * or `sqlite::memory:`) for the embedded SQLite database.
 */
export async function openDatabase(url: string, options: OpenOptions = {}): Promise<Db> {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const schema = options.schema;
    if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
      throw new Error(`Invalid PostgreSQL schema name: ${schema}`);
    }
    if (schema) {
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      } finally {
        await admin.end();
      }
    }
    const pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? 10,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return {
      kysely,
      dialect: 'postgres',
      ...(schema ? { schema } : {}),
      close: () => kysely.destroy(),
    };
  }
  const file = url.replace(/^sqlite:/, '');
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // A 64 MB page cache and memory-mapped reads keep the indexes of a busy installation in memory;
  // the default 2 MB cache made every answer re-read index pages from the OS.
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('mmap_size = 268435456');
  sqlite.pragma('temp_store = memory');
  sqlite.pragma('wal_autocheckpoint = 4000');
  const kysely = new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
  });
  return {
    kysely,
    dialect: 'sqlite',
    backup: async (target) => {
      await sqlite.backup(target);
    },
    close: () => kysely.destroy(),
  };
}

/**
 * Kysely prepares every SQLite statement anew; preparing costs more than running the small queries
 * of a request. Statements are reusable, so keep the most recent ones by their SQL text.
 */
function withStatementCache(sqlite: SqliteDatabase.Database, size = 500): SqliteDatabase.Database {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return new Proxy(sqlite, {
    get(target, property, receiver) {
      if (property !== 'prepare') {
        const value = Reflect.get(target, property, receiver) as unknown;
        return typeof value === 'function'
          ? (value as (...a: unknown[]) => unknown).bind(target)
          : value;
      }
      return (source: string) => {
        let statement = cache.get(source);
        if (statement) {
          cache.delete(source);
        } else {
          statement = target.prepare(source);
          if (cache.size >= size) cache.delete(cache.keys().next().value as string);
        }
        cache.set(source, statement);
        return statement;
      };
    },
  });
}
