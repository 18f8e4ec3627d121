import { sql, type Kysely } from 'kysely';

/**
 * A contact's emails (the AVG/GDPR export and erasure, emails.repository.ts) are those of their
 * invitations and the customer emails to their address, compared without case. Both were one
 * statement with an `or`, which no index serves whole, so SQLite, which keeps no statistics here,
 * read every email of the organisation for one customer's few. The statement is split in two, each
 * served by an index:
 * - the invitations' part by `(organisation_id, invitation_id)`, which replaces the index on
 *   `invitation_id` alone: every statement that looks emails up by invitation names the
 *   organisation too, and SQLite preferred the organisation's index to an `invitation_id in (...)`;
 * - the address by `(organisation_id, lower(to_address))`.
 * On PostgreSQL they are made on the partitioned table and so on every monthly partition.
 *
 * An erased contact's identifiers are counted by the contact (`countErasedIdentifiers`, the
 * erasure's report); the table's key is `(organisation_id, fingerprint)`, so the count read every
 * identifier the organisation ever erased. `(organisation_id, contact_id)` serves it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('emails_org_invitation')
    .on('emails')
    .columns(['organisation_id', 'invitation_id'])
    .execute();
  await db.schema.dropIndex('emails_invitation').execute();
  await sql`create index emails_org_to_address on emails (organisation_id, lower(to_address))`.execute(
    db,
  );
  await db.schema
    .createIndex('erased_identifiers_org_contact')
    .on('erased_identifiers')
    .columns(['organisation_id', 'contact_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('erased_identifiers_org_contact').execute();
  await db.schema.dropIndex('emails_org_to_address').execute();
  await db.schema.createIndex('emails_invitation').on('emails').column('invitation_id').execute();
  await db.schema.dropIndex('emails_org_invitation').execute();
}
