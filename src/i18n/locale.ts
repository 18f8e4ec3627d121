import type { Locale } from '../db/schema.ts';

export const LOCALES: readonly Locale[] = ['nl', 'en'];

export const isLocale = (v: unknown): v is Locale => v === 'nl' || v === 'en';

/** A quality value (RFC 9110 §12.4.2): 0 to 1, at most three decimals; anything else is no value. */
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

/**
 * Picks nl or en from an Accept-Language header (RFC 9110 §12.5.4), `fallback` (Dutch unless the
 * caller knows better: our users are Dutch businesses) when the header names neither.
 *
 * - A language is known by its primary subtag: `en-GB` and `en` are English, `english` is not.
 * - Its quality is that of the range `en` when the header has one, else the best of its regional
 *   variants (`en-GB`, `en-US`: we have one English), else that of `*`.
 * - `q=0` means "not acceptable": such a language is never picked while another is not refused.
 * - The highest quality wins; a tie goes to the range written first, then to `fallback`.
 * - An entry whose `q` is not a number from 0 to 1 is ignored, as if it were not there.
 */
export function localeFromHeader(header: string | undefined, fallback: Locale = 'nl'): Locale {
  if (!header) return fallback;
  type Weight = { q: number; at: number };
  const exact = new Map<Locale, Weight>();
  const variant = new Map<Locale, Weight>();
  let wildcard: Weight | undefined;
  /** Whether `a` beats `b`: a higher quality, or the same written earlier. */
  const beats = (a: Weight, b: Weight | undefined): boolean =>
    !b || a.q > b.q || (a.q === b.q && a.at < b.at);
  const keepBest = (map: Map<Locale, Weight>, locale: Locale, w: Weight) => {
    if (beats(w, map.get(locale))) map.set(locale, w);
  };

  header.split(',').forEach((entry, at) => {
    const [range = '', ...params] = entry.split(';').map((p) => p.trim());
    let q = 1;
    for (const param of params) {
      const eq = param.indexOf('=');
      if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== 'q') continue;
      const value = param.slice(eq + 1).trim();
      q = QVALUE.test(value) ? Number(value) : NaN;
    }
    if (Number.isNaN(q) || !range) return;
    if (range === '*') {
      if (beats({ q, at }, wildcard)) wildcard = { q, at };
      return;
    }
    const [primary = '', ...rest] = range.toLowerCase().split(/[-_]/);
    if (!isLocale(primary)) return;
    keepBest(rest.length === 0 ? exact : variant, primary, { q, at });
  });

  const weightOf = (l: Locale): Weight | undefined => exact.get(l) ?? variant.get(l) ?? wildcard;
  let best: { locale: Locale; weight: Weight } | undefined;
  // The fallback first, so that it keeps a tie the header cannot break (`*`).
  for (const locale of [fallback, ...LOCALES.filter((l) => l !== fallback)]) {
    const weight = weightOf(locale);
    if (!weight || weight.q === 0) continue;
    if (beats(weight, best?.weight)) best = { locale, weight };
  }
  if (best) return best.locale;
  // Nothing the header asks for: the fallback, unless it is refused and the other language not.
  if (weightOf(fallback)?.q !== 0) return fallback;
  return LOCALES.find((l) => weightOf(l)?.q !== 0) ?? fallback;
}

/**
 * The language of the command line's own sentences ("Loyaal draait op …"): English when the
 * terminal asks for it (LANG=en_GB.UTF-8 and the like), Dutch otherwise.
 */
export function cliLocale(env: NodeJS.ProcessEnv = process.env): Locale {
  const tag = (env.LC_ALL || env.LC_MESSAGES || env.LANG || '').toLowerCase();
  return tag.startsWith('en') ? 'en' : 'nl';
}
