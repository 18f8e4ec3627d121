import type { Kysely } from 'kysely';

/**
 * A mail server that is down delays an email instead of dropping it: while the send is retried the
 * email says why it is waiting (`failure`, a stable code) and when the next attempt is.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('emails').addColumn('failure', 'text').execute();
  await db.schema.alterTable('emails').addColumn('next_attempt_at', 'bigint').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('emails').dropColumn('next_attempt_at').execute();
  await db.schema.alterTable('emails').dropColumn('failure').execute();
}
