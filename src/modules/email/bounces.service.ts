import type { Executor } from '../../db/database.ts';
import type { EmailTable } from '../../db/schema.ts';
import { newId } from '../../shared/ids.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import * as contacts from '../contacts/contacts.repository.ts';
import * as invitations from '../invitations/invitations.repository.ts';

export interface BounceReport {
  organisationId: string;
  invitationId: string;
  type: 'bounce' | 'complaint';
  /** A hard bounce; soft (temporary) bounces are recorded but suppress nothing. */
  permanent: boolean;
  /** Where the report came from, e.g. `webhook` or `smtp:550`; stored on the consent event. */
  source: string;
  now: number;
}

/**
 * Records a bounce or complaint against the contact of an invitation. A hard bounce or a complaint
 * suppresses the contact (`bounced_at`), so the rules skip them in every later send; a hard bounce
 * also marks the invitation `bounced` for the delivery funnel. Idempotent: a repeated report
 * records no second consent event.
 *
 * @returns what was done: `suppressed`, `recorded` (soft bounce) or `ignored` (unknown invitation).
 */
export async function recordBounce(
  db: Executor,
  report: BounceReport,
): Promise<'suppressed' | 'recorded' | 'ignored'> {
  const { organisationId, invitationId, now } = report;
  const invitation = await invitations.findInvitation(db, organisationId, invitationId);
  if (!invitation) return 'ignored';
  const system = { kind: 'system' as const, organisationId };
  if (report.type === 'bounce' && !report.permanent) {
    await recordAudit(
      db,
      system,
      {
        action: 'email.soft_bounced',
        entityType: 'invitation',
        entityId: invitationId,
        data: { source: report.source },
      },
      now,
    );
    return 'recorded';
  }
  if (report.type === 'bounce') {
    await invitations.updateInvitation(db, organisationId, invitationId, {
      status: 'bounced',
      bounced_at: invitation.bounced_at ?? now,
    });
  }
  await suppressContact(db, organisationId, invitation.contact_id, report, { invitationId });
  return 'suppressed';
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
  report: Omit<BounceReport, 'invitationId'> & { messageId: string; to: string },
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

/** Marks the contact bounced, once: the consent event and the audit entry say why and where. */
async function suppressContact(
  db: Executor,
  organisationId: string,
  contactId: string,
  report: Pick<BounceReport, 'type' | 'source' | 'now'>,
  cause: { invitationId: string } | { messageId: string },
): Promise<void> {
  const { now } = report;
  const contact = await contacts.findContact(db, organisationId, contactId);
  if (!contact || contact.bounced_at !== null) return;
  await contacts.updateContact(db, organisationId, contact.id, {
    bounced_at: now,
    updated_at: now,
  });
  await contacts.insertConsentEvent(db, {
    id: newId(),
    organisation_id: organisationId,
    contact_id: contact.id,
    kind: report.type === 'complaint' ? 'complained' : 'bounced',
    source: `${report.source}:${'invitationId' in cause ? cause.invitationId : cause.messageId}`,
    created_at: now,
  });
  await recordAudit(
    db,
    { kind: 'system', organisationId },
    {
      action: report.type === 'complaint' ? 'contact.complained' : 'contact.bounced',
      entityType: 'contact',
      entityId: contact.id,
      data: { ...cause, source: report.source },
    },
    now,
  );
}
