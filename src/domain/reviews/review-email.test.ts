import { describe, expect, it } from 'vitest';
import {
  REVIEW_EMAIL_INTERVAL_DAYS,
  decideReviewEmail,
  reviewEmailDueAt,
  type ReviewEmailFacts,
} from './review-email.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 30, 9, 0);

/** A respondent who may be asked: consent, an address, never asked, nothing stopped. */
const eligible = (patch: Partial<ReviewEmailFacts> = {}): ReviewEmailFacts => ({
  score: 9,
  emailAfterHours: 24,
  siteCount: 1,
  hasContact: true,
  mayContact: true,
  hasEmail: true,
  erased: false,
  bounced: false,
  unsubscribed: false,
  reviewUnsubscribed: false,
  requestedForAnswer: false,
  lastSentAt: null,
  now: NOW,
  ...patch,
});

describe('the review email decision', () => {
  it('sends to a respondent who agreed to be contacted', () => {
    expect(decideReviewEmail(eligible())).toEqual({ send: true });
  });

  it('treats a score of 3 exactly as a 10, and every score alike (no review gating)', () => {
    const three = decideReviewEmail(eligible({ score: 3 }));
    const ten = decideReviewEmail(eligible({ score: 10 }));
    expect(three).toEqual(ten);
    for (let score = 0; score <= 10; score++) {
      expect(decideReviewEmail(eligible({ score }))).toEqual({ send: true });
      expect(decideReviewEmail(eligible({ score, mayContact: false }))).toEqual({
        send: false,
        reason: 'no_consent',
      });
    }
  });

  it.each([
    ['the organisation switched it off', { emailAfterHours: null }, 'switched_off'],
    ['no review site chosen', { siteCount: 0 }, 'no_sites'],
    ['an anonymous answer', { hasContact: false }, 'no_contact'],
    ['no consent to be contacted', { mayContact: false }, 'no_consent'],
    ['no email address', { hasEmail: false }, 'no_email'],
    ['an erased contact', { erased: true }, 'erased'],
    ['a bounced address', { bounced: true }, 'bounced'],
    ['unsubscribed from everything', { unsubscribed: true }, 'unsubscribed'],
    ['unsubscribed from review requests', { reviewUnsubscribed: true }, 'review_unsubscribed'],
    ['already asked for this answer', { requestedForAnswer: true }, 'already_sent_for_answer'],
    ['asked a day ago for another answer', { lastSentAt: NOW - DAY }, 'asked_recently'],
  ] as const)('does not send when %s', (_name, patch, reason) => {
    expect(decideReviewEmail(eligible(patch))).toEqual({ send: false, reason });
  });

  it('asks a contact again only once the interval has passed', () => {
    const limit = REVIEW_EMAIL_INTERVAL_DAYS * DAY;
    expect(REVIEW_EMAIL_INTERVAL_DAYS).toBe(365);
    expect(decideReviewEmail(eligible({ lastSentAt: NOW - limit + 1 }))).toEqual({
      send: false,
      reason: 'asked_recently',
    });
    expect(decideReviewEmail(eligible({ lastSentAt: NOW - limit }))).toEqual({ send: true });
  });

  it('says erased before any other fact about the person', () => {
    expect(
      decideReviewEmail(eligible({ erased: true, mayContact: false, hasEmail: false })),
    ).toEqual({ send: false, reason: 'erased' });
  });

  it('is due the chosen number of hours after the first answer', () => {
    expect(reviewEmailDueAt(NOW, 24)).toBe(NOW + DAY);
    expect(reviewEmailDueAt(NOW, 1)).toBe(NOW + 3_600_000);
  });
});
