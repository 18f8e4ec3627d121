import { defineModule } from '../../platform/define-module.ts';
import { lapsedPromoterSweepHandler } from './loyalty.job-handlers.ts';
import { lapsedPromoterSweepJob } from './loyalty.jobs.ts';
import { loyaltyTasksHolder } from './loyalty.personal-data.ts';
import { loyaltyRoutes } from './loyalty.routes.ts';

/**
 * Loyalty as behaviour: do customers come back, and does the NPS predict it for this business? And
 * the promoters who did not come back get a task for their account manager.
 */
export const loyaltyModule = defineModule({
  name: 'loyalty',
  routes: loyaltyRoutes,
  jobs: [lapsedPromoterSweepHandler],
  schedules: [{ name: 'loyalty.lapsed-sweep', dailyAt: '05:30', job: lapsedPromoterSweepJob }],
  personalData: [loyaltyTasksHolder],
});
