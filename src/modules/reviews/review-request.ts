import { reviewSiteName, shouldAskForReview } from '../../domain/reviews/review-sites.ts';
import { customerT } from '../../i18n/messages.ts';
import { contribute } from '../../platform/slots.ts';
import { thankYouSlot } from '../responses/thank-you.slot.ts';
import { findReviewSettings } from './reviews.repository.ts';
import { reviewPolicyPath } from './reviews.routes.ts';

/**
 * The review request on the thank-you page (issue 12): every respondent who agreed to be
 * contacted is asked, whatever their score (no review gating, `shouldAskForReview`), with a
 * button per site the organisation chose and a link to its page on how it collects reviews.
 */
export const reviewRequestOnThanks = contribute(
  thankYouSlot,
  'reviews.request',
  async (input, deps) => {
    const settings = await findReviewSettings(deps.db.kysely, input.organisationId);
    if (!settings.askOnThanks) return null;
    if (
      !shouldAskForReview({
        score: input.score,
        mayContact: input.mayContact,
        sites: settings.sites,
      })
    ) {
      return null;
    }
    const t = customerT(input.locale, input.formality);
    return {
      key: 'review',
      title: t('page.review.title'),
      paragraphs: [
        { text: t('page.review.why') },
        {
          text: t('page.review.how'),
          link: {
            label: t('page.review.howLink'),
            href: `${reviewPolicyPath(input.organisationId)}?lang=${input.locale}`,
          },
        },
      ],
      buttons: settings.sites.map((site) => ({
        label: t('page.review.on', { site: reviewSiteName(site) }),
        href: site.url,
        external: true,
      })),
    };
  },
);
