import { defineModule } from '../../platform/define-module.ts';

/** AVG/GDPR: export and erasure across every module's personal-data holders. */
export const privacyModule = defineModule({ name: 'privacy' });
