import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.ts';
import { newId } from '../../src/shared/ids.ts';
import { enforceTenantKeys } from '../../src/db/tenant-keys.ts';
import { freshDatabase } from '../support/databases.ts';
import { seedOrganisation } from '../support/bulk.ts';

const PG_URL = process.env.TEST_DATABASE_URL;
if (!PG_URL) console.warn('\n⚠ tenant schema rule SKIPPED: it needs TEST_DATABASE_URL\n');

/** Tables shared by every organisation (docs/tenant-movability.md): no organisation_id. */
const SHARED = ['organisations', 'users', 'rate_limits', 'loyaal_migrations'];
/**
 * Tenant tables whose organisation_id may be null: installation-wide jobs (the daily schedules) and
 * the emails of installation-wide mail. Their tenant rows move with the tenant; the null ones stay.
 */
const NULLABLE_TENANT = ['jobs', 'emails'];

/**
 * Issue 13, tenant-movable: over every table of the PostgreSQL schema, each tenant table carries
 * organisation_id in its primary key or a unique key, and no foreign key can point from one
 * organisation's row to another's — every key between tenant tables is (organisation_id, x_id) →
 * (organisation_id, id). A new table or foreign key that breaks the rule fails here.
 */
describe.skipIf(!PG_URL)('the tenant rule over the whole PostgreSQL schema', () => {
  let db: Db;
  beforeAll(async () => {
    db = await freshDatabase('postgres');
  }, 60_000);
  afterAll(async () => {
    await db?.close();
  });

  const tables = async () =>
    (
      await sql<{ name: string; org: boolean; org_not_null: boolean }>`
        select c.relname as name,
          a.attname is not null as org, coalesce(a.attnotnull, false) as org_not_null
        from pg_class c
        left join pg_attribute a on a.attrelid = c.oid and a.attname = 'organisation_id'
          and not a.attisdropped
        where c.relnamespace = current_schema()::regnamespace and c.relkind in ('r', 'p')
          and not c.relispartition
        order by 1`.execute(db.kysely)
    ).rows;

  it('every table but the shared ones carries organisation_id, in its primary key or a unique key', async () => {
    const all = await tables();
    expect(all.length).toBeGreaterThan(30);
    expect(all.filter((t) => !t.org).map((t) => t.name)).toEqual([...SHARED].sort());
    expect(all.filter((t) => t.org && !t.org_not_null).map((t) => t.name)).toEqual(
      [...NULLABLE_TENANT].sort(),
    );
    const { rows } = await sql<{ name: string }>`
      select c.relname as name from pg_class c
      where c.relnamespace = current_schema()::regnamespace and c.relkind in ('r', 'p')
        and not c.relispartition
        and exists (select 1 from pg_attribute a where a.attrelid = c.oid
                    and a.attname = 'organisation_id')
        and not exists (
          select 1 from pg_index i where i.indrelid = c.oid and i.indisunique
            and exists (select 1 from pg_attribute a where a.attrelid = c.oid
                        and a.attname = 'organisation_id' and a.attnum = any(i.indkey)))`.execute(
      db.kysely,
    );
    expect(rows.map((r) => r.name)).toEqual([]);
  });

  it('no foreign key crosses organisations: between tenant tables every key pairs organisation_id with organisation_id', async () => {
    const { rows } = await sql<{ child: string; parent: string; def: string; pairs_org: boolean }>`
      select ch.relname as child, pa.relname as parent, pg_get_constraintdef(k.oid) as def,
        exists (
          select 1 from unnest(k.conkey, k.confkey) as p(c, f)
          join pg_attribute ca on ca.attrelid = k.conrelid and ca.attnum = p.c
          join pg_attribute fa on fa.attrelid = k.confrelid and fa.attnum = p.f
          where ca.attname = 'organisation_id'
            and fa.attname = case when pa.relname = 'organisations' then 'id'
                                  else 'organisation_id' end
        ) as pairs_org
      from pg_constraint k
      join pg_class ch on ch.oid = k.conrelid
      join pg_class pa on pa.oid = k.confrelid
      where k.contype = 'f' and k.connamespace = current_schema()::regnamespace
        and k.conparentid = 0`.execute(db.kysely);
    expect(rows.length).toBeGreaterThan(30);
    const crossing = rows.filter(
      (fk) => !SHARED.includes(fk.parent) || fk.parent === 'organisations',
    );
    expect(crossing.filter((fk) => !fk.pairs_org).map((fk) => `${fk.child}: ${fk.def}`)).toEqual(
      [],
    );
  });

  it('refuses a contact that points at another organisation’s account', async () => {
    const now = Date.now();
    const mine = await seedOrganisation(db.kysely, 'Garage Noord', now);
    const theirs = await seedOrganisation(db.kysely, 'Garage Zuid', now);
    const accountId = newId();
    await db.kysely
      .insertInto('accounts')
      .values({
        id: accountId,
        organisation_id: theirs,
        name: 'Transport Zuid BV',
        search_text: 'transport zuid bv',
        created_at: now,
        updated_at: now,
      })
      .execute();
    const contact = (organisationId: string) =>
      db.kysely
        .insertInto('contacts')
        .values({
          id: newId(),
          organisation_id: organisationId,
          first_name: 'Sanne',
          language: 'nl',
          attributes: '{}',
          consent_status: 'granted',
          search_text: 'sanne',
          account_id: accountId,
          created_at: now,
          updated_at: now,
        } as never)
        .execute();
    await expect(contact(mine)).rejects.toThrow(/foreign key/);
    await expect(contact(theirs)).resolves.toBeDefined();
  });

  it('brings a table added later under the rule, and changes nothing the second time', async () => {
    await sql`create table probe_notes (id text primary key, organisation_id text not null
      references organisations (id), contact_id text references contacts (id))`.execute(db.kysely);
    try {
      await enforceTenantKeys(db.kysely);
      await enforceTenantKeys(db.kysely);
      const { rows } = await sql<{ def: string }>`
        select pg_get_constraintdef(oid) as def from pg_constraint
        where conrelid = to_regclass('probe_notes') and contype in ('f', 'u')
        union all
        select pg_get_indexdef(indexrelid) from pg_index
        where indrelid = to_regclass('probe_notes') and indisunique and not indisprimary
        order by 1`.execute(db.kysely);
      expect(rows.map((r) => r.def.replace(/\S+\.(\w+)/g, '$1'))).toEqual([
        'CREATE UNIQUE INDEX probe_notes_org_key ON probe_notes USING btree (organisation_id, id)',
        'FOREIGN KEY (organisation_id) REFERENCES organisations(id)',
        'FOREIGN KEY (organisation_id, contact_id) REFERENCES contacts(organisation_id, id)',
      ]);
    } finally {
      await sql`drop table probe_notes`.execute(db.kysely);
    }
  });
});
