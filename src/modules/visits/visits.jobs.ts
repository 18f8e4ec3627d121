import { z } from 'zod';
import { defineJob } from '../../platform/jobs/define-job.ts';

/**
 * Invites the customer of one visit, when the visit trigger's moment comes. The payload is the
 * visit id only; the handler re-reads the visit, the trigger and the contact, and the invitation
 * goes through the ordinary send planning, so the contact-frequency rules decide as for any send.
 */
export const visitInviteJob = defineJob({
  type: 'visits.invite',
  payload: z.object({ visitId: z.string() }),
});
