import { defineModule } from '../../platform/define-module.ts';
import { auditRoutes } from './audit.routes.ts';

/** The audit log: who did what, when. */
export const auditModule = defineModule({ name: 'audit', routes: auditRoutes });
