import { listSchema } from '../../shared/api-schemas.ts';
import { namedRecordRoutes } from '../named-records/named-record.routes.ts';
import * as service from './locations.service.ts';

/** The organisation's locations (vestigingen): list, add, rename, archive. */
export const locationRoutes = namedRecordRoutes({
  path: '/api/v1/locations',
  tag: 'locations',
  read: 'contacts:read',
  write: 'locations:write',
  summaries: {
    list: 'Locations (vestigingen), by name; archived ones only on request',
    create: 'Add a location (its name unique in the organisation, case and accents ignored)',
    update: 'Rename, archive or restore a location',
  },
  listQuery: service.listLocationsSchema,
  listResponse: listSchema(service.locationJsonSchema),
  createBody: service.locationSchema,
  updateBody: service.updateLocationSchema,
  json: service.locationJsonSchema,
  list: service.listLocations,
  create: service.createLocation,
  update: service.updateLocation,
});
