import { defineModule } from '../../platform/define-module.ts';
import {
  evaluateNotificationsHandler,
  notificationsSweepHandler,
} from './notifications.job-handlers.ts';
import { notificationsSweepJob } from './notifications.jobs.ts';
import { notificationsHolder } from './notifications.personal-data.ts';
import { notificationRoutes } from './notifications.routes.ts';

/**
 * "Celebrate" and "attention": once a month, each account manager's and team's NPS is judged
 * against the month before with the celebrate rule (`domain/statistics/celebrate.ts`), and a real
 * rise or drop becomes a note in the feed — never noise, at most one per subject per month.
 */
export const notificationsModule = defineModule({
  name: 'notifications',
  routes: notificationRoutes,
  jobs: [notificationsSweepHandler, evaluateNotificationsHandler],
  schedules: [{ name: 'notifications.sweep', dailyAt: '06:15', job: notificationsSweepJob }],
  personalData: [notificationsHolder],
});
