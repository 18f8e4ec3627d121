import { Writable } from 'node:stream';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import type { Db } from '../../src/db/database.ts';
import { buildApp } from '../../src/server/app.ts';
import { platform } from '../../src/server/start.ts';
import { freshDatabase } from '../support/databases.ts';
import { login, type Client, type TestApp } from '../support/harness.ts';
import { createOrganisationWithOwner } from '../../src/modules/organisations/organisations.service.ts';

/**
 * Finding 8 of the probe (issue 7): with the disk full, SQLite answered a generic 500 and the log
 * said only "cannot rollback - no transaction is active" (SQLite had already rolled back, and the
 * failed rollback hid the real error). A database capped with `PRAGMA max_page_count` fills up
 * like a full disk: the user is told what happened, the log names SQLITE_FULL, and the app keeps
 * serving reads. SQLite only: PostgreSQL's disk cannot be filled from a test.
 */
describe('the SQLite database is full', () => {
  let db: Db;
  let app: FastifyInstance;
  let owner: Client;
  const logLines: string[] = [];

  beforeAll(async () => {
    db = await freshDatabase('sqlite');
    const deps = { db, config: loadConfig({ WORKER: 'off' }), now: () => Date.now(), platform };
    const stream = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        logLines.push(chunk.toString());
        callback();
      },
    });
    app = await buildApp(deps, { logger: { level: 'warn', stream } });
    await app.ready();
    await db.kysely.transaction().execute((trx) =>
      createOrganisationWithOwner(
        trx,
        {
          organisationName: 'Vol BV',
          locale: 'nl',
          name: 'Eigenaar',
          email: 'eigenaar@vol.nl',
          password: 'correct horse battery',
        },
        Date.now(),
      ),
    );
    owner = await login({ app } as TestApp, 'eigenaar@vol.nl', 'correct horse battery');
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  it('says the storage is full, logs SQLITE_FULL, and keeps serving reads', async () => {
    const pages = await sql<{ page_count: number }>`pragma page_count`.execute(db.kysely);
    const count = pages.rows[0]?.page_count ?? 0;
    await sql.raw(`pragma max_page_count = ${count + 2}`).execute(db.kysely);
    let res;
    for (let i = 0; i < 200; i++) {
      res = await owner.request({
        method: 'POST',
        url: '/api/v1/contacts',
        headers: { 'accept-language': 'en' },
        payload: { name: `Klant ${i} ${'x'.repeat(150)}`, email: `klant${i}@example.nl` },
      });
      if (res.statusCode !== 201) break;
    }
    expect(res?.statusCode).toBe(507);
    expect(res?.json()).toEqual({
      error: {
        code: 'storage_full',
        message: expect.stringMatching(/opslag van Loyaal is vol/) as unknown,
      },
    });
    const logged = logLines.join('');
    expect(logged).toContain('SQLITE_FULL');
    expect(logged).not.toContain('cannot rollback');
    expect((await owner.request({ url: '/api/v1/contacts' })).statusCode).toBe(200);
  });
});
