import type { Kysely } from 'kysely';

/**
 * The weekly digest (issue 10): each member's own choice, on their membership (a person in two
 * organisations chooses per organisation). `weekly_digest` is 1 (wanted), 0 (not wanted) or null
 * (never chosen: the role's default, on for owners, admins and managers). The digest's one-click
 * unsubscribe link carries a random token; only its SHA-256 is stored, unique, so the public
 * link finds the membership without a session and a database reader learns no working link.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('memberships').addColumn('weekly_digest', 'integer').execute();
  await db.schema.alterTable('memberships').addColumn('digest_token_hash', 'text').execute();
  await db.schema
    .createIndex('memberships_digest_token')
    .on('memberships')
    .column('digest_token_hash')
    .unique()
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('memberships_digest_token').execute();
  await db.schema.alterTable('memberships').dropColumn('digest_token_hash').execute();
  await db.schema.alterTable('memberships').dropColumn('weekly_digest').execute();
}
