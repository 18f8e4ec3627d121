import { defineModule } from '../../platform/define-module.ts';
import { loyaltyRoutes } from './loyalty.routes.ts';

/** Loyalty as behaviour: do customers come back, and does the NPS predict it for this business? */
export const loyaltyModule = defineModule({ name: 'loyalty', routes: loyaltyRoutes });
