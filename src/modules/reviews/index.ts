import { reviewRequestMailRetry } from './review-mail-retry.ts';
import { defineModule } from '../../platform/define-module.ts';
import { reviewRequestOnThanks } from './review-request.ts';
import { reviewPolicyRoutes } from './review-policy.routes.ts';
import { reviewUnsubscribeRoutes } from './review-unsubscribe.routes.ts';
import { reviewEmailHandler } from './reviews.job-handlers.ts';
import { reviewRequestsHolder } from './reviews.personal-data.ts';
import { reviewRoutes } from './reviews.routes.ts';
import { scheduleReviewEmails } from './reviews.subscribers.ts';

/**
 * Review requests (issue 12): the review sites an organisation chooses, the ask on the thank-you
 * page and the review email some hours later for every respondent who agreed to be contacted —
 * whatever the score, no review gating — with a one-click unsubscribe from review requests only,
 * and the generated public page "hoe wij reviews verzamelen" that discloses how reviews are invited.
 */
export const reviewsModule = defineModule({
  name: 'reviews',
  routes: reviewRoutes,
  publicRoutes: async (app, deps) => {
    reviewPolicyRoutes(app, deps);
    await reviewUnsubscribeRoutes(app, deps);
  },
  jobs: [reviewEmailHandler],
  subscribers: [scheduleReviewEmails],
  personalData: [reviewRequestsHolder],
  contributions: [reviewRequestMailRetry, reviewRequestOnThanks],
});
