import { defineModule } from '../../platform/define-module.ts';
import { accountRoutes } from './accounts.routes.ts';

/** Client companies (accounts) that group contacts and share a contact budget. */
export const accountsModule = defineModule({ name: 'accounts', routes: accountRoutes });
