import type { Locale } from '../db/schema.ts';
import { en } from './messages.en.ts';
import { nl } from './messages.nl.ts';

/** Server-side message catalogue: error messages and the texts of public pages and emails. */
export type MessageKey = keyof typeof nl;
export type Catalogue = Record<MessageKey, string>;

const catalogues: Record<Locale, Catalogue> = { nl, en };

/** Translates a key and fills `{name}` placeholders. Unknown placeholders stay visible. */
export function t(
  locale: Locale,
  key: MessageKey,
  params: Record<string, string | number> = {},
): string {
  const template = catalogues[locale][key];
  return template.replace(/\{(\w+)\}/g, (m, name: string) =>
    params[name] === undefined ? m : String(params[name]),
  );
}

export function hasMessage(key: string): key is MessageKey {
  return Object.hasOwn(nl, key);
}
