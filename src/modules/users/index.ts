import { defineModule } from '../../platform/define-module.ts';
import { userRoutes } from './users.routes.ts';

/** Members, their roles, and invitations of colleagues. */
export const usersModule = defineModule({ name: 'users', routes: userRoutes });
