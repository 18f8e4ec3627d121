import type { SurveyStatus } from '../../db/schema.ts';
import type { SkipCode } from '../../domain/contact-rules/contact-rules.ts';

/**
 * Every reason an invitation's job may store in its `skip_reason` when it does not send it: it
 * decided not to after all (skipped or cancelled: the link expired, the survey closed, the contact
 * rules), or the mail server did not take it (failed: `delivery_failed` after the last attempt,
 * `message_refused` for a message refused after its DATA). The writers take this type, and the
 * admin app maps each reason to a text of its catalogues, so a new reason cannot be written without
 * one. Changing a string strands the rows that carry it (they then read as `other`).
 */
export type InvitationSkipReason =
  | 'link_expired'
  | `survey_${Exclude<SurveyStatus, 'active'>}`
  | 'contact_missing'
  | SkipCode
  | 'ineligible'
  | 'delivery_failed'
  | 'message_refused';

/** Each reason once: the compiler checks the list against the type, both ways. */
const reasons = {
  link_expired: true,
  survey_draft: true,
  survey_archived: true,
  contact_missing: true,
  erased: true,
  unsubscribed: true,
  consent_withdrawn: true,
  bounced: true,
  no_email: true,
  responded_recently: true,
  too_recent: true,
  too_many_in_year: true,
  account_budget: true,
  duplicate_in_batch: true,
  ineligible: true,
  delivery_failed: true,
  message_refused: true,
} satisfies Record<InvitationSkipReason, true>;

/** Every invitation skip reason, for the API schemas and for reading stored ones. */
export const INVITATION_SKIP_REASONS = Object.keys(reasons) as [
  InvitationSkipReason,
  ...InvitationSkipReason[],
];

const known: ReadonlySet<string> = new Set(INVITATION_SKIP_REASONS);

/**
 * A stored `skip_reason` as staff see it: one of `InvitationSkipReason`, `other` for one written
 * before they were typed (or since renamed), null for an invitation without one.
 */
export function invitationSkipReasonOf(
  stored: string | null,
): InvitationSkipReason | 'other' | null {
  if (stored === null) return null;
  return known.has(stored) ? (stored as InvitationSkipReason) : 'other';
}
