import type { Locale } from '../../db/schema.ts';
import { escapeHtml, html } from './html.ts';

/**
 * The shell of every server-rendered public page (response page, thank-you, closed pages, poster):
 * one inline `<style>` block with system fonts, no web fonts, scripts or images from elsewhere, so a
 * page weighs a few kilobytes, renders on a slow phone at once and needs no cookie banner.
 */
export interface PageOptions {
  locale: Locale;
  title: string;
  /** CSP nonce of this response: the one `<style>` and the optional `<script>` carry it. */
  nonce: string;
  /** `#rrggbb`; buttons and the selected score use it, with black or white text for contrast. */
  brandColor: string;
  organisationName?: string | null;
  /** An https logo URL, or the `/logos/:id` path of an uploaded logo, or null. */
  logoUrl?: string | null;
  body: string;
  /** Inline script (no external sources); omitted on pages that need none. */
  script?: string | null;
  /** Link to the same page in the other language (anonymous link). */
  languageSwitch?: { href: string; text: string; label: string; locale: Locale } | null;
  /** Extra CSS for one page kind (e.g. the printable poster). */
  extraCss?: string;
}

const CSS = `*{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;line-height:1.5;color:#1a1a1a;background:#f3f4f3;-webkit-text-size-adjust:100%}
body{margin:0;padding:0}
main{max-width:42rem;margin:0 auto;background:#fff;padding:20px 12px}
@media (min-width:36rem){body{padding:32px 16px}main{padding:28px 32px;border-radius:12px;box-shadow:0 1px 3px rgba(0,0,0,.15)}}
.top{display:flex;align-items:center;justify-content:space-between;gap:12px;margin-bottom:12px}
.org{font-size:1rem;font-weight:600;margin:0}
.logo{max-height:48px;max-width:160px}
h1{font-size:1.375rem;line-height:1.3;margin:0 0 1rem}
p{margin:0 0 1rem}
fieldset{border:0;margin:0 0 1.5rem;padding:0;min-width:0}
legend{font-size:1.2rem;font-weight:700;line-height:1.35;margin:0 0 .75rem;padding:0}
.scale{position:relative;display:grid;grid-template-columns:repeat(6,minmax(44px,1fr));gap:6px}
@media (min-width:36rem){.scale{grid-template-columns:repeat(11,minmax(44px,1fr))}}
.scale input{position:absolute;width:1px;height:1px;margin:0;opacity:0}
.scale label{display:flex;align-items:center;justify-content:center;min-height:48px;min-width:44px;border:2px solid #5c5c5c;border-radius:8px;font-weight:700;font-size:1.125rem;cursor:pointer;background:#fff;color:#1a1a1a}
.scale input:checked+label{background:var(--brand);border-color:var(--brand);color:var(--on-brand)}
.scale input:focus-visible+label{outline:3px solid #1a1a1a;outline-offset:2px}
.hint{color:#454545;font-size:.9375rem;margin:.5rem 0 0}
.field{margin:0 0 1.5rem}
.field>label{display:block;font-weight:700;font-size:1.0625rem;margin:0 0 .5rem}
textarea{display:block;width:100%;min-height:7rem;font:inherit;padding:10px;border:2px solid #5c5c5c;border-radius:8px;color:#1a1a1a;background:#fff}
.check{display:flex;gap:12px;align-items:flex-start;min-height:44px;padding:8px 0}
.check input{width:24px;height:24px;margin:0;flex:none;accent-color:var(--brand)}
.check label{flex:1}
button,.button{display:flex;align-items:center;justify-content:center;width:100%;min-height:48px;font:inherit;font-weight:700;font-size:1.125rem;border:0;border-radius:8px;background:var(--brand);color:var(--on-brand);cursor:pointer;text-decoration:none;padding:8px 16px}
textarea:focus-visible,.check input:focus-visible,a:focus-visible,button:focus-visible{outline:3px solid #1a1a1a;outline-offset:2px}
.error{border-left:4px solid #b00020;background:#fdecee;padding:10px 12px;margin:0 0 1rem;color:#5f0010}
.notice{border-left:4px solid var(--brand);background:#f3f4f3;padding:10px 12px;margin:0 0 1rem}
a{color:#0a4f8a}
.lang{font-size:.9375rem;min-height:44px;display:inline-flex;align-items:center}
[hidden]{display:none!important}`;

/** Relative luminance of an sRGB colour (WCAG 2). */
function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/**
 * Black or white, whichever contrasts more with the brand colour, so an organisation that picks a
 * light yellow still gets readable buttons (WCAG contrast, checked by axe in the e2e test).
 */
export function textColourOn(brandColor: string): '#000000' | '#ffffff' {
  const l = luminance(brandColor);
  return 1.05 / (l + 0.05) >= (l + 0.05) / 0.05 ? '#ffffff' : '#000000';
}

const safeColour = (value: string): string => (/^#[0-9a-fA-F]{6}$/.test(value) ? value : '#1f6f5c');

/** Renders a complete HTML document. All dynamic text must already be escaped by the caller's view. */
export function renderPage(o: PageOptions): string {
  const brand = safeColour(o.brandColor);
  // An https address, or a logo uploaded to this installation (same origin, `img-src 'self'`).
  const logo =
    o.logoUrl && /^(https:\/\/|\/logos\/[0-9a-f-]{36}$)/.test(o.logoUrl) ? o.logoUrl : null;
  const lang = o.languageSwitch;
  return html([
    '<!doctype html>',
    `<html lang="${o.locale}">`,
    '<head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width,initial-scale=1">',
    '<meta name="robots" content="noindex,nofollow">',
    `<title>${escapeHtml(o.title)}</title>`,
    `<style nonce="${o.nonce}">:root{--brand:${brand};--on-brand:${textColourOn(brand)}}\n${CSS}${o.extraCss ?? ''}</style>`,
    '</head><body><main>',
    (o.organisationName || logo || lang) &&
      html([
        '<div class="top">',
        logo
          ? `<img class="logo" src="${escapeHtml(logo)}" alt="${escapeHtml(o.organisationName ?? '')}">`
          : o.organisationName && `<p class="org">${escapeHtml(o.organisationName)}</p>`,
        lang &&
          `<a class="lang" href="${escapeHtml(lang.href)}" hreflang="${lang.locale}" lang="${lang.locale}" aria-label="${escapeHtml(lang.label)}">${escapeHtml(lang.text)}</a>`,
        '</div>',
      ]),
    o.body,
    '</main>',
    o.script && `<script nonce="${o.nonce}">${o.script}</script>`,
    '</body></html>',
  ]);
}
