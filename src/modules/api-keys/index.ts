import { defineModule } from '../../platform/define-module.ts';
import { apiKeyRoutes } from './api-keys.routes.ts';

/** API keys for integrations (hashed, shown once, revocable). */
export const apiKeysModule = defineModule({ name: 'api-keys', routes: apiKeyRoutes });
