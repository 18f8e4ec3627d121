import { registerJobHandler } from '../../jobs/registry.ts';
import {
  deliverInvitation,
  deliverReminder,
  INVITATION_REMIND_JOB,
} from './invitation-delivery.service.ts';
import { INVITATION_SEND_JOB } from './send-planning.service.ts';

/**
 * Job handlers of the invitations module. Payloads carry the invitation id only; the organisation
 * comes from the job row, so a handler never reads another organisation's invitation.
 */
function invitationIdOf(payload: Record<string, unknown>): string | null {
  return typeof payload.invitationId === 'string' ? payload.invitationId : null;
}

/** Registers the send and reminder jobs with the worker. */
export function registerInvitationJobs(): void {
  registerJobHandler(INVITATION_SEND_JOB, async (payload, ctx) => {
    const id = invitationIdOf(payload);
    if (!id || !ctx.organisationId) return { status: 'skipped', detail: 'bad payload' };
    return deliverInvitation(ctx, ctx.organisationId, id, ctx.attempt);
  });

  registerJobHandler(INVITATION_REMIND_JOB, async (payload, ctx) => {
    const id = invitationIdOf(payload);
    if (!id || !ctx.organisationId) return { status: 'skipped', detail: 'bad payload' };
    return deliverReminder(ctx, ctx.organisationId, id, ctx.attempt);
  });
}
