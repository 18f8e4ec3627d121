import type { Executor } from '../../db/database.ts';
import { contribute } from '../../platform/slots.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { suppressContact } from '../contacts/contacts.service.ts';
import { bounceReportSlot, type BounceReportResult } from '../email/bounce-report.slot.ts';
import type { MailReport } from '../email/bounces.service.ts';
import { reminderInvitationId, reminderMessageId } from './reminder-message-id.ts';
import * as invitations from './invitations.repository.ts';

export interface BounceReport extends MailReport {
  invitationId: string;
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

/**
 * The invitation a Message-ID was sent under when no email row names it: the invitation's own, or
 * its reminder's (which names the invitation and must be exactly the one it was sent under).
 */
async function ownerByMessageId(db: Executor, messageId: string) {
  const found =
    (await invitations.findInvitationOwnerByMessageId(db, messageId)) ??
    (await reminderOwner(db, messageId));
  return found ? { organisationId: found.organisation_id, invitationId: found.id } : null;
}

async function reminderOwner(db: Executor, messageId: string) {
  const id = reminderInvitationId(messageId);
  const found = id ? await invitations.findInvitationOwnerById(db, id) : undefined;
  return found && reminderMessageId(found) === messageId ? found : undefined;
}

/**
 * The bounce webhook's report about an invitation or reminder (contributed to the email module's
 * `email.bounce` slot): the invitation is the email's, or the one sent under that Message-ID.
 * Mail of no invitation is not this module's (null).
 */
export const invitationBounce = contribute(
  bounceReportSlot,
  'invitations.bounce',
  async (report, deps): Promise<BounceReportResult | null> => {
    const db = deps.db.kysely;
    const owner = report.invitation ?? (await ownerByMessageId(db, report.messageId));
    if (!owner) return null;
    return db.transaction().execute((trx) =>
      recordBounce(trx, {
        ...owner,
        type: report.type,
        permanent: report.permanent,
        source: report.source,
        now: report.now,
      }),
    );
  },
);
