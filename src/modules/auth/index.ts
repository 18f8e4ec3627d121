import { defineModule } from '../../platform/define-module.ts';
import { authRoutes } from './auth.routes.ts';

/** Sessions, login, CSRF and API-key authentication; the policy table in policies.ts. */
export const authModule = defineModule({ name: 'auth', routes: authRoutes });
