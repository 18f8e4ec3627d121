import { digestMailRetry } from './digest-mail-retry.ts';
import { defineModule } from '../../platform/define-module.ts';
import { composeDigestHandler, digestSweepHandler } from './digest.job-handlers.ts';
import { digestSweepJob } from './digest.jobs.ts';
import { digestTokensHolder } from './digest.personal-data.ts';
import { digestRoutes } from './digest.routes.ts';
import { stopDigestOnReport } from './digest.subscribers.ts';
import { digestUnsubscribeRoutes } from './digest-unsubscribe.routes.ts';

/**
 * The weekly digest (issue 10): every Monday at 07:00 (Europe/Amsterdam, the time zone every
 * organisation reports in) one email per member who wants it, composed with that member's own
 * role scope; a switch on the member's own settings screen and a one-click unsubscribe link.
 * Its data is the membership's choice and one unsubscribe-token hash per sent digest (no customer
 * record of its own; the tokens go with the retention period); the emails themselves are the email
 * module's rows (bodies deleted after 90 days by retention).
 */
export const digestModule = defineModule({
  name: 'digest',
  routes: digestRoutes,
  publicRoutes: digestUnsubscribeRoutes,
  jobs: [digestSweepHandler, composeDigestHandler],
  schedules: [{ name: 'digest.weekly', dailyAt: '07:00', weekday: 1, job: digestSweepJob }],
  subscribers: [stopDigestOnReport],
  personalData: [digestTokensHolder],
  contributions: [digestMailRetry],
});
