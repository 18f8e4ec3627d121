import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.ts';
import { requestLocale } from '../../platform/http/errors.ts';
import { describe } from '../../platform/http/operation.ts';
import { parseInput } from '../../platform/http/validation.ts';
import { authorize } from '../auth/policies.ts';
import {
  mailSettingsSchema,
  mailStatusSchema,
  mailTestResultSchema,
  saveMailServerSchema,
} from './mail-server.schemas.ts';
import {
  getMailSettings,
  mailStatus,
  removeMailServer,
  saveMailServer,
  sendTestMail,
} from './mail-server.service.ts';

/**
 * The organisation's mail server: the owner sets it and sends a test mail to themselves; every
 * staff member may ask whether mail really leaves (the banners of the send and results screens).
 * The password goes in, never out.
 */
export async function mailServerRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const db = deps.db.kysely;

  app.get(
    '/api/v1/mail-server/status',
    describe({
      tag: 'email',
      summary: 'Whether mail of the organisation really leaves (a server is set and usable)',
      response: mailStatusSchema,
    }),
    async (request) => {
      const actor = authorize(request.actor, 'surveys:read');
      return mailStatus(db, deps.config, actor.organisationId);
    },
  );

  app.get(
    '/api/v1/mail-server',
    describe({
      tag: 'email',
      summary:
        "The organisation's own mail server (never its password), the installation default and the last test mail",
      response: mailSettingsSchema,
    }),
    async (request) => {
      const actor = authorize(request.actor, 'organisation:manage');
      return getMailSettings(db, deps.config, actor, requestLocale(request));
    },
  );

  app.put(
    '/api/v1/mail-server',
    describe({
      tag: 'email',
      summary:
        "Set the organisation's own mail server; the password is stored encrypted under SECRET_KEY",
      body: saveMailServerSchema,
      response: mailSettingsSchema,
      errors: ['secret_key_missing'],
    }),
    async (request) => {
      const actor = authorize(request.actor, 'organisation:manage');
      const input = parseInput(saveMailServerSchema, request.body);
      await db
        .transaction()
        .execute((trx) => saveMailServer(trx, deps.config, actor, input, deps.now()));
      return getMailSettings(db, deps.config, actor, requestLocale(request));
    },
  );

  app.delete(
    '/api/v1/mail-server',
    describe({
      tag: 'email',
      summary: "Remove the organisation's own mail server: the installation default applies again",
      status: 200,
      response: mailSettingsSchema,
    }),
    async (request) => {
      const actor = authorize(request.actor, 'organisation:manage');
      await db.transaction().execute((trx) => removeMailServer(trx, actor, deps.now()));
      return getMailSettings(db, deps.config, actor, requestLocale(request));
    },
  );

  app.post(
    '/api/v1/mail-server/test',
    describe(
      {
        tag: 'email',
        summary:
          "Send a test mail to the logged-in user and report the server's answer in plain words",
        status: 200,
        response: mailTestResultSchema,
      },
      {
        config: {
          // Ten test mails a minute per organisation (the actor is resolved before this hook):
          // colleagues behind one office address do not use up each other's tries.
          rateLimit: {
            max: 10,
            timeWindow: '1 minute',
            keyGenerator: (request) => request.actor?.organisationId ?? request.ip,
          },
        },
      },
    ),
    async (request) => {
      const actor = authorize(request.actor, 'organisation:manage');
      return sendTestMail(db, deps, actor, requestLocale(request));
    },
  );
}
