import type { AmbassadorStatus, InvitationStatus, SurveyStatus } from '../../db/schema.ts';
import type { ReminderSkipReason, SkipCode } from '../../domain/contact-rules/contact-rules.ts';
import type { ReviewEmailSkip } from '../../domain/reviews/review-email.ts';

/**
 * Every reason a mail's job may give for deciding not to send after all, as stored in the email's
 * `error` (`skipped: <reason>`). The writers take this type, and the admin app maps each reason to
 * a text of its catalogues, so a new reason cannot be written without one. The strings are those
 * stored before reasons were typed; changing one strands the rows that carry it (they then read as
 * `other`).
 */
export type EmailSkipReason =
  // An invitation (invitation-delivery.service.ts).
  | 'link_expired'
  | `survey_${SurveyStatus}`
  | 'contact_missing'
  | SkipCode
  | 'ineligible'
  // A reminder.
  | 'no mail server: reminder not sent'
  | 'invitation not found'
  | `invitation ${InvitationStatus}`
  | 'expired'
  | 'survey_missing'
  | 'case_follow_up'
  | ReminderSkipReason['code']
  | 'contact has no email'
  // A weekly digest (digest.job-handlers.ts).
  | 'member gone'
  | 'digest turned off'
  | 'account manager without a linked employee: no customers of their own'
  // The programme invitation and a friend's welcome offer (ambassadors.mail.ts).
  | 'ambassador not found'
  | `ambassador ${AmbassadorStatus}`
  | 'unsubscribed from programme emails'
  | 'programme off'
  | 'no email'
  | 'contact unsubscribed, bounced or erased'
  | 'referral not found'
  | 'no email address'
  | 'no consent to be contacted'
  | 'no welcome offer issued'
  | 'welcome offer expired'
  // A review request (review-email.service.ts).
  | ReviewEmailSkip
  | 'answer not found'
  | 'request row missing';

/** Each reason once: the compiler checks the list against the type, both ways. */
const reasons = {
  link_expired: true,
  survey_draft: true,
  survey_active: true,
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
  'no mail server: reminder not sent': true,
  'invitation not found': true,
  'invitation planned': true,
  'invitation queued': true,
  'invitation sent': true,
  'invitation outbox': true,
  'invitation bounced': true,
  'invitation failed': true,
  'invitation skipped': true,
  'invitation cancelled': true,
  expired: true,
  survey_missing: true,
  case_follow_up: true,
  responded: true,
  reminders_disabled: true,
  already_reminded: true,
  too_early: true,
  'contact has no email': true,
  'member gone': true,
  'digest turned off': true,
  'account manager without a linked employee: no customers of their own': true,
  'ambassador not found': true,
  'ambassador active': true,
  'ambassador paused': true,
  'ambassador removed': true,
  'unsubscribed from programme emails': true,
  'programme off': true,
  'no email': true,
  'contact unsubscribed, bounced or erased': true,
  'referral not found': true,
  'no email address': true,
  'no consent to be contacted': true,
  'no welcome offer issued': true,
  'welcome offer expired': true,
  switched_off: true,
  no_sites: true,
  no_contact: true,
  no_consent: true,
  review_unsubscribed: true,
  already_sent_for_answer: true,
  asked_recently: true,
  'answer not found': true,
  'request row missing': true,
} satisfies Record<EmailSkipReason, true>;

/** Every skip reason, for the API schema and for reading stored ones. */
export const EMAIL_SKIP_REASONS = Object.keys(reasons) as [EmailSkipReason, ...EmailSkipReason[]];

const known: ReadonlySet<string> = new Set(EMAIL_SKIP_REASONS);

const PREFIX = 'skipped: ';

/** The `error` an email closed by a skip carries. */
export function skippedError(reason: EmailSkipReason): string {
  return `${PREFIX}${reason}`;
}

/**
 * The reason of a skipped email as the outbox shows it: one of `EmailSkipReason`, `other` for a
 * reason written before they were typed (or one since renamed), null for an email not skipped.
 */
export function skipReasonOf(error: string | null): EmailSkipReason | 'other' | null {
  if (error === null || !error.startsWith(PREFIX)) return null;
  const reason = error.slice(PREFIX.length);
  // A reminder skipped before only the first reason was stored named them all: `a,b`.
  const first = reason.split(',')[0] ?? '';
  if (known.has(reason)) return reason as EmailSkipReason;
  if (known.has(first)) return first as EmailSkipReason;
  return 'other';
}
