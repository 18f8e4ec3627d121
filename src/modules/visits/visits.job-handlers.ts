import { handleJob } from '../../platform/jobs/define-job.ts';
import { visitInviteJob } from './visits.jobs.ts';
import { inviteAfterVisit } from './visits.service.ts';

/** Invites after a visit in one transaction; the organisation comes from the job row. */
export const inviteAfterVisitHandler = handleJob(visitInviteJob, {
  run: async ({ visitId }, ctx) => {
    const organisationId = ctx.organisationId;
    if (!organisationId) return { status: 'skipped', detail: 'no organisation' };
    return ctx.db.kysely
      .transaction()
      .execute((trx) => inviteAfterVisit(trx, organisationId, visitId, ctx.now(), ctx.config));
  },
});
