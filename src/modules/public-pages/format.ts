import type { Locale } from '../../db/schema.ts';

const formatters = new Map<Locale, Intl.DateTimeFormat>();

/**
 * A moment as a Dutch or English reader expects it ("8 november 2026 om 10:00"), always in the
 * Netherlands' time zone: our respondents are customers of Dutch businesses, and a server running
 * in UTC must not tell them the wrong day.
 */
export function formatMoment(ms: number, locale: Locale): string {
  let f = formatters.get(locale);
  if (!f) {
    f = new Intl.DateTimeFormat(locale === 'nl' ? 'nl-NL' : 'en-GB', {
      dateStyle: 'long',
      timeStyle: 'short',
      timeZone: 'Europe/Amsterdam',
    });
    formatters.set(locale, f);
  }
  return f.format(new Date(ms));
}
