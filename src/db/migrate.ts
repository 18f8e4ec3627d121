import { sql, type Kysely } from 'kysely';
import type { Db } from './database.ts';
import { enforceTenantKeys } from './tenant-keys.ts';
import * as m0001 from './migrations/0001-foundation.ts';
import * as m0002 from './migrations/0002-nps-loop.ts';
import * as m0003 from './migrations/0003-invitation-delivery.ts';
import * as m0004 from './migrations/0004-platform.ts';
import * as m0005 from './migrations/0005-retention.ts';
import * as m0006 from './migrations/0006-mail-retry.ts';
import * as m0007 from './migrations/0007-owner-first-day.ts';
import * as m0009 from './migrations/0009-insight-rollups.ts';
import * as m0010 from './migrations/0010-visits.ts';
import * as m0012 from './migrations/0012-shared-rate-limits.ts';
import * as m0013 from './migrations/0013-import-keeps-everyone.ts';
import * as m0008 from './migrations/0008-closed-loop.ts';
import * as m0011 from './migrations/0011-ambassadors.ts';
import * as m0022 from './migrations/0022-import-kinds.ts';
import * as m0020 from './migrations/0020-monthly-partitions.ts';
import * as m0023 from './migrations/0023-lapsed-promoter-tasks.ts';
import * as m0021 from './migrations/0021-tenant-keys.ts';
import * as m0030 from './migrations/0030-locations.ts';
import * as m0024 from './migrations/0024-striped-rollups.ts';
import * as m0026 from './migrations/0026-visit-contact-facts.ts';
import * as m0028 from './migrations/0028-review-settings.ts';
import * as m0027 from './migrations/0027-erased-identifiers.ts';
import * as m0035 from './migrations/0035-import-locations.ts';
import * as m0037 from './migrations/0037-notifications.ts';
import * as m0038 from './migrations/0038-weekly-digest.ts';
import * as m0036 from './migrations/0036-location-rollup.ts';
import * as m0039 from './migrations/0039-answer-path-indexes.ts';
import * as m0031 from './migrations/0031-review-email.ts';
import * as m0040 from './migrations/0040-loyalty-contact-facts.ts';
import * as m0046 from './migrations/0046-invitation-funnel-index.ts';
import * as m0041 from './migrations/0041-loyalty-report-indexes.ts';
import * as m0042 from './migrations/0042-employee-weekly-rollup.ts';
import * as m0044 from './migrations/0044-loyalty-report-facts-index.ts';
import * as m0043 from './migrations/0043-invitation-funnel-rollup.ts';
import * as m0048 from './migrations/0048-partitioned-answers.ts';
import * as m0049 from './migrations/0049-partitioned-id-collation.ts';
import * as m0050 from './migrations/0050-partitioned-emails.ts';
import * as m0056 from './migrations/0056-digest-tokens.ts';
import * as m0054 from './migrations/0054-loyalty-revenue-months.ts';
import * as m0057 from './migrations/0057-partitioned-visits.ts';
import * as m0058 from './migrations/0058-claimed-rollup-shards.ts';
import * as m0059 from './migrations/0059-contact-phone-keys.ts';
import * as m0060 from './migrations/0060-job-claim-order.ts';
import * as m0061 from './migrations/0061-outbox-filter-indexes.ts';
import * as m0064 from './migrations/0064-job-groups.ts';
import * as m0065 from './migrations/0065-responses-by-contact.ts';
import * as m0067 from './migrations/0067-one-customer-indexes.ts';
import * as m0069 from './migrations/0069-job-payload-keys.ts';
import * as m0070 from './migrations/0070-job-batch-claims.ts';
import * as m0071 from './migrations/0071-employee-search-fold.ts';

interface Migration {
  up(db: Kysely<unknown>): Promise<void>;
  down?(db: Kysely<unknown>): Promise<void>;
}

/**
 * Migrations are listed in code rather than discovered on disk, so the tests and the CLI always run
 * the same ordered set on both dialects.
 */
const migrations: [string, Migration][] = [
  ['0001-foundation', m0001],
  ['0002-nps-loop', m0002],
  ['0003-invitation-delivery', m0003],
  ['0004-platform', m0004],
  ['0005-retention', m0005],
  ['0006-mail-retry', m0006],
  ['0007-owner-first-day', m0007],
  ['0009-insight-rollups', m0009],
  ['0010-visits', m0010],
  ['0012-shared-rate-limits', m0012],
  ['0013-import-keeps-everyone', m0013],
  ['0008-closed-loop', m0008],
  ['0011-ambassadors', m0011],
  ['0022-import-kinds', m0022],
  ['0020-monthly-partitions', m0020],
  ['0023-lapsed-promoter-tasks', m0023],
  ['0021-tenant-keys', m0021],
  ['0024-striped-rollups', m0024],
  ['0026-visit-contact-facts', m0026],
  ['0030-locations', m0030],
  ['0028-review-settings', m0028],
  ['0027-erased-identifiers', m0027],
  ['0035-import-locations', m0035],
  ['0037-notifications', m0037],
  ['0038-weekly-digest', m0038],
  ['0036-location-rollup', m0036],
  ['0039-answer-path-indexes', m0039],
  ['0031-review-email', m0031],
  ['0040-loyalty-contact-facts', m0040],
  ['0046-invitation-funnel-index', m0046],
  ['0041-loyalty-report-indexes', m0041],
  ['0042-employee-weekly-rollup', m0042],
  ['0044-loyalty-report-facts-index', m0044],
  ['0043-invitation-funnel-rollup', m0043],
  ['0048-partitioned-answers', m0048],
  ['0049-partitioned-id-collation', m0049],
  ['0050-partitioned-emails', m0050],
  ['0056-digest-tokens', m0056],
  ['0054-loyalty-revenue-months', m0054],
  ['0057-partitioned-visits', m0057],
  ['0058-claimed-rollup-shards', m0058],
  ['0059-contact-phone-keys', m0059],
  ['0060-job-claim-order', m0060],
  ['0061-outbox-filter-indexes', m0061],
  ['0064-job-groups', m0064],
  ['0065-responses-by-contact', m0065],
  ['0067-one-customer-indexes', m0067],
  ['0069-job-payload-keys', m0069],
  ['0070-job-batch-claims', m0070],
  ['0071-employee-search-fold', m0071],
];

/**
 * Applies pending migrations, each in its own transaction, recorded in `loyaal_migrations`. We keep
 * this small runner instead of Kysely's Migrator because the latter introspects every schema of a
 * PostgreSQL database, which races with other schemas being dropped (parallel test runs) and slows
 * down as schemas accumulate. Concurrent starts are serialised by an advisory lock on PostgreSQL;
 * SQLite has a single writer.
 */
export async function migrateToLatest(
  db: Db,
  options: {
    /** Stops before this migration (a test that upgrades a database holding older rows). */
    before?: string;
  } = {},
): Promise<string[]> {
  // `create table if not exists` is not safe against itself on PostgreSQL: two processes starting
  // together can both pass the check and one fails on the catalogue's unique index. Under the lock.
  await db.kysely.transaction().execute(async (trx) => {
    if (db.dialect === 'postgres') await sql`select pg_advisory_xact_lock(4242001)`.execute(trx);
    await sql`create table if not exists loyaal_migrations (name text primary key, applied_at bigint not null)`.execute(
      trx,
    );
  });
  const applied: string[] = [];
  for (const [name, migration] of migrations) {
    if (name === options.before) break;
    await db.kysely.transaction().execute(async (trx) => {
      if (db.dialect === 'postgres') await sql`select pg_advisory_xact_lock(4242001)`.execute(trx);
      const done = await sql<{
        name: string;
      }>`select name from loyaal_migrations where name = ${name}`.execute(trx);
      if (done.rows.length > 0) return;
      await migration.up(trx as unknown as Kysely<unknown>);
      await sql`insert into loyaal_migrations (name, applied_at) values (${name}, ${Date.now()})`.execute(
        trx,
      );
      applied.push(name);
    });
  }
  // A table a later migration added follows the tenant rule too (PostgreSQL; idempotent).
  if (applied.length > 0 && db.dialect === 'postgres') {
    await db.kysely.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(4242001)`.execute(trx);
      await enforceTenantKeys(trx as unknown as Kysely<unknown>);
    });
  }
  return applied;
}
