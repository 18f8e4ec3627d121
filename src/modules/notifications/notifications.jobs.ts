import { z } from 'zod';
import { defineJob } from '../../platform/jobs/define-job.ts';

/** Daily: one evaluation per organisation of the latest settled month. */
export const notificationsSweepJob = defineJob({
  type: 'notifications.sweep',
  payload: z.object({}),
  maxAttempts: 3,
});

/**
 * One organisation's celebrate/attention notes for one month (`2026-10`), against the month
 * before. The organisation is the job row's; the month is in the payload and in the dedupe key.
 */
export const evaluateNotificationsJob = defineJob({
  type: 'notifications.evaluate',
  payload: z.object({ period: z.string().regex(/^\d{4}-\d{2}$/) }),
  maxAttempts: 5,
});
