import { handleJob } from '../../platform/jobs/define-job.ts';
import { deliverInvitation, deliverReminder } from './invitation-delivery.service.ts';
import { invitationRemindJob, invitationSendJob } from './invitations.jobs.ts';

/** Sends a planned invitation; the organisation comes from the job row, never from the payload. */
export const sendInvitationHandler = handleJob(invitationSendJob, {
  run: async ({ invitationId }, ctx) =>
    ctx.organisationId
      ? deliverInvitation(ctx, ctx.organisationId, invitationId, ctx.attempt)
      : { status: 'skipped', detail: 'no organisation' },
});

/** Sends the reminder of an invitation. */
export const remindInvitationHandler = handleJob(invitationRemindJob, {
  run: async ({ invitationId }, ctx) =>
    ctx.organisationId
      ? deliverReminder(ctx, ctx.organisationId, invitationId, ctx.attempt)
      : { status: 'skipped', detail: 'no organisation' },
});
