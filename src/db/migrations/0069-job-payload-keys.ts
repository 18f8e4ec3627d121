import { sql, type Kysely } from 'kysely';
import { payloadKeyOf } from '../../shared/job-key.ts';

/**
 * The outbox's "try again" finds a mail's job by its type and payload (`retryJobNow`,
 * `bringJobForward`, jobs.repository.ts). Through `jobs_org_type_status` (migration 0061) it read,
 * and parsed, every waiting or given-up job of the type in the organisation: a send of 10,000
 * invitations keeps 10,000 jobs waiting, and given-up jobs stay. Each job now carries its payload's
 * key (`payload_key`: `payloadKeyOf`, a digest of the fields in name order, so key order and
 * spacing do not matter), and `(organisation_id, type, payload_key)` finds the jobs of one payload.
 * That index replaces `jobs_org_type_status`, whose only reader this was; it holds no status, so a
 * job's claim and completion no longer move an index entry.
 *
 * The backfill keys the jobs not done (waiting, running or given up: the ones "try again" looks
 * for), reading `payloadKeyOf` as it is with this migration. A done job gets its key when it is
 * queued again under its dedupe key.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('jobs').addColumn('payload_key', 'text').execute();
  let after = '';
  for (;;) {
    const page = await sql<{ id: string; payload: string }>`
      select id, payload from jobs where status <> 'done' and id > ${after}
      order by id limit 2000`.execute(db);
    const last = page.rows.at(-1);
    if (!last) break;
    const keyed = page.rows.flatMap((r) => {
      const key = payloadKeyOf(r.payload);
      return key ? [sql`(${r.id}, ${key})`] : [];
    });
    if (keyed.length) {
      // VALUES names its columns column1, column2 on both SQLite and PostgreSQL.
      await sql`
        update jobs set payload_key = v.column2
        from (values ${sql.join(keyed)}) as v
        where jobs.id = v.column1`.execute(db);
    }
    after = last.id;
  }
  await db.schema
    .createIndex('jobs_org_type_payload_key')
    .on('jobs')
    .columns(['organisation_id', 'type', 'payload_key'])
    .execute();
  await db.schema.dropIndex('jobs_org_type_status').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('jobs_org_type_status')
    .on('jobs')
    .columns(['organisation_id', 'type', 'status'])
    .execute();
  await db.schema.dropIndex('jobs_org_type_payload_key').execute();
  await db.schema.alterTable('jobs').dropColumn('payload_key').execute();
}
