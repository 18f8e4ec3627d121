import { defineModule } from '../../platform/define-module.ts';
import { reviewRequestOnThanks } from './review-request.ts';
import { reviewPolicyRoutes } from './review-policy.routes.ts';
import { reviewRoutes } from './reviews.routes.ts';

/**
 * Review requests (issue 12): the review sites an organisation chooses, the ask on the thank-you
 * page for every respondent who agreed to be contacted — whatever the score, no review gating —
 * and the generated public page "hoe wij reviews verzamelen" that discloses how reviews are invited.
 */
export const reviewsModule = defineModule({
  name: 'reviews',
  routes: reviewRoutes,
  publicRoutes: reviewPolicyRoutes,
  contributions: [reviewRequestOnThanks],
});
