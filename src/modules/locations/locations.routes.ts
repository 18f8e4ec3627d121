import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.ts';
import { describe } from '../../platform/http/operation.ts';
import { listSchema } from '../../shared/api-schemas.ts';
import { idParams, parseInput } from '../../shared/validation.ts';
import { authorize } from '../auth/policies.ts';
import * as service from './locations.service.ts';

/** The organisation's locations (vestigingen): list, add, rename, archive. */
export async function locationRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const db = deps.db.kysely;

  app.get(
    '/api/v1/locations',
    describe({
      tag: 'locations',
      summary: 'Locations (vestigingen), by name; archived ones only on request',
      query: service.listLocationsSchema,
      response: listSchema(service.locationJsonSchema),
    }),
    async (request) => {
      const actor = authorize(request.actor, 'contacts:read');
      return service.listLocations(
        db,
        actor,
        parseInput(service.listLocationsSchema, request.query),
      );
    },
  );

  app.post(
    '/api/v1/locations',
    describe({
      tag: 'locations',
      summary: 'Add a location (its name unique in the organisation, case and accents ignored)',
      body: service.locationSchema,
      response: service.locationJsonSchema,
    }),
    async (request, reply) => {
      const actor = authorize(request.actor, 'locations:write');
      const input = parseInput(service.locationSchema, request.body);
      const location = await db
        .transaction()
        .execute((trx) => service.createLocation(trx, actor, input, deps.now()));
      return reply.status(201).send(location);
    },
  );

  app.patch(
    '/api/v1/locations/:id',
    describe({
      tag: 'locations',
      summary: 'Rename, archive or restore a location',
      body: service.updateLocationSchema,
      response: service.locationJsonSchema,
    }),
    async (request) => {
      const actor = authorize(request.actor, 'locations:write');
      const { id } = parseInput(idParams, request.params);
      const input = parseInput(service.updateLocationSchema, request.body);
      return db
        .transaction()
        .execute((trx) => service.updateLocation(trx, actor, id, input, deps.now()));
    },
  );
}
