import { defineModule } from '../../platform/define-module.ts';
import {
  caseAlertHandler,
  caseEscalationHandler,
  caseFollowUpHandler,
} from './cases.job-handlers.ts';
import { casesHolder } from './cases.personal-data.ts';
import { caseRoutes } from './cases.routes.ts';
import {
  casesFollowTheirAccountManager,
  casesFollowTheirCustomer,
  casesFollowTheirCustomerToAnotherAccount,
  casesFromAnswers,
} from './cases.subscribers.ts';

/**
 * The closed loop (PRODUCT.md principle 5): a case for every unhappy customer, owned, due in
 * working time, escalated once, worked with notes and contact moments, and measured as won back.
 */
export const casesModule = defineModule({
  name: 'cases',
  routes: caseRoutes,
  jobs: [caseAlertHandler, caseEscalationHandler, caseFollowUpHandler],
  subscribers: [
    casesFromAnswers,
    casesFollowTheirCustomer,
    casesFollowTheirCustomerToAnotherAccount,
    casesFollowTheirAccountManager,
  ],
  personalData: [casesHolder],
});
