import { friendWelcomeMailRetry, programmeInviteMailRetry } from './ambassador-mail-retry.ts';
import { defineModule } from '../../platform/define-module.ts';
import { ambassadorPageRoutes } from './ambassador-pages.routes.ts';
import {
  friendWelcomeHandler,
  programmeInviteHandler,
  rewardReleaseHandler,
  rewardSweepHandler,
} from './ambassadors.job-handlers.ts';
import { rewardSweepJob } from './ambassadors.jobs.ts';
import { ambassadorsHolder, referralsHolder } from './ambassadors.personal-data.ts';
import { ambassadorRoutes } from './ambassadors.routes.ts';
import { enrolOptedInPromoters } from './ambassadors.subscribers.ts';
import { convertReferredFriends, voidRewardsOnCancelledVisit } from './visit-conversions.ts';
import { ambassadorNextStep } from './thanks-step.ts';

/**
 * From promoter to ambassador (issue 12): the register with its consent records, the programme
 * email, the share page and the friend's page, leads with fraud review, rewards held until the
 * friend's first paid visit, vouchers redeemed at the counter, thank-you tasks and the dashboard.
 */
export const ambassadorsModule = defineModule({
  name: 'ambassadors',
  routes: ambassadorRoutes,
  publicRoutes: ambassadorPageRoutes,
  jobs: [programmeInviteHandler, friendWelcomeHandler, rewardReleaseHandler, rewardSweepHandler],
  subscribers: [enrolOptedInPromoters, convertReferredFriends, voidRewardsOnCancelledVisit],
  schedules: [{ name: 'ambassadors.reward-sweep', dailyAt: '04:15', job: rewardSweepJob }],
  personalData: [ambassadorsHolder, referralsHolder],
  contributions: [programmeInviteMailRetry, friendWelcomeMailRetry, ambassadorNextStep],
});
