import type { SurveySendTable } from '../../db/schema.ts';
import type { InvitationRow, SurveySendRow } from './invitations.repository.ts';
import { iso } from '../../shared/time.ts';

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** A send (batch or waves) with its skip summary and, when counted, invitations per status. */
export function presentSend(
  row: SurveySendRow | SurveySendTable,
  invitationsByStatus: Record<string, number>,
) {
  const counted = Object.values(invitationsByStatus).reduce((a, b) => a + b, 0);
  const waiting = (invitationsByStatus.planned ?? 0) + (invitationsByStatus.queued ?? 0);
  const status =
    (row.status === 'planned' || row.status === 'sending') && counted > 0 && waiting === 0
      ? 'completed'
      : row.status;
  return {
    id: row.id,
    surveyId: row.survey_id,
    status,
    selection: parseJson(row.selection),
    schedule: parseJson(row.schedule),
    plannedCount: row.planned_count,
    skippedCount: row.skipped_count,
    skipReasons: (parseJson(row.skip_summary) ?? {}) as Record<string, number>,
    invitationsByStatus,
    createdBy: row.created_by,
    createdAt: iso(row.created_at),
  };
}

/**
 * An invitation as staff see it: the delivery funnel (planned → sent → clicked → responded) but
 * never the personal token, which is the respondent's credential.
 */
export function presentInvitation(row: InvitationRow) {
  return {
    id: row.id,
    surveyId: row.survey_id,
    sendId: row.send_id,
    contactId: row.contact_id,
    accountId: row.account_id,
    status: row.status,
    skipReason: row.skip_reason,
    messageId: row.message_id,
    plannedAt: iso(row.planned_at),
    sentAt: iso(row.sent_at),
    clickedAt: iso(row.clicked_at),
    respondedAt: iso(row.responded_at),
    bouncedAt: iso(row.bounced_at),
    reminderPlannedAt: iso(row.reminder_planned_at),
    reminderSentAt: iso(row.reminder_sent_at),
    expiresAt: iso(row.expires_at),
    createdAt: iso(row.created_at),
  };
}
