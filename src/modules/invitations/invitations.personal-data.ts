import { linkTokenCutoff } from '../../domain/privacy/retention.ts';
import type { PersonalDataHolder } from '../../platform/contract.ts';
import { iso } from '../../shared/time.ts';
import * as repo from './invitations.repository.ts';

/**
 * A contact's invitations: which survey asked them when, and what became of it. The token in each
 * is a credential (it answers and unsubscribes as the customer): it is never exported, and the
 * retention run deletes it 180 days after the link expired.
 */
export const invitationsHolder: PersonalDataHolder = {
  name: 'invitations',
  async export(db, organisationId, contactId) {
    const rows = await repo.listContactInvitations(db, organisationId, contactId);
    return rows.map((r) => ({
      id: r.id,
      surveyId: r.survey_id,
      status: r.status,
      plannedAt: iso(r.planned_at),
      sentAt: iso(r.sent_at),
      respondedAt: iso(r.responded_at),
      linkExpiresAt: iso(r.expires_at),
    }));
  },
  // The invitation rows stay (they count for the send and the contact rules); the contact they
  // point to is an anonymous shell after erasure, and its links stop working with it.
  async erase() {},
  async retain(db, organisationId, { now, limit }) {
    return {
      deletedLinkTokens: await repo.deleteExpiredTokens(
        db,
        organisationId,
        linkTokenCutoff(now),
        limit,
      ),
    };
  },
};
