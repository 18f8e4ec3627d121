import type { Locale } from '../../db/schema.ts';
import {
  DAY_MS,
  type ContactRules,
  type SkipReason,
} from '../../domain/contact-rules/contact-rules.ts';
import { t } from '../../i18n/messages.ts';

/** A contact in a list selection that matches no contact of the organisation. */
export type SelectionSkipReason = SkipReason | { readonly code: 'unknown_contact' };

const dateFormats = new Map<Locale, Intl.DateTimeFormat>();

/**
 * A day as a Dutch or English reader writes it ("3 maart 2027", "3 March 2027"), in the
 * Netherlands' time zone, so a server running in UTC never names the wrong day.
 */
export function formatDay(ms: number, locale: Locale): string {
  let format = dateFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale === 'nl' ? 'nl-NL' : 'en-GB', {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'Europe/Amsterdam',
    });
    dateFormats.set(locale, format);
  }
  return format.format(new Date(ms));
}

const days = (from: number, to: number): number => Math.max(0, Math.floor((to - from) / DAY_MS));

/**
 * Explains one skip reason in the reader's language, with the numbers that make it actionable
 * ("asked 40 days ago — eligible again on 3 March 2027"), so the person planning a send sees why a
 * contact is left out before anything is sent. `now` is the moment the decision was made for (the
 * wave's send time for spread sends).
 */
export function explainSkip(
  reason: SelectionSkipReason,
  context: { locale: Locale; now: number; rules: ContactRules },
): string {
  const { locale, now, rules } = context;
  switch (reason.code) {
    case 'erased':
    case 'unsubscribed':
    case 'consent_withdrawn':
    case 'bounced':
    case 'no_email':
    case 'duplicate_in_batch':
    case 'unknown_contact':
      return t(locale, `skip.${reason.code}`);
    case 'responded_recently':
      return t(locale, 'skip.responded_recently', {
        days: reason.daysAgo,
        date: formatDay(reason.eligibleFrom, locale),
      });
    case 'too_recent':
      return reason.lastInvitedAt > now
        ? t(locale, 'skip.too_recent_planned', {
            planned: formatDay(reason.lastInvitedAt, locale),
            date: formatDay(reason.eligibleFrom, locale),
          })
        : t(locale, 'skip.too_recent', {
            days: reason.daysAgo,
            date: formatDay(reason.eligibleFrom, locale),
          });
    case 'too_many_in_year':
      return t(locale, 'skip.too_many_in_year', {
        count: reason.invitationsInWindow,
        max: reason.max,
        date: formatDay(reason.eligibleFrom, locale),
      });
    case 'account_budget': {
      // The invitation that blocks the account left the window at eligibleFrom, so it was sent one
      // window length earlier.
      const askedAt = reason.eligibleFrom - rules.accountWindowDays * DAY_MS;
      return askedAt > now
        ? t(locale, 'skip.account_budget_planned', {
            planned: formatDay(askedAt, locale),
            date: formatDay(reason.eligibleFrom, locale),
          })
        : t(locale, 'skip.account_budget', {
            days: days(askedAt, now),
            date: formatDay(reason.eligibleFrom, locale),
          });
    }
  }
}

/** All reasons of one contact, most important first, as one line. */
export function explainSkips(
  reasons: readonly SelectionSkipReason[],
  context: { locale: Locale; now: number; rules: ContactRules },
): string {
  return reasons.map((r) => explainSkip(r, context)).join('; ');
}
