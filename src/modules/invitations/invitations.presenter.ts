import type { SurveySendTable } from '../../db/schema.ts';
import type { InvitationRow, SurveySendRow } from './invitations.repository.ts';
import { iso } from '../../shared/time.ts';
import { z } from 'zod';
import { timestamp } from '../../shared/api-schemas.ts';
import { INVITATION_SKIP_REASONS, invitationSkipReasonOf } from './invitation-skip-reasons.ts';

/** An invitation's status (`InvitationStatus`), as every API shape that shows one gives it. */
export const invitationStatusSchema = z.enum([
  'planned',
  'queued',
  'sent',
  'outbox',
  'bounced',
  'failed',
  'skipped',
  'cancelled',
]);

const countsByCode = z.record(z.string(), z.number().int());

/** A send (batch or waves) with its skip summary and, when counted, invitations per status. */
export const sendSchema = z.object({
  id: z.string(),
  surveyId: z.string(),
  status: z.enum(['planned', 'sending', 'completed', 'cancelled']),
  selection: z.unknown().describe('The selection the send was made with, as sent'),
  schedule: z.unknown().describe('`{ kind: "now" }` or the waves with start and end'),
  plannedCount: z.number().int(),
  skippedCount: z.number().int(),
  skipReasons: countsByCode.describe('Skipped contacts per headline reason code'),
  invitationsByStatus: countsByCode,
  createdBy: z.string().nullable(),
  createdAt: timestamp,
});
export type SendJson = z.output<typeof sendSchema>;

/** What sending does with the mail right now: leave through a server, or stay in the outbox. */
export const deliverySchema = z.object({
  mode: z
    .enum(['smtp', 'outbox', 'unusable'])
    .describe(
      "`outbox`: no mail server, mail stays in the local outbox; `unusable`: the organisation's server cannot be used",
    ),
  source: z.enum(['organisation', 'installation', 'none', 'demo']),
});

const waveSchema = z.object({
  index: z.number().int(),
  sendAt: timestamp,
  count: z.number().int(),
});

/** A send just planned, with its waves and what will happen to the mail. */
export const plannedSendSchema = sendSchema.extend({
  waves: z.array(waveSchema),
  delivery: deliverySchema,
});

/** One skipped contact of a send preview, with the reason in the reader's language. */
export const skippedContactSchema = z.object({
  contactId: z.string().nullable(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  reason: z.string().describe('The headline reason code'),
  reasons: z.array(z.string()),
  explanation: z.string(),
});
export type SkippedContactJson = z.output<typeof skippedContactSchema>;

/** One contact of a send preview who got a case's follow-up, with the case it belongs to. */
export const caseFollowUpSchema = z.object({
  contactId: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  caseId: z.string(),
  at: timestamp,
  explanation: z.string(),
});
export type CaseFollowUpJson = z.output<typeof caseFollowUpSchema>;

/** What a send would do (POST /surveys/:id/sends/preview). */
export const sendPreviewSchema = z.object({
  delivery: deliverySchema,
  caseFollowUps: z.array(caseFollowUpSchema),
  candidates: z.number().int().describe('Contacts in the selection: `eligible` + `skipped`'),
  eligible: z.number().int(),
  skipped: z.number().int().describe('Contacts in the selection the rules skip'),
  notFound: z
    .number()
    .int()
    .describe('Pasted values (or contact ids) that matched no contact; not in `candidates`'),
  unmatched: z
    .array(z.string())
    .describe(
      'Every pasted value that matched no contact, as pasted: an email address, a customer number, a phone number, a contact id',
    ),
  reasons: countsByCode.describe('Skipped contacts per headline reason code'),
  waves: z.array(waveSchema),
  sample: z.array(skippedContactSchema).describe('Skipped contacts, up to `sampleSize`'),
});
export type SendPreviewJson = z.output<typeof sendPreviewSchema>;

/** An invitation as staff see it: its delivery funnel, never the personal token. */
export const invitationSchema = z.object({
  id: z.string(),
  surveyId: z.string(),
  sendId: z.string().nullable(),
  contactId: z.string(),
  accountId: z.string().nullable(),
  status: invitationStatusSchema,
  skipReason: z
    .enum([...INVITATION_SKIP_REASONS, 'other'])
    .nullable()
    .describe(
      'Why it was not sent: a contact rule or a closed survey (`skipped`, `cancelled`), `delivery_failed` (the mail server still failed after the last attempt) or `message_refused` (refused after its DATA); `other` for a reason from before they were typed',
    ),
  messageId: z.string().nullable(),
  plannedAt: timestamp.nullable(),
  sentAt: timestamp.nullable(),
  clickedAt: timestamp.nullable(),
  respondedAt: timestamp.nullable(),
  bouncedAt: timestamp.nullable(),
  reminderPlannedAt: timestamp.nullable(),
  reminderSentAt: timestamp.nullable(),
  expiresAt: timestamp.nullable(),
  createdAt: timestamp,
});
export type InvitationJson = z.output<typeof invitationSchema>;

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
): SendJson {
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
export function presentInvitation(row: InvitationRow): InvitationJson {
  return {
    id: row.id,
    surveyId: row.survey_id,
    sendId: row.send_id,
    contactId: row.contact_id,
    accountId: row.account_id,
    status: row.status,
    skipReason: invitationSkipReasonOf(row.skip_reason),
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
