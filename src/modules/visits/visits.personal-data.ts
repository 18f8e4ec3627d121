import type { PersonalDataHolder } from '../../platform/contract.ts';
import * as repo from './visits.repository.ts';
import { presentVisit } from './visits.presenter.ts';

/**
 * A customer's visits and purchases. Export lists them all; erasure removes what could point back to
 * the person (the source system's number, the location) and keeps date, kind and amount on the
 * anonymous contact, so revenue and return figures do not change when someone is forgotten.
 */
export const visitsHolder: PersonalDataHolder = {
  name: 'visits',
  // First of all holders: erasure takes the organisation's visit lock before any contact row is
  // locked, the order every visit write takes them in (lock, then the contacts it names). Run after
  // the contacts holder, an erasure and a visit import could each wait for the other's lock.
  order: -100,
  async export(db, organisationId, contactId) {
    const rows = await repo.listContactVisits(db, organisationId, contactId, 100_000);
    return rows.map((r) => {
      const { invitation, ...visit } = presentVisit(r, 'en');
      return { ...visit, invitationStatus: invitation.status, skipReason: invitation.skipReason };
    });
  },
  async erase(db, organisationId, contactId, now) {
    await repo.anonymiseContactVisits(db, organisationId, contactId, now);
  },
};
