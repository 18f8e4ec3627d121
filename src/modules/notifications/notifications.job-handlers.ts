import { enqueueMany, handleJob } from '../../platform/jobs/define-job.ts';
import { listOrganisationSettings } from '../organisations/organisations.repository.ts';
import { parseSurveySettings } from '../surveys/survey-settings.ts';
import { allSurveySettings } from '../surveys/surveys.repository.ts';
import { evaluateNotificationsJob, notificationsSweepJob } from './notifications.jobs.ts';
import {
  evaluateOrganisation,
  monthPeriod,
  SETTLE_DAYS,
  settledMonth,
} from './notifications.service.ts';

/**
 * The daily sweep: one evaluation per organisation of its latest settled month — settled once its
 * surveys' longest edit window has passed — each enqueued once ever (dedupe key: organisation and
 * month), so the days after the first add nothing.
 */
export const notificationsSweepHandler = handleJob(notificationsSweepJob, {
  run: async (_payload, ctx) => {
    const now = ctx.now();
    const settle = new Map<string, number>();
    for (const s of await allSurveySettings(ctx.db.kysely)) {
      const days = parseSurveySettings(s.settings).editableDays;
      settle.set(s.organisation_id, Math.max(settle.get(s.organisation_id) ?? SETTLE_DAYS, days));
    }
    const organisations = await listOrganisationSettings(ctx.db.kysely);
    await enqueueMany(
      ctx.db.kysely,
      evaluateNotificationsJob,
      organisations.map((o) => {
        const period = settledMonth(now, settle.get(o.id) ?? SETTLE_DAYS);
        return {
          payload: { period: period.label },
          organisationId: o.id,
          now,
          dedupeKey: `${evaluateNotificationsJob.type}:${o.id}:${period.label}`,
        };
      }),
    );
    return { status: 'success', detail: `${organisations.length} organisations` };
  },
});

/** Idempotent (one note per subject per month), so a retry after a failure is harmless. */
export const evaluateNotificationsHandler = handleJob(evaluateNotificationsJob, {
  run: async (payload, ctx) => {
    if (!ctx.organisationId) return { status: 'skipped', detail: 'no organisation' };
    const period = monthPeriod(payload.period);
    const result = await ctx.db.kysely
      .transaction()
      .execute((trx) => evaluateOrganisation(trx, ctx.organisationId ?? '', period, ctx.now()));
    if (result === null) return { status: 'skipped', detail: 'NPS per employee is off' };
    return {
      status: 'success',
      detail: `${result.created} notes from ${result.judged} people and teams, ${payload.period}`,
    };
  },
});
