import { createContext, useContext, useMemo, type ReactNode } from 'react';
import type { Locale } from '../api/client.ts';
import { en } from './en.ts';
import { nl, type MessageKey } from './nl.ts';
import { formatMessage } from '../../../src/shared/format-message.ts';

export type { MessageKey };
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

const catalogues: Record<Locale, Record<MessageKey, string>> = { nl, en };

const intlTag = (locale: Locale) => (locale === 'nl' ? 'nl-NL' : 'en-GB');

/**
 * Fills `{name}` placeholders and ICU plurals (`{count, plural, one {# klant} other {# klanten}}`);
 * an unknown placeholder stays visible so a mistake is noticed.
 */
export function translate(
  locale: Locale,
  key: MessageKey,
  params: Record<string, string | number> = {},
): string {
  return formatMessage(catalogues[locale][key], params, intlTag(locale));
}

interface LocaleState {
  locale: Locale;
  setLocale: (locale: Locale) => void;
}

const LocaleContext = createContext<LocaleState>({ locale: 'nl', setLocale: () => undefined });

export function LocaleProvider(props: LocaleState & { children: ReactNode }) {
  const value = useMemo(
    () => ({ locale: props.locale, setLocale: props.setLocale }),
    [props.locale, props.setLocale],
  );
  return <LocaleContext.Provider value={value}>{props.children}</LocaleContext.Provider>;
}

export function useLocale(): LocaleState {
  return useContext(LocaleContext);
}

/** The translation function for the chosen language: every visible text goes through it. */
export function useT(): Translate {
  const { locale } = useContext(LocaleContext);
  return useMemo<Translate>(() => (key, params) => translate(locale, key, params), [locale]);
}

/** Formats dates and numbers the way a Dutch or English reader expects. */
export function useFormat() {
  const { locale } = useContext(LocaleContext);
  return useMemo(() => {
    const tag = intlTag(locale);
    const dateTime = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short' });
    const date = new Intl.DateTimeFormat(tag, { dateStyle: 'medium' });
    const number = new Intl.NumberFormat(tag);
    const month = new Intl.DateTimeFormat(tag, {
      month: 'short',
      year: 'numeric',
      timeZone: 'UTC',
    });
    return {
      dateTime: (iso: string | null | undefined) => (iso ? dateTime.format(new Date(iso)) : '—'),
      date: (iso: string | null | undefined) => (iso ? date.format(new Date(iso)) : '—'),
      number: (n: number) => number.format(n),
      /** A calendar month as the API gives it (`2026-09`) as a reader writes it: "sep 2026". */
      month: (yyyyMm: string) => {
        const [y, m] = yyyyMm.split('-').map(Number);
        return y && m ? month.format(Date.UTC(y, m - 1, 1)) : yyyyMm;
      },
      percent: (share: number, digits = 0) =>
        new Intl.NumberFormat(tag, {
          style: 'percent',
          maximumFractionDigits: digits,
          minimumFractionDigits: digits,
        }).format(share),
    };
  }, [locale]);
}
