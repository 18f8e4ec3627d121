import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import type { Db } from '../../src/db/database.ts';
import { createOrganisationWithOwner } from '../../src/modules/organisations/organisations.service.ts';
import { buildApp } from '../../src/server/app.ts';
import { platform } from '../../src/server/start.ts';
import { freshDatabase } from '../support/databases.ts';
import { login, type Client, type TestApp } from '../support/harness.ts';

/**
 * Another process holds SQLite's write lock longer than the busy timeout (a CLI import, a script
 * beside `loyaal serve`; seen in the answers benchmark while it seeded the next figure): a write
 * then fails with SQLITE_BUSY. It is answered like a database that is briefly away — 503, "try again
 * in a moment", `Retry-After` — not as a bug (500), and nothing is half-written. SQLite only: the
 * lock is SQLite's own file lock.
 */
describe('the SQLite database is held by another process', () => {
  let dir: string;
  let db: Db;
  let app: FastifyInstance;
  let owner: Client;
  let other: Database.Database;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'loyaal-busy-'));
    const file = path.join(dir, 'loyaal.db');
    db = await freshDatabase('sqlite', { file });
    app = await buildApp(
      { db, config: loadConfig({ WORKER: 'off' }), now: () => Date.now(), platform },
      { logger: false },
    );
    await app.ready();
    await db.kysely.transaction().execute((trx) =>
      createOrganisationWithOwner(
        trx,
        {
          organisationName: 'Druk BV',
          locale: 'nl',
          name: 'Eigenaar',
          email: 'eigenaar@druk.nl',
          password: 'correct horse battery',
        },
        Date.now(),
      ),
    );
    owner = await login({ app } as TestApp, 'eigenaar@druk.nl', 'correct horse battery');
    other = new Database(file);
  });
  afterAll(async () => {
    other.close();
    await app.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 503 with Retry-After while the lock is held, and stores the write once after', async () => {
    const add = () =>
      owner.request({
        method: 'POST',
        url: '/api/v1/contacts',
        headers: { 'accept-language': 'en' },
        payload: { name: 'Klant Druk', email: 'klant@druk.nl' },
      });
    other.exec('BEGIN IMMEDIATE');
    let held;
    try {
      held = await add();
    } finally {
      other.exec('ROLLBACK');
    }
    expect(held.statusCode).toBe(503);
    expect(held.headers['retry-after']).toBe('5');
    expect(held.json<{ error: { code: string } }>().error.code).toBe('database_unavailable');

    const again = await add();
    expect(again.statusCode).toBe(201);
    const stored = await db.kysely
      .selectFrom('contacts')
      .select('id')
      .where('email', '=', 'klant@druk.nl')
      .execute();
    expect(stored).toHaveLength(1);
  });
});
