import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { describe } from 'vitest';
import { openDatabase, type Db, type Dialect } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { partitionName } from '../../src/db/partitions.ts';

const PG_URL = process.env.TEST_DATABASE_URL;
let announced = false;

/** The dialects SQL tests run on: SQLite always, PostgreSQL when TEST_DATABASE_URL is set. */
export function dialects(): Dialect[] {
  if (!PG_URL && !announced) {
    announced = true;
    console.warn('\n⚠ TEST_DATABASE_URL is not set: PostgreSQL tests are SKIPPED (SQLite only).\n');
  }
  return PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];
}

/**
 * Opens a fresh, migrated database of the given dialect: an in-memory SQLite database, or a new
 * PostgreSQL schema with a random name, so test files and concurrent CI runs never collide.
 */
export async function freshDatabase(
  dialect: Dialect,
  options: {
    file?: string;
    /** Migrates only up to this migration: a test then upgrades a database that holds rows. */
    migrateBefore?: string;
  } = {},
): Promise<Db> {
  const migrate = options.migrateBefore ? { before: options.migrateBefore } : {};
  if (dialect === 'sqlite') {
    const db = await openDatabase(`sqlite:${options.file ?? ':memory:'}`);
    await migrateToLatest(db, migrate);
    return db;
  }
  if (!PG_URL) throw new Error('TEST_DATABASE_URL is not set');
  const schema = `t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const template = options.migrateBefore ? undefined : await migratedSchemaScript(PG_URL);
  if (template) await runScript(PG_URL, template.for(schema));
  const db = await openDatabase(PG_URL, { schema, poolSize: 5 });
  if (!template) await migrateToLatest(db, migrate);
  return {
    ...db,
    close: async () => {
      await db.kysely.destroy();
      await dropSchema(schema);
    },
  };
}

/** A migrated schema as SQL that creates it again under another name. */
interface SchemaScript {
  for(schema: string): string;
}

let schemaScript: Promise<SchemaScript | undefined> | undefined;

/**
 * PostgreSQL: the latest schema as a script, made once per test worker. Running ~70 migrations for
 * every test file's schema cost 0.6–0.9 s on a quiet machine and 3–7 s on a loaded one (they take
 * one database-wide lock in turn); creating the final tables, partitions and indexes from
 * `pg_dump`'s script of a schema the real migrations built once costs a fraction of that. Tests of
 * migrations themselves (`migrateBefore`) still run them. Without `pg_dump` on the PATH every
 * schema is migrated as before.
 */
function migratedSchemaScript(url: string): Promise<SchemaScript | undefined> {
  schemaScript ??= (async () => {
    const template = `loyaal_template_${randomBytes(8).toString('hex')}`;
    const db = await openDatabase(url, { schema: template, poolSize: 2 });
    try {
      await migrateToLatest(db);
      const { stdout } = await promisify(execFile)(
        'pg_dump',
        ['--dbname', url, '--schema', template, '--no-owner', '--no-privileges', '--inserts'],
        { maxBuffer: 64 * 1024 * 1024 },
      );
      // psql's meta-commands (`\restrict`) are not SQL; the schema's name is unique to this run.
      const script = stdout.replace(/^\\.*$/gm, '');
      return { for: (schema) => script.replaceAll(template, schema) };
    } catch (error) {
      console.warn(`pg_dump failed (${String(error)}): every test schema is migrated instead`);
      return undefined;
    } finally {
      await db.kysely.destroy();
      await dropSchema(template);
    }
  })();
  return schemaScript;
}

async function runScript(url: string, script: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(script);
  } finally {
    await client.end();
  }
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

/** `describe` once per dialect, with the dialect in the title so the output shows both ran. */
export function describeEachDialect(title: string, body: (dialect: Dialect) => void): void {
  for (const dialect of dialects()) describe(`${title} [${dialect}]`, () => body(dialect));
}

/**
 * `describe` once, on SQLite (the embedded default), for a browser test whose screens do not depend
 * on the database: the SQL behind them runs on both dialects in the API tests, so a second browser
 * run on PostgreSQL would check the same pixels again. Browser tests where the database is part of
 * what a person sees — the first day, the NPS loop, an import, the closed loop, a worker killed in
 * the middle of a send — run on both with `describeEachDialect`.
 */
export function describeInBrowserOnce(title: string, body: (dialect: Dialect) => void): void {
  describe(`${title} [sqlite]`, () => body('sqlite'));
}

/** PostgreSQL: the partition that holds the row of a partitioned table, `(none)` without one. */
export async function partitionOf(db: Db, table: string, id: string): Promise<string> {
  const { rows } = await sql<{ p: string }>`select tableoid::regclass::text as p
    from ${sql.id(table)} where id = ${id}`.execute(db.kysely);
  return rows[0]?.p ?? '(none)';
}

/** The monthly partition of `table` a row created at `ms` belongs in (its UTC month). */
export function partitionAt(table: string, ms: number): string {
  const d = new Date(ms);
  return partitionName(table, { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1 });
}

/**
 * PostgreSQL index definitions (as the upgrade tests read them, without the schema) as the
 * migrations after an upgrade test's starting point leave them. An upgrade test reads a table's
 * indexes before a migration and compares them after migrating to the latest; the indexes a later
 * migration adds or replaces are applied here, so that each test need not know them.
 */
export function withLaterIndexChanges(defs: readonly string[]): string[] {
  const out = defs.map((def) =>
    // 0065: the contact's answers in a complete order.
    def
      .replace(
        'INDEX responses_org_contact USING btree (organisation_id, contact_id, answered_at)',
        'INDEX responses_org_contact_answered USING btree (organisation_id, contact_id, answered_at, id)',
      )
      .replace(
        // 0067: a contact's emails by their invitations, in the organisation.
        'INDEX emails_invitation USING btree (invitation_id)',
        'INDEX emails_org_invitation USING btree (organisation_id, invitation_id)',
      ),
  );
  // 0061: the outbox's filters by kind and by a status other than sent.
  if (out.some((def) => / emails_org_created /.test(def))) {
    out.push(
      'CREATE INDEX emails_org_kind_created USING btree (organisation_id, kind, created_at, id)',
      "CREATE INDEX emails_org_unsent_status_created USING btree (organisation_id, status, created_at, id) WHERE (status <> 'sent'::text)",
    );
    // 0067: a contact's customer emails by their address.
    out.push('CREATE INDEX emails_org_to_address USING btree (organisation_id, lower(to_address))');
  }
  return out;
}
