import { defineModule } from '../../platform/define-module.ts';
import { retentionRunHandler, retentionSweepHandler } from './privacy.job-handlers.ts';
import { retentionSweepJob } from './privacy.jobs.ts';
import { privacyRoutes } from './privacy.routes.ts';

/**
 * AVG/GDPR: export and erasure across every module's personal-data holders, and the daily
 * retention run that anonymises what an organisation may no longer keep.
 */
export const privacyModule = defineModule({
  name: 'privacy',
  routes: privacyRoutes,
  jobs: [retentionSweepHandler, retentionRunHandler],
  schedules: [{ name: 'privacy.retention', dailyAt: '03:30', job: retentionSweepJob }],
});
