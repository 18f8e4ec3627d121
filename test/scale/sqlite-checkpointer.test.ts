import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/database.ts';

/**
 * Issue 13: SQLite's auto-checkpoint ran inside the commit that crossed its threshold, so an
 * answer batch now and then waited for a whole checkpoint. The server and the worker checkpoint in
 * a background thread (src/db/sqlite-checkpointer.ts); the writer's commits only append to the WAL.
 */
describe('SQLite: checkpoints in a background thread', () => {
  let dir: string;
  let file: string;
  let db: Db | undefined;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'loyaal-checkpoint-'));
    file = path.join(dir, 'loyaal.db');
  });
  afterEach(async () => {
    await db?.close();
    db = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  const rows = 600;
  /** ~150 pages of 4 KB in one commit: far below the writer's auto-checkpoint (4,000 pages). */
  async function writeRows(handle: Db, from: number): Promise<void> {
    await handle.kysely.transaction().execute(async (trx) => {
      for (let i = from; i < from + rows; i++) {
        await sql`insert into notes (id, body) values (${i}, ${'x'.repeat(900)})`.execute(trx);
      }
    });
  }
  const fileSize = () => statSync(file).size;
  const walSize = () => statSync(`${file}-wal`).size;

  async function until(condition: () => boolean): Promise<boolean> {
    for (let i = 0; i < 600 && !condition(); i++) await new Promise((r) => setTimeout(r, 50));
    return condition();
  }

  it('copies committed pages into the database file without the writer checkpointing', async () => {
    db = await openDatabase(`sqlite:${file}`, { backgroundCheckpoint: true });
    await sql`create table notes (id integer primary key, body text not null)`.execute(db.kysely);
    const before = fileSize();
    await writeRows(db, 0);
    expect(walSize()).toBeGreaterThan(rows * 900);
    // The thread's passive checkpoints bring the rows into the database file.
    expect(await until(() => fileSize() > before + rows * 900)).toBe(true);
  });

  it('without it, a small commit stays in the WAL until the writer checkpoints (the control)', async () => {
    db = await openDatabase(`sqlite:${file}`);
    await sql`create table notes (id integer primary key, body text not null)`.execute(db.kysely);
    const before = fileSize();
    await writeRows(db, 0);
    expect(walSize()).toBeGreaterThan(rows * 900);
    expect(fileSize()).toBe(before);
  });

  it('loses nothing while the writer goes on writing, and closes cleanly', async () => {
    db = await openDatabase(`sqlite:${file}`, { backgroundCheckpoint: true });
    await sql`create table notes (id integer primary key, body text not null)`.execute(db.kysely);
    const before = fileSize();
    for (let batch = 0; batch < 10; batch++) {
      await writeRows(db, batch * rows);
      // Give the thread a turn now and then, so checkpoints run between and during commits.
      await new Promise((r) => setImmediate(r));
    }
    expect(await until(() => fileSize() > before)).toBe(true);
    await db.close();
    db = undefined;
    const check = new Database(file, { readonly: true });
    try {
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(check.prepare('select count(*) as n from notes').get()).toEqual({ n: 10 * rows });
    } finally {
      check.close();
    }
  });

  it('an in-memory database has no WAL and no thread', async () => {
    db = await openDatabase('sqlite::memory:', { backgroundCheckpoint: true });
    await sql`create table notes (id integer primary key, body text not null)`.execute(db.kysely);
    await writeRows(db, 0);
    const count = await sql<{ n: number }>`select count(*) as n from notes`.execute(db.kysely);
    expect(count.rows[0]?.n).toBe(rows);
  });
});
