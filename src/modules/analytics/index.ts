import { defineModule } from '../../platform/define-module.ts';
import { acrossOrganisationsRoutes } from './across-organisations.ts';
import { analyticsRoutes } from './analytics.routes.ts';
import { rollupsCommand } from './rollups.command.ts';
import { updateRollups } from './rollups.subscribers.ts';

/**
 * Results: NPS with its interval, change, distribution, funnel, trend, breakdowns and answers —
 * aggregated in SQL, read from rollups kept by a `response.saved` subscriber where they can answer.
 */
export const analyticsModule = defineModule({
  name: 'analytics',
  routes: async (app, deps) => {
    await analyticsRoutes(app, deps);
    await acrossOrganisationsRoutes(app, deps);
  },
  subscribers: [updateRollups],
  commands: [rollupsCommand],
});
