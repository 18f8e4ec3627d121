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
  /**
   * When this holder runs, lower first; holders of equal order run in registration order. The
   * `contact` holder (0) clears the contact's email and name, so a holder that finds its rows BY
   * that data instead of by contact id (import errors) must run before it, with a negative order.
   */
  order?: number;
}

const holders: PersonalDataHolder[] = [];

export function registerPersonalData(holder: PersonalDataHolder): void {
  if (holders.some((h) => h.name === holder.name)) return;
  holders.push(holder);
  // Stable sort: the order never depends on which module happened to be imported first.
  holders.sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
}

/** Every registered holder, in the order export and erasure run them. */
export function personalDataHolders(): readonly PersonalDataHolder[] {
  return holders;
}
