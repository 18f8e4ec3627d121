import { sql, type Kysely } from 'kysely';
import { isPostgres } from './dialect.ts';

/**
 * The tenant rule on PostgreSQL (issue 13, docs/tenant-movability.md): every tenant table gets a
 * unique key that carries organisation_id, and every foreign key between two tenant tables becomes
 * composite — (organisation_id, x_id) → x (organisation_id, id) — so a row can only point at a row
 * of its own organisation. That is what lets one organisation's rows be copied to another server
 * (logical replication with a row filter) or distributed by organisation (Citus) without a
 * reference that crosses tenants. Tables without organisation_id (organisations itself, users,
 * rate limits) are shared; foreign keys to them are left as they are.
 *
 * Generic over the catalogue and idempotent: migration 0021 applied it to every table made before
 * it, and `migrateToLatest` applies it again after any run that applied a migration, so a table
 * added later follows the rule without its migration having to spell it out. Nothing on SQLite.
 */
export async function enforceTenantKeys<DB>(db: Kysely<DB>): Promise<void> {
  if (!isPostgres(db)) return;
  const tables = (
    await sql<{ name: string; has_id: boolean }>`
      select c.relname as name,
        exists (select 1 from pg_attribute a where a.attrelid = c.oid
                and a.attname = 'id' and not a.attisdropped) as has_id
      from pg_class c
      where c.relnamespace = current_schema()::regnamespace and c.relkind in ('r', 'p')
        and not c.relispartition
        and exists (select 1 from pg_attribute a where a.attrelid = c.oid
                    and a.attname = 'organisation_id' and not a.attisdropped)`.execute(db)
  ).rows;
  const tenantTables = new Set(tables.map((t) => t.name));
  const withId = new Set(tables.filter((t) => t.has_id).map((t) => t.name));
  // Single-column foreign keys from one tenant table to another's id.
  const fks = (
    await sql<{ name: string; child: string; col: string; parent: string }>`
      select k.conname as name, ch.relname as child, a.attname as col, pa.relname as parent
      from pg_constraint k
      join pg_class ch on ch.oid = k.conrelid
      join pg_class pa on pa.oid = k.confrelid
      join pg_attribute a on a.attrelid = k.conrelid and a.attnum = k.conkey[1]
      where k.contype = 'f' and k.connamespace = current_schema()::regnamespace
        and array_length(k.conkey, 1) = 1 and not ch.relispartition
        and k.conparentid = 0`.execute(db)
  ).rows.filter((fk) => tenantTables.has(fk.child) && withId.has(fk.parent));
  const referenced = new Set(fks.map((fk) => fk.parent));

  for (const { name: table, has_id } of tables) {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from pg_index i
      where i.indrelid = to_regclass(${table}) and i.indisunique
        and exists (select 1 from pg_attribute a where a.attrelid = i.indrelid
                    and a.attname = 'organisation_id' and a.attnum = any(i.indkey))`.execute(db);
    if ((rows[0]?.n ?? 0) > 0 && !referenced.has(table)) continue;
    // Idempotent: a table keyed on an earlier run keeps its key.
    const { rows: existing } = await sql<{ r: string | null }>`
      select to_regclass(${`${table}_org_key`})::text as r`.execute(db);
    if (existing[0]?.r) continue;
    // (organisation_id, id); a table keyed otherwise (a link table) gets its primary key's columns.
    const key = has_id
      ? ['id']
      : (
          await sql<{ col: string }>`
            select a.attname as col from pg_index i
            join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
            where i.indrelid = to_regclass(${table}) and i.indisprimary
            order by array_position(i.indkey::int2[], a.attnum)`.execute(db)
        ).rows.map((r) => r.col);
    await sql`create unique index ${sql.id(`${table}_org_key`)}
      on ${sql.id(table)} (${sql.join([sql.id('organisation_id'), ...key.map((c) => sql.id(c))])})`.execute(
      db,
    );
  }
  for (const fk of fks) {
    await sql`alter table ${sql.id(fk.child)} drop constraint ${sql.id(fk.name)}`.execute(db);
    await sql`alter table ${sql.id(fk.child)} add constraint ${sql.id(fk.name)}
      foreign key (organisation_id, ${sql.id(fk.col)})
      references ${sql.id(fk.parent)} (organisation_id, id)`.execute(db);
  }
}
