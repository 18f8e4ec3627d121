import type { JobType } from '../../platform/contract.ts';
import { handleJob } from '../../platform/jobs/define-job.ts';
import {
  deliverInvitation,
  deliverInvitations,
  deliverReminder,
  deliverReminders,
} from './invitation-delivery.service.ts';
import { invitationRemindJob, invitationSendJob } from './invitations.jobs.ts';

/**
 * How many of an organisation's due invitations (or reminders) a worker slot sends together: one
 * transaction composes them and one marks them sent, instead of two each.
 */
export const SEND_BATCH_SIZE = 50;

/**
 * The handler of a job that sends one message of an invitation: alone, or in a batch with the
 * organisation's other due ones. The organisation comes from the job row, never from the payload.
 */
function sendingHandler(
  job: JobType<{ invitationId: string }>,
  what: string,
  deliverOne: typeof deliverInvitation,
  deliverMany: typeof deliverInvitations,
) {
  return handleJob(job, {
    run: async ({ invitationId }, ctx) =>
      ctx.organisationId
        ? deliverOne(ctx, ctx.organisationId, invitationId, ctx.attempt)
        : { status: 'skipped', detail: 'no organisation' },
    batch: {
      size: SEND_BATCH_SIZE,
      // The worker batches jobs of one organisation only, and never those without one.
      run: async (items) => {
        const [first] = items;
        const organisationId = first?.ctx.organisationId;
        if (!organisationId) throw new Error(`a batch of ${what} without an organisation`);
        return deliverMany(
          first.ctx,
          organisationId,
          items.map(({ payload, ctx }) => ({
            invitationId: payload.invitationId,
            attempt: ctx.attempt,
          })),
        );
      },
    },
  });
}

/** Sends a planned invitation. */
export const sendInvitationHandler = sendingHandler(
  invitationSendJob,
  'invitations',
  deliverInvitation,
  deliverInvitations,
);

/** Sends the reminder of an invitation; a send's reminders come due together, so in batches. */
export const remindInvitationHandler = sendingHandler(
  invitationRemindJob,
  'reminders',
  deliverReminder,
  deliverReminders,
);
