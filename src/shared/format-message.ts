/**
 * Fills a catalogue text: `{name}` placeholders and ICU plurals, so one text says "1 regel" and
 * "2 regels" (and "vandaag" for 0 days) without a second key per number:
 *
 *   '{count, plural, one {# regel kan} other {# regels kunnen}} we niet inlezen'
 *   '{days, plural, =0 {vandaag} =1 {gisteren} other {# dagen geleden}} gevraagd'
 *
 * The category comes from `Intl.PluralRules` for the locale; `=N` matches exactly first; `other` is
 * required. `#` is the number, formatted for the locale (1.234). A branch may hold placeholders.
 * An unknown placeholder stays visible, so a mistake is noticed rather than hidden. This is the
 * subset of ICU MessageFormat the catalogues use (no select, no apostrophe quoting), shared by the
 * server and the admin app.
 */
export function formatMessage(
  template: string,
  params: Readonly<Record<string, string | number>>,
  locale: string,
): string {
  if (!template.includes('{')) return template;
  let out = '';
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    if (open === -1) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, open);
    const close = matchingBrace(template, open);
    if (close === -1) {
      out += template.slice(open);
      break;
    }
    out += placeholder(
      template.slice(open + 1, close),
      template.slice(open, close + 1),
      params,
      locale,
    );
    i = close + 1;
  }
  return out;
}

/** The index of the `}` closing the `{` at `open`, or -1. */
function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

const PLURAL = /^\s*(\w+)\s*,\s*plural\s*,/;

function placeholder(
  inner: string,
  whole: string,
  params: Readonly<Record<string, string | number>>,
  locale: string,
): string {
  const plural = PLURAL.exec(inner);
  if (!plural) {
    const name = inner.trim();
    if (!/^\w+$/.test(name)) return whole;
    const value = params[name];
    return value === undefined ? whole : String(value);
  }
  const name = plural[1] ?? '';
  const raw = params[name];
  if (raw === undefined) return whole;
  const n = typeof raw === 'number' ? raw : Number(raw);
  const branches = pluralBranches(inner.slice(plural[0].length));
  const chosen =
    branches.get(`=${n}`) ??
    (Number.isFinite(n) ? branches.get(new Intl.PluralRules(locale).select(n)) : undefined) ??
    branches.get('other');
  if (chosen === undefined) return whole;
  const number = Number.isFinite(n) ? new Intl.NumberFormat(locale).format(n) : String(raw);
  return formatMessage(chosen.replace(/#/g, number), params, locale);
}

/** `one {…} =0 {…} other {…}` → selector → branch text. */
function pluralBranches(text: string): Map<string, string> {
  const branches = new Map<string, string>();
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('{', i);
    if (open === -1) break;
    const selector = text.slice(i, open).trim();
    const close = matchingBrace(text, open);
    if (close === -1 || selector === '') break;
    branches.set(selector, text.slice(open + 1, close));
    i = close + 1;
  }
  return branches;
}
