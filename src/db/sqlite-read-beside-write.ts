import type SqliteDatabase from 'better-sqlite3';
import {
  CompiledQuery,
  SelectQueryNode,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type QueryCompiler,
  type QueryResult,
} from 'kysely';

/**
 * SQLite with a second connection for reads (issue 13: "during a 100,000-row import on SQLite
 * every other request waits 4–6 s"). Kysely's SQLite driver has one connection, so a long write
 * transaction — an import's commit, an answer batch — held every other query of the process until
 * it ended. In WAL mode a reader sees the last committed state beside a writer and never waits for
 * it, so here:
 *
 * - a transaction, and every statement that may write, runs on the one writer connection, in turn,
 *   as before (SQLite has one writer);
 * - a read outside a transaction — a select, or a raw `select`/`with` statement that SQLite itself
 *   says does not write (`Statement.readonly`) — runs at once on the reader connection, on what is
 *   committed.
 *
 * A read inside a transaction uses the transaction's connection, so it sees its own writes; a read
 * after a commit sees that commit. What a read outside a transaction can no longer do is wait for a
 * transaction in flight: it reads the state before it, as on PostgreSQL.
 */
export class ReadBesideWriteDialect extends SqliteDialect {
  readonly #writer: SqliteDatabase.Database;
  readonly #reader: SqliteDatabase.Database;

  constructor(writer: SqliteDatabase.Database, reader: SqliteDatabase.Database) {
    super({ database: writer });
    this.#writer = writer;
    this.#reader = reader;
  }

  override createDriver(): Driver {
    return new ReadBesideWriteDriver(new SqliteDriver({ database: this.#writer }), this.#reader);
  }
}

/** Raw statements that may go to the reader: those that begin as a query does. */
const READ_TEXT = /^\s*(select|with)\b/i;

class ReadBesideWriteDriver implements Driver {
  readonly #writer: SqliteDriver;
  readonly #reader: SqliteDatabase.Database;

  constructor(writer: SqliteDriver, reader: SqliteDatabase.Database) {
    this.#writer = writer;
    this.#reader = reader;
  }

  async init(): Promise<void> {
    await this.#writer.init();
  }

  /** A handle that takes the writer only when a transaction begins or a statement may write. */
  acquireConnection(): Promise<DatabaseConnection> {
    return Promise.resolve(new RoutedConnection(this.#writer, this.#reader));
  }

  /**
   * `BEGIN IMMEDIATE`: the file's write lock is taken at the start (waiting up to the busy timeout
   * for another process that holds it), not at the first write. A deferred transaction that reads
   * before it writes — most do: an answer batch looks its invitations up first — fails with
   * SQLITE_BUSY_SNAPSHOT, at once and without waiting, when another process (a CLI import, a
   * second `loyaal` beside the server) commits between its first read and its first write. Reads
   * that need no transaction do not come here; they run on the reader.
   */
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const writer = await (connection as RoutedConnection).holdWriter();
    await writer.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await this.#writer.commitTransaction((connection as RoutedConnection).heldWriter());
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await this.#writer.rollbackTransaction((connection as RoutedConnection).heldWriter());
  }

  async savepoint(
    connection: DatabaseConnection,
    name: string,
    compileQuery: QueryCompiler['compileQuery'],
  ): Promise<void> {
    const writer = (connection as RoutedConnection).heldWriter();
    await this.#writer.savepoint(writer, name, compileQuery);
  }

  async rollbackToSavepoint(
    connection: DatabaseConnection,
    name: string,
    compileQuery: QueryCompiler['compileQuery'],
  ): Promise<void> {
    const writer = (connection as RoutedConnection).heldWriter();
    await this.#writer.rollbackToSavepoint(writer, name, compileQuery);
  }

  async releaseSavepoint(
    connection: DatabaseConnection,
    name: string,
    compileQuery: QueryCompiler['compileQuery'],
  ): Promise<void> {
    const writer = (connection as RoutedConnection).heldWriter();
    await this.#writer.releaseSavepoint(writer, name, compileQuery);
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    await (connection as RoutedConnection).release();
  }

  async destroy(): Promise<void> {
    try {
      await this.#writer.destroy();
    } finally {
      this.#reader.close();
    }
  }
}

class RoutedConnection implements DatabaseConnection {
  readonly #driver: SqliteDriver;
  readonly #reader: SqliteDatabase.Database;
  #held: DatabaseConnection | undefined;

  constructor(driver: SqliteDriver, reader: SqliteDatabase.Database) {
    this.#driver = driver;
    this.#reader = reader;
  }

  /** Waits for the writer connection and keeps it until `release`. */
  async holdWriter(): Promise<DatabaseConnection> {
    this.#held ??= await this.#driver.acquireConnection();
    return this.#held;
  }

  heldWriter(): DatabaseConnection {
    if (!this.#held) throw new Error('no transaction on this connection');
    return this.#held;
  }

  async release(): Promise<void> {
    const held = this.#held;
    this.#held = undefined;
    if (held) await this.#driver.releaseConnection();
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    if (this.#held) return this.#held.executeQuery<R>(compiled);
    const read = this.#readStatement(compiled);
    if (read) return { rows: read.all(compiled.parameters) as R[] };
    // A write outside a transaction: on the writer, in turn with the transactions.
    const writer = await this.#driver.acquireConnection();
    try {
      return await writer.executeQuery<R>(compiled);
    } finally {
      await this.#driver.releaseConnection();
    }
  }

  /** Streams run on the writer, held until the stream ends (Kysely then releases it). */
  async *streamQuery<R>(
    compiled: CompiledQuery,
    chunkSize?: number,
  ): AsyncIterableIterator<QueryResult<R>> {
    const writer = this.#held ?? (await this.holdWriter());
    yield* writer.streamQuery<R>(compiled, chunkSize);
  }

  /** The prepared statement on the reader, if this is a read that may run there. */
  #readStatement(compiled: CompiledQuery): SqliteDatabase.Statement | undefined {
    const query = compiled.query;
    const select = SelectQueryNode.is(query);
    if (!select && !(query.kind === 'RawNode' && READ_TEXT.test(compiled.sql))) return undefined;
    const statement = this.#reader.prepare(compiled.sql);
    return statement.readonly && statement.reader ? statement : undefined;
  }
}
