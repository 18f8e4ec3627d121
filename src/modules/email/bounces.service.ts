import type { Executor } from '../../db/database.ts';
import type { EmailTable } from '../../db/schema.ts';
import * as contacts from '../contacts/contacts.repository.ts';
import { suppressContact } from '../contacts/contacts.service.ts';

/** A report about one email: a bounce (hard or soft) or a complaint, and where it came from. */
export interface MailReport {
  organisationId: string;
  type: 'bounce' | 'complaint';
  /** A hard bounce; soft (temporary) bounces are recorded but suppress nothing. */
  permanent: boolean;
  /** Where the report came from, e.g. `webhook` or `smtp:550`; stored on the consent event. */
  source: string;
  now: number;
}

/** Customer mail sent to a contact outside an invitation: its bounce or complaint suppresses them. */
export const isContactMail = (kind: EmailTable['kind']): boolean =>
  kind === 'review_request' || kind === 'ambassador_invite';

/**
 * A hard bounce or complaint on customer mail that belongs to no invitation — a review request or
 * the ambassador programme's invitation — suppresses the contact it was sent to, found by the
 * address (the contacts' email key). A friend's welcome offer goes to a referral's friend, not a
 * contact: nothing to suppress there. A soft bounce suppresses nothing.
 */
export async function recordCustomerMailBounce(
  db: Executor,
  report: MailReport & { messageId: string; to: string },
): Promise<'suppressed' | 'recorded' | 'ignored'> {
  if (report.type === 'bounce' && !report.permanent) return 'recorded';
  const contact = await contacts.findContactIdByKey(db, report.organisationId, {
    externalId: null,
    emailKey: report.to.trim().toLowerCase(),
  });
  if (!contact) return 'ignored';
  await suppressContact(db, report.organisationId, contact.id, report, {
    messageId: report.messageId,
  });
  return 'suppressed';
}
