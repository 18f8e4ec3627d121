import type { Executor } from '../../db/database.ts';

/**
 * Every module that stores personal data about a contact registers a holder here, so export and
 * erasure (AVG/GDPR) cover new tables as later waves add them (responses, referrals, purchases).
 */
export interface PersonalDataHolder {
  /** Section name in the export, e.g. `contact`, `consentEvents`, `responses`. */
  name: string;
  export(db: Executor, organisationId: string, contactId: string): Promise<unknown>;
  /** Removes or anonymises the personal data; aggregate figures (scores, counts) stay. */
  erase(db: Executor, organisationId: string, contactId: string, now: number): Promise<void>;
}

const holders: PersonalDataHolder[] = [];

export function registerPersonalData(holder: PersonalDataHolder): void {
  if (!holders.some((h) => h.name === holder.name)) holders.push(holder);
}

export function personalDataHolders(): readonly PersonalDataHolder[] {
  return holders;
}
