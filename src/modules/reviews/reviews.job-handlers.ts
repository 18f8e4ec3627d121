import { handleJob } from '../../platform/jobs/define-job.ts';
import { giveUpMailOnFailure } from '../email/deliver-mail.ts';
import { sendReviewEmail } from './review-email.service.ts';
import { findReviewRequestMessageId } from './review-requests.repository.ts';
import { reviewEmailJob } from './reviews.jobs.ts';

/** Its email is given up (the outbox says "not sent") once the mail server failed every attempt. */
export const reviewEmailHandler = handleJob(reviewEmailJob, {
  run: (p, ctx) => {
    if (!ctx.organisationId) throw new Error('job without organisation');
    return sendReviewEmail(ctx, ctx.organisationId, p.responseId);
  },
  // The request row holds the Message-ID; no row, no email was written.
  onFailed: giveUpMailOnFailure((p, ctx) =>
    ctx.organisationId
      ? findReviewRequestMessageId(ctx.db.kysely, ctx.organisationId, p.responseId)
      : null,
  ),
});
