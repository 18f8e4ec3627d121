import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Locale } from '../../db/schema.ts';
import { reviewSiteName, type ReviewSite } from '../../domain/reviews/review-sites.ts';
import { customerT, type Formality } from '../../i18n/messages.ts';
import type { Deps } from '../../platform/deps.ts';
import { organisationLogo } from '../organisations/logos.service.ts';
import { parseSettings } from '../organisations/organisation-settings.ts';
import { findOrganisation } from '../organisations/organisations.repository.ts';
import { escapeHtml, html } from '../public-pages/html.ts';
import { renderPage } from '../public-pages/page-layout.ts';
import { newNonce } from '../public-pages/public-headers.ts';
import { pageLocale, sendMessage, sendPage } from '../public-pages/public-replies.ts';
import { findReviewSettings } from './reviews.repository.ts';

const params = z.strictObject({ organisationId: z.uuid() });

/** What the page "hoe wij reviews verzamelen" shows; texts not yet escaped. */
export interface ReviewPolicyModel {
  locale: Locale;
  formality: Formality;
  nonce: string;
  organisationName: string;
  brandColor: string;
  logoUrl: string | null;
  sites: ReviewSite[];
  /** Hours after an answer when the review email goes; null: no review email. */
  emailAfterHours: number | null;
  languageSwitchHref: string;
}

/**
 * The organisation's disclosure of how it collects reviews (EU Omnibus directive: a business that
 * shows or invites reviews says how): who is asked and when, that the score does not decide who
 * is asked, which sites, that reviews are not paid for. Generated from the review settings, so it
 * is never out of date with what the thank-you page and the email actually do.
 */
export function renderReviewPolicy(m: ReviewPolicyModel): string {
  const t = customerT(m.locale, m.formality);
  const organisation = m.organisationName;
  const title = t('page.reviewPolicy.title');
  const other: Locale = m.locale === 'nl' ? 'en' : 'nl';
  const otherT = customerT(other, m.formality);
  return renderPage({
    locale: m.locale,
    title,
    nonce: m.nonce,
    brandColor: m.brandColor,
    organisationName: organisation,
    logoUrl: m.logoUrl,
    languageSwitch: {
      href: m.languageSwitchHref,
      locale: other,
      text: otherT('page.languageSwitch'),
      label: otherT('page.languageSwitchLabel'),
    },
    body: html([
      `<h1>${escapeHtml(title)}</h1>`,
      `<p>${escapeHtml(t('page.reviewPolicy.invite', { organisation }))}</p>`,
      `<p>${escapeHtml(t('page.reviewPolicy.everyone'))}</p>`,
      m.sites.length > 0
        ? html([
            `<p>${escapeHtml(t('page.reviewPolicy.sites'))}</p>`,
            '<ul class="review-sites">',
            ...m.sites.map(
              (s) =>
                `<li><a href="${escapeHtml(s.url)}" rel="noopener noreferrer">${escapeHtml(reviewSiteName(s))}</a></li>`,
            ),
            '</ul>',
          ])
        : `<p>${escapeHtml(t('page.reviewPolicy.noSites', { organisation }))}</p>`,
      m.sites.length > 0 &&
        m.emailAfterHours !== null &&
        `<p>${escapeHtml(t('page.reviewPolicy.email', { hours: m.emailAfterHours }))}</p>`,
      `<p>${escapeHtml(t('page.reviewPolicy.real'))}</p>`,
      `<p>${escapeHtml(t('page.reviewPolicy.noReward'))}</p>`,
    ]),
  });
}

/**
 * Public page: `/o/:organisationId/reviews` ("hoe wij reviews verzamelen"), in Dutch or English:
 * the link's `?lang=`, else the browser's language, else the organisation's (`pageLocale`).
 */
export function reviewPolicyRoutes(app: FastifyInstance, deps: Deps): void {
  const db = deps.db.kysely;
  app.get('/o/:organisationId/reviews', async (request, reply) => {
    const p = params.safeParse(request.params);
    const org = p.success ? await findOrganisation(db, p.data.organisationId) : undefined;
    if (!org) return sendMessage(reply, 'unknown', pageLocale(request));
    const settings = parseSettings(org.settings);
    // The link's language, else the browser's, else the organisation's: as every public page.
    const locale = pageLocale(request, org.locale);
    const nonce = newNonce();
    const reviewSettings = await findReviewSettings(db, org.id);
    return sendPage(
      reply,
      nonce,
      200,
      renderReviewPolicy({
        locale,
        formality: settings.formality,
        nonce,
        organisationName: org.name,
        brandColor: settings.brandColor,
        logoUrl: organisationLogo(settings),
        sites: reviewSettings.sites,
        emailAfterHours: reviewSettings.emailAfterHours,
        languageSwitchHref: `/o/${org.id}/reviews?lang=${locale === 'nl' ? 'en' : 'nl'}`,
      }),
    );
  });
}
