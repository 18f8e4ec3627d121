import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import {
  Kysely,
  PostgresDialect,
  SqliteDialect,
  type PostgresCursor,
  type PostgresPool,
  type PostgresPoolClient,
  type PostgresQueryResult,
  type Transaction,
} from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';
import { startCheckpointer } from './sqlite-checkpointer.ts';
import { ReadBesideWriteDialect } from './sqlite-read-beside-write.ts';

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
  /**
   * Where a lost connection is reported (PostgreSQL). The pool drops the connection and opens a new
   * one for the next query; the default writes one line to stderr, the server sends it to its log.
   */
  onConnectionError(listener: (error: Error) => void): void;
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
  /**
   * SQLite file only: checkpoint the WAL in a background thread (sqlite-checkpointer.ts), so that
   * answer batches do not wait for checkpoints. The server and the worker turn it on; a short-lived
   * command does not need it.
   */
  backgroundCheckpoint?: boolean;
}

/** How long a request waits for a new PostgreSQL connection before it is told the database is gone. */
export const CONNECT_TIMEOUT_MS = 5_000;

// Errors of the driver that mean "the database cannot be reached right now", not "this query is
// wrong": the server is down or restarting, the connection was cut, or it cannot take more clients.
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  // PostgreSQL: admin_shutdown, crash_shutdown, cannot_connect_now (starting up), too_many_connections.
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);
// node-postgres reports a cut connection with these messages and no code.
const UNREACHABLE_MESSAGES = [
  'Connection terminated',
  'connection error and is not queryable',
  'timeout exceeded when trying to connect',
  'Connection terminated due to connection timeout',
];

/**
 * True when an error means the database is unreachable (stopped, restarting, connection cut) or, on
 * SQLite, held by another process's write (SQLITE_BUSY: past the busy timeout, or at once when a
 * transaction that has read must write), so the caller answers "try again in a moment" (503)
 * instead of reporting a bug. Follows `cause`.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (UNREACHABLE_CODES.has(code) || code.startsWith('08'))) {
      return true;
    }
    // SQLite: another process holds the write lock (SQLITE_BUSY, or an extended SQLITE_BUSY_…).
    if (typeof code === 'string' && (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_'))) {
      return true;
    }
    if (UNREACHABLE_MESSAGES.some((m) => e instanceof Error && e.message.includes(m))) return true;
    e = e.cause;
  }
  return false;
}

/**
 * True when the database has no room left: SQLite's SQLITE_FULL (the disk, or max_page_count) or
 * PostgreSQL's disk_full (53100). Nothing was written; the operator must make room.
 */
export function isStorageFull(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (code === 'SQLITE_FULL' || code === '53100') return true;
    e = e.cause;
  }
  return false;
}

const describeError = (error: Error): string => {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? `${code} ${error.message}` : error.message;
};

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
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      keepAlive: true,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    // A connection that dies (PostgreSQL restarted, a backend terminated, the network cut) emits
    // 'error'; with no listener Node ends the process. The pool drops an idle dead connection by
    // itself; a checked-out one fails its next query, which the request answers with a 503. Both
    // need a listener: the pool's for idle connections, each client's for checked-out ones.
    let report = (error: Error) => {
      console.warn(`database connection lost: ${describeError(error)}`);
    };
    // The pool passes on an idle connection's error, which the connection's own listener reported.
    pool.on('error', () => undefined);
    pool.on('connect', (client) => {
      client.on('error', (error) => report(error));
    });
    const kysely = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: new DiscardingPool(pool) }),
    });
    return {
      kysely,
      dialect: 'postgres',
      ...(schema ? { schema } : {}),
      onConnectionError(listener) {
        report = listener;
      },
      close: () => kysely.destroy(),
    };
  }
  const file = url.replace(/^sqlite:/, '');
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new SqliteDatabase(file);
  const journal: unknown = sqlite.pragma('journal_mode = WAL', { simple: true });
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // A 64 MB page cache and memory-mapped reads keep the indexes of a busy installation in memory;
  // the default 2 MB cache made every answer re-read index pages from the OS.
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('mmap_size = 268435456');
  sqlite.pragma('temp_store = memory');
  sqlite.pragma('wal_autocheckpoint = 4000');
  const wal = journal === 'wal' && file.trim() !== '' && file.trim() !== ':memory:';
  const checkpointer =
    wal && options.backgroundCheckpoint ? startCheckpointer(path.resolve(file)) : undefined;
  const kysely = new Kysely<Database>({
    // A reader beside the writer needs WAL; a private database (in memory, or temporary for an
    // empty name) has no second connection to it.
    dialect: !wal
      ? new SqliteDialect({ database: withStatementCache(sqlite) })
      : new ReadBesideWriteDialect(
          withStatementCache(sqlite),
          withStatementCache(reader(sqlite, file)),
        ),
  });
  return {
    kysely,
    dialect: 'sqlite',
    backup: async (target) => {
      await sqlite.backup(target);
    },
    // An embedded database has no connection to lose.
    onConnectionError: () => undefined,
    close: async () => {
      await checkpointer?.stop();
      await kysely.destroy();
    },
  };
}

/**
 * The second connection to a SQLite file, for reads beside the writer (sqlite-read-beside-write.ts):
 * it can only read (`query_only`), and caches as the writer does.
 */
function reader(writer: SqliteDatabase.Database, file: string): SqliteDatabase.Database {
  let sqlite: SqliteDatabase.Database | undefined;
  try {
    sqlite = new SqliteDatabase(file);
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('query_only = ON');
    sqlite.pragma('cache_size = -65536');
    sqlite.pragma('mmap_size = 268435456');
    sqlite.pragma('temp_store = memory');
    return sqlite;
  } catch (error) {
    sqlite?.close();
    writer.close();
    throw error;
  }
}

/**
 * A connection whose query failed because the connection itself broke (its backend terminated) is
 * discarded when Kysely releases it, instead of going back to the pool: node-postgres learns that
 * the socket closed a moment later, and a request picking the connection up in that moment would
 * fail too.
 */
class DiscardingClient implements PostgresPoolClient {
  #client: pg.PoolClient;
  #broken: Error | undefined;

  constructor(client: pg.PoolClient) {
    this.#client = client;
  }

  query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
  query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  query<R>(
    source: string | PostgresCursor<R>,
    parameters?: ReadonlyArray<unknown>,
  ): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
    if (typeof source !== 'string') {
      return (this.#client as unknown as PostgresPoolClient).query(source);
    }
    return (
      this.#client.query(source, parameters as unknown[]) as unknown as Promise<
        PostgresQueryResult<R>
      >
    ).catch((error: unknown) => {
      if (isDatabaseUnavailable(error)) this.#broken = error as Error;
      throw error;
    });
  }

  release(): void {
    this.#client.release(this.#broken);
  }
}

class DiscardingPool implements PostgresPool {
  #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async connect(): Promise<PostgresPoolClient> {
    return new DiscardingClient(await this.#pool.connect());
  }

  end(): Promise<void> {
    return this.#pool.end();
  }
}

/**
 * Kysely prepares every SQLite statement anew; preparing costs more than running the small queries
 * of a request. Statements are reusable, so keep the most recent ones by their SQL text.
 */
const NO_OP_STATEMENT = {
  reader: false,
  run: () => ({ changes: 0, lastInsertRowid: 0 }),
} as unknown as SqliteDatabase.Statement;

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
        // SQLite rolls a transaction back by itself on some errors (SQLITE_FULL, SQLITE_IOERR);
        // Kysely's ROLLBACK then fails with "cannot rollback - no transaction is active", and that
        // error replaced the real one. Without an open transaction, ROLLBACK does nothing.
        if (source === 'rollback' && !target.inTransaction) return NO_OP_STATEMENT;
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
