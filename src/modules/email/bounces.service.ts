import type { Executor } from '../../db/database.ts';
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
  const contact = await contacts.findContact(db, organisationId, invitation.contact_id);
  if (contact && contact.bounced_at === null) {
    await contacts.updateContact(db, organisationId, contact.id, {
      bounced_at: now,
      updated_at: now,
    });
    await contacts.insertConsentEvent(db, {
      id: newId(),
      organisation_id: organisationId,
      contact_id: contact.id,
      kind: report.type === 'complaint' ? 'complained' : 'bounced',
      source: `${report.source}:${invitationId}`,
      created_at: now,
    });
    await recordAudit(
      db,
      system,
      {
        action: report.type === 'complaint' ? 'contact.complained' : 'contact.bounced',
        entityType: 'contact',
        entityId: contact.id,
        data: { invitationId, source: report.source },
      },
      now,
    );
  }
  return 'suppressed';
}
