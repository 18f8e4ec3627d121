import { defineModule } from '../../platform/define-module.ts';
import { analyticsRoutes } from './analytics.routes.ts';

/** Results: NPS with its interval, distribution, funnel, trend and answers — aggregated in SQL. */
export const analyticsModule = defineModule({ name: 'analytics', routes: analyticsRoutes });
