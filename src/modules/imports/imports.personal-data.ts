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
