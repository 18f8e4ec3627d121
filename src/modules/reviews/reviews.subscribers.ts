import { reviewEmailDueAt } from '../../domain/reviews/review-email.ts';
import { inTransaction } from '../../platform/events/define-event.ts';
import { enqueue } from '../../platform/jobs/define-job.ts';
import { responseSaved } from '../responses/responses.events.ts';
import { findReviewSettings, type ReviewSettings } from './reviews.repository.ts';
import { reviewEmailJob } from './reviews.jobs.ts';

/**
 * Every answer of a contact who agreed to be contacted (new, or edited to say so) schedules its
 * review email in the answer's own transaction, due the organisation's number of hours after the
 * first answer. One job per answer (the dedupe key), so an edit never schedules a second email.
 * The score is not looked at; the job decides again when it runs.
 */
export const scheduleReviewEmails = inTransaction(
  responseSaved,
  'reviews.schedule-email',
  async (trx, events, { now }) => {
    const settings = new Map<string, ReviewSettings>();
    for (const e of events) {
      if (!e.data.contactId || !e.data.mayContact) continue;
      let s = settings.get(e.organisationId);
      if (!s) {
        s = await findReviewSettings(trx, e.organisationId);
        settings.set(e.organisationId, s);
      }
      if (s.emailAfterHours === null || s.sites.length === 0) continue;
      await enqueue(
        trx,
        reviewEmailJob,
        { responseId: e.data.responseId },
        {
          organisationId: e.organisationId,
          now,
          runAt: Math.max(now, reviewEmailDueAt(e.data.answeredAt, s.emailAfterHours)),
          dedupeKey: `reviews.email:${e.data.responseId}`,
        },
      );
    }
  },
);
