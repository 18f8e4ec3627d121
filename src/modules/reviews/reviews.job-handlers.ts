import { handleJob } from '../../platform/jobs/define-job.ts';
import { sendReviewEmail } from './review-email.service.ts';
import { reviewEmailJob } from './reviews.jobs.ts';

export const reviewEmailHandler = handleJob(reviewEmailJob, {
  run: (p, ctx) => {
    if (!ctx.organisationId) throw new Error('job without organisation');
    return sendReviewEmail(ctx, ctx.organisationId, p.responseId);
  },
});
