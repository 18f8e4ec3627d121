import { defineModule } from '../../platform/define-module.ts';
import { onboardingRoutes } from './onboarding.routes.ts';

/** The owner's first-run checklist, ticked by what happened in the database. */
export const onboardingModule = defineModule({ name: 'onboarding', routes: onboardingRoutes });
