import { sql, type Kysely } from 'kysely';

/**
 * Every sent weekly digest keeps a working unsubscribe link (issue 10). Migration 0038 kept one
 * token hash per membership, replaced by each digest, so an older digest's link stopped working.
 * Now each digest (membership × ISO week) has its own row: the SHA-256 of its random token, unique,
 * so the public link finds the membership without a session and a database reader learns no
 * working link. The membership's current token moves here, so the link of the newest digest sent
 * before this migration keeps working too (its week read from that digest's Message-ID,
 * `<digest.<week>.<membership>@host>`). No foreign key to memberships: removing a member must not
 * fail on it; their tokens find no member and are deleted by the retention run.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('digest_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('membership_id', 'text', (c) => c.notNull())
    // The ISO week the digest reported, `2026-W48`.
    .addColumn('week', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('digest_tokens_hash')
    .on('digest_tokens')
    .column('token_hash')
    .unique()
    .execute();
  // One token per digest: a retried send reuses its email row, and so its link.
  await db.schema
    .createIndex('digest_tokens_once')
    .on('digest_tokens')
    .columns(['organisation_id', 'membership_id', 'week'])
    .unique()
    .execute();
  await db.schema
    .createIndex('digest_tokens_org_created')
    .on('digest_tokens')
    .columns(['organisation_id', 'created_at'])
    .execute();

  const current = await sql<{ id: string; organisation_id: string; digest_token_hash: string }>`
    select id, organisation_id, digest_token_hash from memberships
    where digest_token_hash is not null`.execute(db);
  for (const m of current.rows) {
    const newest = await sql<{ message_id: string; created_at: number | string }>`
      select message_id, created_at from emails
      where organisation_id = ${m.organisation_id} and kind = 'weekly_digest'
        and message_id like ${`<digest.%.${m.id}@%`}
      order by created_at desc limit 1`.execute(db);
    const email = newest.rows[0];
    const week = /^<digest\.([^.]+)\./.exec(email?.message_id ?? '')?.[1] ?? 'before-0056';
    await sql`insert into digest_tokens (id, organisation_id, membership_id, week, token_hash, created_at)
      values (${`0056-${m.id}`}, ${m.organisation_id}, ${m.id}, ${week},
              ${m.digest_token_hash}, ${Number(email?.created_at ?? Date.now())})`.execute(db);
  }
  await db.schema.dropIndex('memberships_digest_token').execute();
  await db.schema.alterTable('memberships').dropColumn('digest_token_hash').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('memberships').addColumn('digest_token_hash', 'text').execute();
  await db.schema
    .createIndex('memberships_digest_token')
    .on('memberships')
    .column('digest_token_hash')
    .unique()
    .execute();
  await db.schema.dropTable('digest_tokens').execute();
}
