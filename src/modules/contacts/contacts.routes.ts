import { describe } from '../../platform/http/operation.ts';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.ts';
import { idParams, parseInput } from '../../platform/http/validation.ts';
import { authorize } from '../auth/policies.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { findOrganisation } from '../organisations/organisations.repository.ts';
import {
  createContactSchema,
  listContactsSchema,
  updateContactSchema,
} from './contacts.schemas.ts';
import * as service from './contacts.service.ts';
import { consentEventSchema, contactSchema } from './contacts.presenter.ts';
import { listSchema, pageSchema } from '../../shared/api-schemas.ts';

export async function contactRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const db = deps.db.kysely;

  app.get(
    '/api/v1/contacts',
    describe({
      tag: 'contacts',
      summary: 'Contacts: search (case and accents ignored), filters, keyset paging',
      query: listContactsSchema,
      response: pageSchema(contactSchema),
    }),
    async (request) => {
      const actor = authorize(request.actor, 'contacts:read');
      return service.listContacts(db, actor, parseInput(listContactsSchema, request.query));
    },
  );

  app.post(
    '/api/v1/contacts',
    describe({
      tag: 'contacts',
      summary: 'Create a contact (email or external id required)',
      body: createContactSchema,
      response: contactSchema,
      errors: ['conflict'],
    }),
    async (request, reply) => {
      const actor = authorize(request.actor, 'contacts:write');
      const input = parseInput(createContactSchema, request.body);
      const contact = await db.transaction().execute(async (trx) => {
        const org = await findOrganisation(trx, actor.organisationId);
        return service.createContact(trx, actor, input, deps.now(), org?.locale ?? 'nl');
      });
      return reply.status(201).send(contact);
    },
  );

  app.get(
    '/api/v1/contacts/:id',
    describe({ tag: 'contacts', summary: 'One contact', response: contactSchema }),
    async (request) => {
      const actor = authorize(request.actor, 'contacts:read');
      const { id } = parseInput(idParams, request.params);
      return service.getContact(db, actor, id);
    },
  );

  app.patch(
    '/api/v1/contacts/:id',
    describe({
      tag: 'contacts',
      summary: 'Change a contact',
      body: updateContactSchema,
      response: contactSchema,
      errors: ['conflict'],
    }),
    async (request) => {
      const actor = authorize(request.actor, 'contacts:write');
      const { id } = parseInput(idParams, request.params);
      const input = parseInput(updateContactSchema, request.body);
      return db
        .transaction()
        .execute((trx) => service.updateContact(trx, deps, actor, id, input, deps.now()));
    },
  );

  app.get(
    '/api/v1/contacts/:id/consent',
    describe({
      tag: 'contacts',
      summary: 'Consent and unsubscribe history of a contact',
      response: listSchema(consentEventSchema),
    }),
    async (request) => {
      const actor = authorize(request.actor, 'contacts:read');
      const { id } = parseInput(idParams, request.params);
      return { items: await service.consentHistory(db, actor, id) };
    },
  );

  app.post(
    '/api/v1/contacts/:id/unsubscribe',
    describe({
      tag: 'contacts',
      summary: 'Unsubscribe a contact from all research email',
      status: 200,
      response: contactSchema,
    }),
    async (request) => {
      const actor = authorize(request.actor, 'contacts:write');
      const { id } = parseInput(idParams, request.params);
      return db.transaction().execute(async (trx) => {
        await service.getContactRow(trx, actor, id);
        const now = deps.now();
        if (
          await service.unsubscribeContact(
            trx,
            actor.organisationId,
            id,
            `${actor.kind}:${actor.id}`,
            now,
          )
        ) {
          await recordAudit(
            trx,
            actor,
            { action: 'contact.unsubscribed', entityType: 'contact', entityId: id },
            now,
          );
        }
        return service.getContact(trx, actor, id);
      });
    },
  );

  app.post(
    '/api/v1/contacts/:id/resubscribe',
    describe({
      tag: 'contacts',
      summary: 'Undo an unsubscribe (only with the contact’s consent)',
      status: 200,
      response: contactSchema,
    }),
    async (request) => {
      const actor = authorize(request.actor, 'contacts:write');
      const { id } = parseInput(idParams, request.params);
      return db
        .transaction()
        .execute((trx) => service.resubscribeContact(trx, actor, id, deps.now()));
    },
  );
}
