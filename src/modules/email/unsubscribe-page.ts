import type { Locale } from '../../db/schema.ts';
import { t } from '../../i18n/messages.ts';
import { escapeHtml } from '../public-pages/html.ts';

/** The three states of the unsubscribe page. */
export type UnsubscribePage =
  | { kind: 'confirm'; organisationName: string; action: string }
  | { kind: 'done'; organisationName: string }
  | { kind: 'unknown' };

/**
 * The small server-rendered unsubscribe page: no JavaScript, no external resources, a plain form
 * that POSTs back to the same link. The unknown-link variant names nobody, so a guessed token
 * learns nothing.
 */
export function renderUnsubscribePage(page: UnsubscribePage, locale: Locale, brandColor: string) {
  const title =
    page.kind === 'confirm'
      ? t(locale, 'unsubscribe.title')
      : page.kind === 'done'
        ? t(locale, 'unsubscribe.done_title')
        : t(locale, 'unsubscribe.unknown_title');
  const body =
    page.kind === 'confirm'
      ? `<p>${escapeHtml(t(locale, 'unsubscribe.question', { organisation: page.organisationName }))}</p>
<form method="post" action="${escapeHtml(page.action)}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">${escapeHtml(t(locale, 'unsubscribe.button'))}</button></form>`
      : page.kind === 'done'
        ? `<p>${escapeHtml(t(locale, 'unsubscribe.done_body', { organisation: page.organisationName }))}</p>`
        : `<p>${escapeHtml(t(locale, 'unsubscribe.unknown_body'))}</p>`;
  const footer =
    page.kind === 'unknown'
      ? ''
      : `<footer>${escapeHtml(t(locale, 'page.footer', { organisation: page.organisationName }))}</footer>`;
  const color = /^#[0-9a-fA-F]{6}$/.test(brandColor) ? brandColor : '#1f6f5c';
  return `<!DOCTYPE html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title>
<style>body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;background:#f4f4f4;color:#222;line-height:1.5}main{max-width:32rem;margin:3rem auto;padding:1.5rem;background:#fff;border-radius:8px}h1{font-size:1.4rem;margin:0 0 1rem}button{font:inherit;font-weight:600;color:#fff;background:${color};border:0;border-radius:6px;padding:.75rem 1.25rem;cursor:pointer}button:focus-visible{outline:3px solid #222;outline-offset:2px}footer{margin-top:2rem;font-size:.85rem;color:#666}</style></head>
<body><main><h1>${escapeHtml(title)}</h1>
${body}
${footer}</main></body></html>
`;
}
