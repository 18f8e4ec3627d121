import type { PersonalDataHolder } from '../../platform/contract.ts';
import { decodeProblem } from './imports.presenter.ts';
import * as repo from './import-errors.repository.ts';

/**
 * An import's error report keeps the rejected cell (`value`), which may be a person's email. The
 * report itself stays (it explains what was not imported); erasure blanks the cells holding the
 * contact's email. Those are found BY that email, so this holder runs before the `contact` holder
 * clears it (`order: -10`).
 */
export const importErrorsHolder: PersonalDataHolder = {
  name: 'importErrors',
  order: -10,
  async export(db, organisationId, contactId) {
    const rows = await repo.listContactImportErrors(db, organisationId, contactId);
    return rows.map((r) => ({
      importId: r.import_id,
      line: r.line,
      field: r.field,
      code: decodeProblem(r.code).code,
    }));
  },
  async erase(db, organisationId, contactId) {
    await repo.eraseContactImportErrorValues(db, organisationId, contactId);
  },
};

/**
 * The rejected rows kept for their download hold whole rows of the file: a person's name, email
 * and phone. A contact's rows are those whose email cell is the contact's email; erasure deletes
 * them (the error report above still says which line was rejected and why).
 */
export const importRejectedRowsHolder: PersonalDataHolder = {
  name: 'importRejectedRows',
  order: -10,
  async export(db, organisationId, contactId) {
    const rows = await repo.listContactRejectedRows(db, organisationId, contactId);
    return rows.map((r) => ({
      importId: r.import_id,
      line: r.line,
      cells: JSON.parse(r.cells) as unknown,
    }));
  },
  async erase(db, organisationId, contactId) {
    await repo.eraseContactRejectedRows(db, organisationId, contactId);
  },
};
