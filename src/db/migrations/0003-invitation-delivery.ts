import { sql, type Kysely } from 'kysely';

/**
 * Delivery bookkeeping for the NPS loop: why a planned invitation was skipped at the moment of
 * sending, the skip counts of a send, a unique Message-ID per invitation (the crash-safety
 * guarantee rests on it) and the indexes the send job and the bounce webhook look up by.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('invitations').addColumn('skip_reason', 'text').execute();
  await db.schema
    .alterTable('survey_sends')
    .addColumn('skip_summary', 'text', (c) => c.notNull().defaultTo(sql.lit('{}')))
    .execute();
  await db.schema
    .createIndex('invitations_message_id')
    .on('invitations')
    .column('message_id')
    .unique()
    .execute();
  await db.schema
    .createIndex('invitations_org_send')
    .on('invitations')
    .columns(['organisation_id', 'send_id'])
    .execute();
  await db.schema.createIndex('emails_invitation').on('emails').column('invitation_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('emails_invitation').execute();
  await db.schema.dropIndex('invitations_org_send').execute();
  await db.schema.dropIndex('invitations_message_id').execute();
  await db.schema.alterTable('survey_sends').dropColumn('skip_summary').execute();
  await db.schema.alterTable('invitations').dropColumn('skip_reason').execute();
}
