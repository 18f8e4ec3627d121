import type { Locale } from '../db/schema.ts';
import { en } from './messages.en.ts';
import { nl } from './messages.nl.ts';
import { nlJe } from './messages.nl-je.ts';

import type { Formality } from '../domain/greeting/greeting.ts';
import { formatMessage } from '../shared/format-message.ts';

export type { Formality };

/** Server-side message catalogue: error messages and the texts of public pages and emails. */
export type MessageKey = keyof typeof nl;
export type Catalogue = Record<MessageKey, string>;

const catalogues: Record<Locale, Catalogue> = { nl, en };

const informal: Partial<Record<MessageKey, string>> = nlJe;

/**
 * Translates a key and fills `{name}` placeholders and plurals (`formatMessage`). Unknown
 * placeholders stay visible. Texts for
 * customers pass the organisation's `formality`: in Dutch "je" picks the informal text where one
 * exists (`messages.nl-je.ts`); "u" is the catalogue's own voice.
 */
export function t(
  locale: Locale,
  key: MessageKey,
  params: Record<string, string | number> = {},
  formality: Formality = 'u',
): string {
  const template =
    (locale === 'nl' && formality === 'je' ? informal[key] : undefined) ?? catalogues[locale][key];
  return formatMessage(template, params, locale === 'nl' ? 'nl-NL' : 'en-GB');
}

export function hasMessage(key: string): key is MessageKey {
  return Object.hasOwn(nl, key);
}

/** A translator bound to one reader: the customer's language and the organisation's voice. */
export type CustomerT = (key: MessageKey, params?: Record<string, string | number>) => string;

export function customerT(locale: Locale, formality: Formality): CustomerT {
  return (key, params = {}) => t(locale, key, params, formality);
}
