import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupDatabase } from '../../src/db/backup.ts';
import { openDatabase, type Db } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { insertBulkContacts, seedOrganisation } from '../support/bulk.ts';

const PG_URL = process.env.TEST_DATABASE_URL;

const countContacts = async (db: Db): Promise<number> =>
  Number(
    (
      await db.kysely
        .selectFrom('contacts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('loyaal backup on SQLite: a consistent copy while the server writes', () => {
  let dir: string;
  let db: Db;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'loyaal-backup-'));
    db = await openDatabase(`sqlite:${path.join(dir, 'live.db')}`);
    await migrateToLatest(db);
  });
  afterAll(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('copies every committed row, passes its integrity check, and serves again after a restore', async () => {
    const organisationId = await seedOrganisation(db.kysely, 'Garage De Vries', Date.now());
    await insertBulkContacts(db.kysely, organisationId, 3000, Date.now());
    const before = await countContacts(db);
    // Writes keep arriving while the copy is made, as they would on a running server.
    let writing = true;
    const writer = (async () => {
      let batches = 0;
      while (writing || batches < 5) {
        const batch = batches;
        await insertBulkContacts(db.kysely, organisationId, 100, Date.now(), {
          email: (n) => `later${batch}-${n}@example.nl`,
        });
        batches++;
        await new Promise((r) => setImmediate(r));
      }
      return batches;
    })();
    const file = path.join(dir, 'backup.db');
    const result = await backupDatabase(db, '', file);
    writing = false;
    const batches = await writer;
    expect(result).toEqual({
      file,
      bytes: statSync(file).size,
      method: 'sqlite-online-backup',
    });
    await expect(backupDatabase(db, '', file)).rejects.toThrow('exists already');

    // Restore: open the copy as the database (what putting the file back in place does).
    const restored = await openDatabase(`sqlite:${file}`);
    try {
      expect(await migrateToLatest(restored)).toEqual([]);
      const copied = await countContacts(restored);
      expect(copied).toBeGreaterThanOrEqual(before);
      expect(copied).toBeLessThanOrEqual(before + batches * 100);
      expect(copied % 100).toBe(0); // whole transactions only
      const org = await restored.kysely
        .selectFrom('organisations')
        .select('name')
        .where('id', '=', organisationId)
        .executeTakeFirstOrThrow();
      expect(org.name).toBe('Garage De Vries');
    } finally {
      await restored.close();
    }
  });
});

describe.runIf(PG_URL)('loyaal backup on PostgreSQL: pg_dump, restored with pg_restore', () => {
  const suffix = randomBytes(4).toString('hex');
  const names = { live: `loyaal_bk_live_${suffix}`, restored: `loyaal_bk_rest_${suffix}` };
  const urlOf = (name: string) => {
    const u = new URL(PG_URL ?? '');
    u.pathname = `/${name}`;
    return u.toString();
  };
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'loyaal-pgbackup-'));
    await admin(`CREATE DATABASE ${names.live}`);
    await admin(`CREATE DATABASE ${names.restored}`);
  });
  afterAll(async () => {
    await admin(`DROP DATABASE IF EXISTS ${names.live} WITH (FORCE)`);
    await admin(`DROP DATABASE IF EXISTS ${names.restored} WITH (FORCE)`);
    rmSync(dir, { recursive: true, force: true });
  });

  it('dumps the database and restores it whole into an empty one', async () => {
    const live = await openDatabase(urlOf(names.live));
    const file = path.join(dir, 'loyaal.dump');
    let before: number;
    try {
      await migrateToLatest(live);
      const organisationId = await seedOrganisation(live.kysely, 'Garage De Vries', Date.now());
      await insertBulkContacts(live.kysely, organisationId, 500, Date.now());
      before = await countContacts(live);
      const result = await backupDatabase(live, urlOf(names.live), file);
      expect(result.method).toBe('pg_dump');
      expect(result.bytes).toBeGreaterThan(0);
    } finally {
      await live.close();
    }
    execFileSync('pg_restore', ['--no-owner', `--dbname=${urlOf(names.restored)}`, file]);
    const restored = await openDatabase(urlOf(names.restored));
    try {
      expect(await migrateToLatest(restored)).toEqual([]);
      expect(await countContacts(restored)).toBe(before);
    } finally {
      await restored.close();
    }
  });
});
