import type { Executor } from '../../db/database.ts';
import type { ImportErrorTable } from '../../db/schema.ts';

/**
 * The privacy side of `import_errors`: a rejected row's `value` may be a person's email address.
 * Nothing links an import error to a contact by id (the row was rejected, so no contact was written
 * from it), so a contact's rows are the ones whose value is the contact's current email, compared
 * case-insensitively, within the organisation.
 */
const contactEmail = (db: Executor, organisationId: string, contactId: string) =>
  db
    .selectFrom('contacts')
    .select((eb) => eb.fn<string>('lower', ['contacts.email']).as('email'))
    .where('contacts.organisation_id', '=', organisationId)
    .where('contacts.id', '=', contactId);

/** Import errors whose value is the contact's email, in import and file order (for the export). */
export async function listContactImportErrors(
  db: Executor,
  organisationId: string,
  contactId: string,
): Promise<Pick<ImportErrorTable, 'import_id' | 'line' | 'field' | 'code'>[]> {
  return db
    .selectFrom('import_errors')
    .select(['import_id', 'line', 'field', 'code'])
    .where('organisation_id', '=', organisationId)
    .where((eb) => eb(eb.fn('lower', ['value']), '=', contactEmail(db, organisationId, contactId)))
    .orderBy('import_id')
    .orderBy('line')
    .orderBy('id')
    .execute();
}

/**
 * Blanks the value of the import errors that hold the contact's email. Must run while the contact
 * still has its email: before the `contact` holder clears it.
 */
export async function eraseContactImportErrorValues(
  db: Executor,
  organisationId: string,
  contactId: string,
): Promise<void> {
  await db
    .updateTable('import_errors')
    .set({ value: null })
    .where('organisation_id', '=', organisationId)
    .where((eb) => eb(eb.fn('lower', ['value']), '=', contactEmail(db, organisationId, contactId)))
    .execute();
}

/** Rejected rows whose email cell is the contact's email, in import and file order (the export). */
export async function listContactRejectedRows(
  db: Executor,
  organisationId: string,
  contactId: string,
): Promise<{ import_id: string; line: number; cells: string }[]> {
  return db
    .selectFrom('import_rejected_rows')
    .select(['import_id', 'line', 'cells'])
    .where('organisation_id', '=', organisationId)
    .where('email', '=', contactEmail(db, organisationId, contactId))
    .orderBy('import_id')
    .orderBy('line')
    .execute();
}

/** Deletes the rejected rows that carry the contact's email; must run before the email is cleared. */
export async function eraseContactRejectedRows(
  db: Executor,
  organisationId: string,
  contactId: string,
): Promise<void> {
  await db
    .deleteFrom('import_rejected_rows')
    .where('organisation_id', '=', organisationId)
    .where('email', '=', contactEmail(db, organisationId, contactId))
    .execute();
}
