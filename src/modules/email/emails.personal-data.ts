import type { PersonalDataHolder } from '../../platform/contract.ts';
import { emailBodyCutoff } from '../../domain/privacy/retention.ts';
import * as repo from './emails.repository.ts';

/**
 * The emails sent to a contact (their invitations and reminders, and every other customer email to
 * their address: the programme invitation, a review request) hold their address, their name and
 * their personal links. Export lists them (not the bodies: those only repeat the survey texts);
 * erasure blanks address, subject, bodies and headers but keeps the rows, so kind, status and
 * times still count in the outbox. It finds them by the contact's address, so it runs before the
 * `contact` holder clears it.
 */
export const emailsHolder: PersonalDataHolder = {
  name: 'emails',
  order: -1,
  async export(db, organisationId, contactId) {
    const rows = await repo.listContactEmails(db, organisationId, contactId);
    return rows.map((e) => ({
      to: e.to_address,
      subject: e.subject,
      kind: e.kind,
      status: e.status,
      sentAt: e.sent_at === null ? null : new Date(e.sent_at).toISOString(),
    }));
  },
  async erase(db, organisationId, contactId) {
    await repo.eraseContactEmails(db, organisationId, contactId);
  },
  /**
   * Bodies (personal links, greeting) go 90 days after sending — nobody needs them once the links
   * expired; address and subject go with the retention period. Kind, status and times stay.
   */
  async retain(db, organisationId, { now, cutoff, limit }) {
    return {
      deletedEmailBodies: await repo.deleteEmailBodiesBefore(
        db,
        organisationId,
        emailBodyCutoff(now),
        limit,
      ),
      anonymisedEmails: await repo.anonymiseEmailsBefore(db, organisationId, cutoff, limit),
    };
  },
};
