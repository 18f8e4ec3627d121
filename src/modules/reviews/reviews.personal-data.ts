import type { PersonalDataHolder } from '../../platform/contract.ts';
import { eraseEmailsByMessageId } from '../email/emails.repository.ts';
import * as repo from './review-requests.repository.ts';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/**
 * The review requests sent to a contact: when, whether a mail server took it, and whether they
 * asked for no more. Erasure removes the requests and blanks their emails (which belong to no
 * invitation, so the emails holder does not find them); retention unlinks old requests from their
 * answers but keeps the "no more review requests" and the once-a-year record.
 */
export const reviewRequestsHolder: PersonalDataHolder = {
  name: 'reviewRequests',
  async export(db, organisationId, contactId) {
    const rows = await repo.listContactReviewRequests(db, organisationId, contactId);
    return rows.map((r) => ({
      requestedAt: iso(r.created_at),
      sentAt: iso(r.sent_at),
      unsubscribedAt: iso(r.unsubscribed_at),
    }));
  },
  async erase(db, organisationId, contactId) {
    const rows = await repo.listContactReviewRequests(db, organisationId, contactId);
    await eraseEmailsByMessageId(
      db,
      organisationId,
      rows.map((r) => r.message_id),
    );
    await repo.deleteContactReviewRequests(db, organisationId, contactId);
  },
  async retain(db, organisationId, { cutoff, limit }) {
    return {
      unlinkedReviewRequests: await repo.unlinkReviewRequestsBefore(
        db,
        organisationId,
        cutoff,
        limit,
      ),
    };
  },
};
