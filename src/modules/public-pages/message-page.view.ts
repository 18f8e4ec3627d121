import type { Locale } from '../../db/schema.ts';
import { t, type Formality, type MessageKey } from '../../i18n/messages.ts';
import { escapeHtml } from './html.ts';
import { renderPage } from './page-layout.ts';

/** The friendly pages a respondent may meet instead of a form: each has a title and one sentence. */
export type MessagePageKind =
  | 'unknown'
  | 'expired'
  | 'closed'
  | 'survey_closed'
  | 'too_large'
  | 'bad_request'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

const PAGES: Record<MessagePageKind, { title: MessageKey; text: MessageKey; status: number }> = {
  unknown: { title: 'page.closed.unknownTitle', text: 'page.closed.unknownText', status: 404 },
  expired: { title: 'page.closed.expiredTitle', text: 'page.closed.expiredText', status: 410 },
  closed: { title: 'page.closed.closedTitle', text: 'page.closed.closedText', status: 410 },
  survey_closed: { title: 'page.closed.surveyTitle', text: 'page.closed.surveyText', status: 410 },
  too_large: { title: 'page.error.tooLargeTitle', text: 'page.error.tooLargeText', status: 413 },
  bad_request: {
    title: 'page.error.badRequestTitle',
    text: 'page.error.badRequestText',
    status: 400,
  },
  rate_limited: {
    title: 'page.error.rateLimitedTitle',
    text: 'page.error.rateLimitedText',
    status: 429,
  },
  unavailable: {
    title: 'page.error.unavailableTitle',
    text: 'page.error.unavailableText',
    status: 503,
  },
  internal: { title: 'page.error.internalTitle', text: 'page.error.internalText', status: 500 },
};

/** HTTP status of a message page: 404 for an unknown link, 410 for one that no longer works, … */
export const messagePageStatus = (kind: MessagePageKind): number => PAGES[kind].status;

/**
 * Renders a message page. It deliberately names no organisation, survey or person for `unknown`,
 * so a guessed or forged token learns nothing; the other kinds show only the organisation's name.
 */
export function renderMessagePage(options: {
  kind: MessagePageKind;
  locale: Locale;
  nonce: string;
  brandColor?: string;
  organisationName?: string | null;
  /** The organisation's voice; "u" when the page cannot know the organisation. */
  formality?: Formality;
  params?: Record<string, string | number>;
}): string {
  const page = PAGES[options.kind];
  const formality = options.formality ?? 'u';
  const title = t(options.locale, page.title, options.params, formality);
  return renderPage({
    locale: options.locale,
    title,
    nonce: options.nonce,
    brandColor: options.brandColor ?? '#1f6f5c',
    organisationName: options.kind === 'unknown' ? null : (options.organisationName ?? null),
    body: `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(t(options.locale, page.text, options.params, formality))}</p>`,
  });
}
