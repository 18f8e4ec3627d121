import type { Locale } from '../../db/schema.ts';
import { customerT, type Formality } from '../../i18n/messages.ts';
import { escapeHtml } from '../public-pages/html.ts';
import { renderPage } from '../public-pages/page-layout.ts';

/** The three states of the unsubscribe page. */
export type UnsubscribePage =
  | { kind: 'confirm'; organisationName: string; action: string }
  | { kind: 'done'; organisationName: string }
  | { kind: 'unknown' };

/**
 * The unsubscribe page, in the shell every public page shares: no JavaScript, nothing from
 * elsewhere, a plain form that POSTs back to the same link. The unknown-link variant names nobody,
 * so a guessed token learns nothing.
 */
export function renderUnsubscribePage(
  page: UnsubscribePage,
  locale: Locale,
  brandColor: string,
  nonce: string,
  formality: Formality = 'u',
): string {
  const t = customerT(locale, formality);
  const title =
    page.kind === 'confirm'
      ? t('unsubscribe.title')
      : page.kind === 'done'
        ? t('unsubscribe.done_title')
        : t('unsubscribe.unknown_title');
  const text =
    page.kind === 'confirm'
      ? t('unsubscribe.question', { organisation: page.organisationName })
      : page.kind === 'done'
        ? t('unsubscribe.done_body', { organisation: page.organisationName })
        : t('unsubscribe.unknown_body');
  const form =
    page.kind === 'confirm'
      ? `<form method="post" action="${escapeHtml(page.action)}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">${escapeHtml(t('unsubscribe.button'))}</button></form>`
      : '';
  const footer =
    page.kind === 'unknown'
      ? ''
      : `<p class="hint">${escapeHtml(t('page.footer', { organisation: page.organisationName }))}</p>`;
  return renderPage({
    locale,
    title,
    nonce,
    brandColor,
    organisationName: page.kind === 'unknown' ? null : page.organisationName,
    body: `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(text)}</p>\n${form}${footer}`,
  });
}
