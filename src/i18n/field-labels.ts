import type { Locale } from '../db/schema.ts';
import { hasMessage, t, type MessageKey } from './messages.ts';

/**
 * Where a field's label comes from: the catalogue key (`field.<path>`, see `fields.nl.ts`) and the
 * parameters it is filled with (`n`: the 1-based list position, `key`: a free key such as an
 * attribute's name).
 */
export interface LabelSource {
  key: MessageKey;
  params: Record<string, string | number>;
}

const isIndex = (segment: string) => /^\d+$/.test(segment);

/**
 * Finds the label of a field path as an issue names it (`visits.3.customer.email`,
 * `attributes.kenteken`, `schedule.end`). Tries, most specific first: the tag's own label
 * (`field.visits:externalId`), then the shared one, each with list positions as `*`; then the last
 * segment as a free key (`attributes.*`). Unless `strict`, a path without a label of its own takes
 * its nearest labelled parent (an item of a list of words takes the list's label). Null when
 * nothing matches.
 */
export function fieldLabelSource(
  field: string,
  options: { tag?: string | undefined; strict?: boolean } = {},
): LabelSource | null {
  if (field === '_' || field === '') return { key: 'field._', params: {} };
  const segments = field.split('.');
  const indexes = segments.filter(isIndex);
  const n = indexes.length ? Number(indexes[indexes.length - 1]) + 1 : undefined;
  const normalised = segments.map((s) => (isIndex(s) ? '*' : s));
  const find = (path: string, params: Record<string, string | number>): LabelSource | null => {
    const keys = [...(options.tag ? [`field.${options.tag}:${path}`] : []), `field.${path}`];
    for (const key of keys) if (hasMessage(key)) return { key, params };
    return null;
  };
  const base: Record<string, string | number> = n === undefined ? {} : { n };
  for (let length = normalised.length; length > 0; length--) {
    const head = normalised.slice(0, length);
    const exact = find(head.join('.'), base);
    if (exact) return exact;
    const last = segments[length - 1] ?? '';
    if (!isIndex(last)) {
      const free = find([...head.slice(0, -1), '*'].join('.'), { ...base, key: last });
      if (free) return free;
    }
    if (options.strict) return null;
  }
  return null;
}

/** The label of a field in the reader's language; an unknown path is shown as it is. */
export function fieldLabel(locale: Locale, field: string, tag?: string): string {
  const source = fieldLabelSource(field, { tag });
  return source ? t(locale, source.key, source.params) : field;
}

/** A field that the request carried but the schema does not know, named by its own key. */
export function unknownFieldLabel(locale: Locale, field: string): string {
  return t(locale, 'field.unknown', { key: field });
}
