import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.ts';
import { newId } from '../../src/shared/ids.ts';
import { freshDatabase } from '../support/databases.ts';

/**
 * Issue 13: on SQLite a long write transaction (an import's commit, an answer batch) held every
 * other query of the process. Reads outside a transaction now run on a second connection beside
 * the writer (src/db/sqlite-read-beside-write.ts); transactions and writes stay on the one writer.
 */
describe('SQLite: reads beside the writer', () => {
  let dir: string;
  let db: Db;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'loyaal-readers-'));
    db = await freshDatabase('sqlite', { file: path.join(dir, 'loyaal.db') });
  });
  afterAll(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const organisation = (name: string) => ({
    id: newId(),
    name,
    locale: 'nl' as const,
    settings: '{}',
    created_at: 1,
    updated_at: 1,
  });
  const mine = new Set(['Al Vastgelegd', 'Binnen Transactie', 'Daarna']);
  /** The organisations the first test makes, by name (the other test makes its own). */
  const names = async () =>
    (await db.kysely.selectFrom('organisations').select('name').orderBy('name').execute())
      .map((r) => r.name)
      .filter((name) => mine.has(name));

  it('a read answers while a transaction is open, from what is committed; a write waits its turn', async () => {
    await db.kysely.insertInto('organisations').values(organisation('Al Vastgelegd')).execute();
    const order: string[] = [];
    let finish = () => {};
    const finished = new Promise<void>((resolve) => (finish = resolve));
    let inserted = (_names: string[]) => {};
    const insertedInside = new Promise<string[]>((resolve) => (inserted = resolve));
    const transaction = db.kysely.transaction().execute(async (trx) => {
      try {
        await trx.insertInto('organisations').values(organisation('Binnen Transactie')).execute();
        const inside = await trx
          .selectFrom('organisations')
          .select('name')
          .orderBy('name')
          .execute();
        inserted(inside.map((r) => r.name).filter((name) => mine.has(name)));
      } finally {
        inserted([]);
      }
      await finished;
    });
    // Inside the transaction its own write is seen.
    expect(await insertedInside).toEqual(['Al Vastgelegd', 'Binnen Transactie']);
    // With the transaction still open: the read does not wait for it and sees the committed state.
    expect(await names()).toEqual(['Al Vastgelegd']);
    const raw = await sql<{
      name: string;
    }>`with o as (select name from organisations) select name from o where name = 'Binnen Transactie'`.execute(
      db.kysely,
    );
    expect(raw.rows).toEqual([]);
    // A write outside the transaction waits for the writer: given many turns of the event loop, it
    // has not happened while the transaction is open.
    const write = db.kysely
      .insertInto('organisations')
      .values(organisation('Daarna'))
      .execute()
      .then(() => order.push('written'));
    for (let i = 0; i < 50; i++) await new Promise((resolve) => setImmediate(resolve));
    order.push('commit');
    finish();
    await Promise.all([transaction, write]);
    expect(order).toEqual(['commit', 'written']);
    expect(await names()).toEqual(['Al Vastgelegd', 'Binnen Transactie', 'Daarna']);
  });

  it("savepoints run on the transaction's connection", async () => {
    const kept = organisation('Voor Savepoint');
    const undone = organisation('Na Savepoint');
    const trx = await db.kysely.startTransaction().execute();
    await trx.insertInto('organisations').values(kept).execute();
    const point = await trx.savepoint('voor').execute();
    await point.insertInto('organisations').values(undone).execute();
    const back = await point.rollbackToSavepoint('voor').execute();
    await back.releaseSavepoint('voor').execute();
    await back.commit().execute();
    const found = await db.kysely
      .selectFrom('organisations')
      .select('id')
      .where('id', 'in', [kept.id, undone.id])
      .execute();
    expect(found.map((r) => r.id)).toEqual([kept.id]);
  });

  it('statements that write, raw ones too, go to the writer (the reader can only read)', async () => {
    const id = newId();
    const returned = await sql<{ id: string }>`insert into organisations
      (id, name, locale, settings, created_at, updated_at)
      values (${id}, 'Met Returning', 'nl', '{}', 1, 1) returning id`.execute(db.kysely);
    expect(returned.rows).toEqual([{ id }]);
    await sql`with renamed as (select ${id} as id)
      update organisations set name = 'Hernoemd' where id in (select id from renamed)`.execute(
      db.kysely,
    );
    const renamed = await db.kysely
      .selectFrom('organisations')
      .select('name')
      .where('id', '=', id)
      .executeTakeFirst();
    expect(renamed?.name).toBe('Hernoemd');
  });
  it('a transaction that reads before it writes holds the write lock from its start, so another process cannot commit in between', async () => {
    // Another process on the same file (a CLI import beside the server), without a busy timeout so
    // that it answers at once.
    const other = new Database(path.join(dir, 'loyaal.db'));
    other.pragma('busy_timeout = 0');
    const before = organisation('Eerst Gelezen');
    let otherWrite = 'not tried';
    try {
      await db.kysely.transaction().execute(async (trx) => {
        await trx.selectFrom('organisations').select('id').execute();
        try {
          other
            .prepare(
              "insert into organisations (id, name, locale, settings, created_at, updated_at) values (?, 'Tussendoor', 'nl', '{}', 1, 1)",
            )
            .run(newId());
          otherWrite = 'committed';
        } catch (error) {
          otherWrite = (error as { code?: string }).code ?? String(error);
        }
        // A deferred transaction failed here with SQLITE_BUSY_SNAPSHOT: its snapshot was older
        // than the other process's commit.
        await trx.insertInto('organisations').values(before).execute();
      });
    } finally {
      other.close();
    }
    expect(otherWrite).toBe('SQLITE_BUSY');
    const stored = await db.kysely
      .selectFrom('organisations')
      .select('name')
      .where('name', 'in', ['Eerst Gelezen', 'Tussendoor'])
      .execute();
    expect(stored.map((r) => r.name)).toEqual(['Eerst Gelezen']);
  });
});
