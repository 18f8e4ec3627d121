/**
 * The review-request email (issue 12): one email, some hours after an answer, asking a respondent
 * who agreed to be contacted to write a review on the sites the organisation chose.
 */

/** Hours after the answer when an organisation never said: a day, while the visit is fresh. */
export const REVIEW_EMAIL_DEFAULT_HOURS = 24;
/** The earliest and latest an organisation may choose: an hour, two weeks. */
export const REVIEW_EMAIL_MIN_HOURS = 1;
export const REVIEW_EMAIL_MAX_HOURS = 336;
/**
 * At most one review request per contact in this many days, whatever they answered in between:
 * a customer who answers a survey twice a year is asked for a review once a year. The NPS
 * frequency rules (principle 3) count invitations; this counts review emails, separately.
 */
export const REVIEW_EMAIL_INTERVAL_DAYS = 365;

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** When the review email of an answer first given at `answeredAt` is due. */
export const reviewEmailDueAt = (answeredAt: number, hours: number): number =>
  answeredAt + hours * HOUR_MS;

/** Why a review email is not sent, as a stable code the job records. */
export type ReviewEmailSkip =
  | 'switched_off'
  | 'no_sites'
  | 'no_contact'
  | 'no_consent'
  | 'no_email'
  | 'erased'
  | 'bounced'
  | 'unsubscribed'
  | 'review_unsubscribed'
  | 'already_sent_for_answer'
  | 'asked_recently';

export interface ReviewEmailFacts {
  /**
   * The answer's score. It is here so a reader sees it is IGNORED: asking only happy customers
   * ("review gating") misleads readers of reviews (EU Omnibus directive, Google's review policy).
   * A 0 and a 10 get the same decision; a test proves it.
   */
  score: number;
  /** The organisation's setting now; null: it sends no review emails. */
  emailAfterHours: number | null;
  siteCount: number;
  /** The answer has a contact (an anonymous answer has none and is never emailed). */
  hasContact: boolean;
  /** The answer's "you may contact me", as it stands now (an edit may have changed it). */
  mayContact: boolean;
  hasEmail: boolean;
  erased: boolean;
  bounced: boolean;
  /** Unsubscribed from everything (the NPS surveys' one-click link). */
  unsubscribed: boolean;
  /** Unsubscribed from review requests only (this email's one-click link). */
  reviewUnsubscribed: boolean;
  /** A review request already exists for this very answer (an edit, a retried job). */
  requestedForAnswer: boolean;
  /** When this contact was last sent a review request, by any answer; null: never. */
  lastSentAt: number | null;
  now: number;
}

export type ReviewEmailDecision = { send: true } | { send: false; reason: ReviewEmailSkip };

/**
 * Whether a review email goes out now, re-decided when the job runs (the answer may have been
 * edited, the contact may have unsubscribed or been erased since). The score is never read.
 */
export function decideReviewEmail(f: ReviewEmailFacts): ReviewEmailDecision {
  const skip = (reason: ReviewEmailSkip): ReviewEmailDecision => ({ send: false, reason });
  if (f.emailAfterHours === null) return skip('switched_off');
  if (f.siteCount === 0) return skip('no_sites');
  if (!f.hasContact) return skip('no_contact');
  if (f.erased) return skip('erased');
  if (!f.mayContact) return skip('no_consent');
  if (!f.hasEmail) return skip('no_email');
  if (f.bounced) return skip('bounced');
  if (f.unsubscribed) return skip('unsubscribed');
  if (f.reviewUnsubscribed) return skip('review_unsubscribed');
  if (f.requestedForAnswer) return skip('already_sent_for_answer');
  if (f.lastSentAt !== null && f.now - f.lastSentAt < REVIEW_EMAIL_INTERVAL_DAYS * DAY_MS) {
    return skip('asked_recently');
  }
  return { send: true };
}
