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

/** Sends a planned invitation; the organisation comes from the job row, never from the payload. */
export const sendInvitationHandler = handleJob(invitationSendJob, {
  run: async ({ invitationId }, ctx) =>
    ctx.organisationId
      ? deliverInvitation(ctx, ctx.organisationId, invitationId, ctx.attempt)
      : { status: 'skipped', detail: 'no organisation' },
  batch: {
    size: SEND_BATCH_SIZE,
    // The worker batches jobs of one organisation only, and never those without one.
    run: async (items) => {
      const [first] = items;
      const organisationId = first?.ctx.organisationId;
      if (!organisationId) throw new Error('a batch of invitations without an organisation');
      return deliverInvitations(
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

/** Sends the reminder of an invitation; a send's reminders come due together, so in batches. */
export const remindInvitationHandler = handleJob(invitationRemindJob, {
  run: async ({ invitationId }, ctx) =>
    ctx.organisationId
      ? deliverReminder(ctx, ctx.organisationId, invitationId, ctx.attempt)
      : { status: 'skipped', detail: 'no organisation' },
  batch: {
    size: SEND_BATCH_SIZE,
    run: async (items) => {
      const [first] = items;
      const organisationId = first?.ctx.organisationId;
      if (!organisationId) throw new Error('a batch of reminders without an organisation');
      return deliverReminders(
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
