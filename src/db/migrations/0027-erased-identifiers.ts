import type { Kysely } from 'kysely';

/**
 * `erased_identifiers` (issue 11, bad input): one-way fingerprints of an erased customer's
 * customer number, email address and phone number (see `domain/privacy/erased-identifiers.ts`),
 * so a visit sent later for that customer is refused as "erased" rather than "unknown". Keyed by
 * organisation, so it moves with its tenant.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('erased_identifiers')
    .ifNotExists()
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    // The anonymous shell the identifiers belonged to.
    .addColumn('contact_id', 'text', (c) => c.notNull())
    .addColumn('erased_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('erased_identifiers_pk', ['organisation_id', 'fingerprint'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('erased_identifiers').ifExists().execute();
}
