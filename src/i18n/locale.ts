import type { Locale } from '../db/schema.ts';

export const LOCALES: readonly Locale[] = ['nl', 'en'];

/** Picks nl or en from an Accept-Language header; Dutch first, as our users are Dutch businesses. */
export function localeFromHeader(header: string | undefined, fallback: Locale = 'nl'): Locale {
  if (!header) return fallback;
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.find((p) => p.trim().startsWith('q='));
      return { lang: tag.toLowerCase().slice(0, 2), q: q ? Number(q.trim().slice(2)) || 0 : 1 };
    })
    .sort((a, b) => b.q - a.q);
  for (const r of ranked) if (r.lang === 'nl' || r.lang === 'en') return r.lang;
  return fallback;
}

export const isLocale = (v: unknown): v is Locale => v === 'nl' || v === 'en';

/**
 * The language of the command line's own sentences ("Loyaal draait op …"): English when the
 * terminal asks for it (LANG=en_GB.UTF-8 and the like), Dutch otherwise.
 */
export function cliLocale(env: NodeJS.ProcessEnv = process.env): Locale {
  const tag = (env.LC_ALL || env.LC_MESSAGES || env.LANG || '').toLowerCase();
  return tag.startsWith('en') ? 'en' : 'nl';
}
