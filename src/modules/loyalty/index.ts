import { defineModule } from '../../platform/define-module.ts';
import {
  factsAfterAnswers,
  factsAfterInvitations,
  factsAfterVisits,
} from './contact-facts.subscribers.ts';
import { lapsedPromoterSweepHandler } from './loyalty.job-handlers.ts';
import { loyaltyCommand } from './loyalty.command.ts';
import { lapsedPromoterSweepJob } from './loyalty.jobs.ts';
import { loyaltyFactsHolder, loyaltyTasksHolder } from './loyalty.personal-data.ts';
import { loyaltyRoutes } from './loyalty.routes.ts';
import { revenueMonthsAfterVisits } from './revenue-months.subscribers.ts';

/**
 * Loyalty as behaviour: do customers come back, and does the NPS predict it for this business? And
 * the promoters who did not come back get a task for their account manager. The report reads facts
 * per contact that its subscribers keep in the transaction of every visit, answer and sent
 * invitation (`loyaal loyalty rebuild` recomputes them).
 */
export const loyaltyModule = defineModule({
  name: 'loyalty',
  routes: loyaltyRoutes,
  jobs: [lapsedPromoterSweepHandler],
  subscribers: [
    factsAfterVisits,
    factsAfterAnswers,
    factsAfterInvitations,
    revenueMonthsAfterVisits,
  ],
  schedules: [{ name: 'loyalty.lapsed-sweep', dailyAt: '05:30', job: lapsedPromoterSweepJob }],
  personalData: [loyaltyTasksHolder, loyaltyFactsHolder],
  commands: [loyaltyCommand],
});
