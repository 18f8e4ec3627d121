import { defineModule } from '../../platform/define-module.ts';
import { locationRoutes } from './locations.routes.ts';

/**
 * Locations (vestigingen): the branches of a business, a dimension of contacts and answers. A
 * location's name is no personal data, so the module holds none.
 */
export const locationsModule = defineModule({ name: 'locations', routes: locationRoutes });
