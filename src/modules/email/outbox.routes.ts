import { describe } from '../../platform/http/operation.ts';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../platform/deps.ts';
import { pageRequest, toPage } from '../../shared/cursor.ts';
import { notFound } from '../../shared/errors.ts';
import { idParams, parseInput, totalParam } from '../../platform/http/validation.ts';
import { authorize } from '../auth/policies.ts';
import { staffMailReader } from './staff-mail-reader.ts';
import { findEmail, listEmails, type EmailRow } from './emails.repository.ts';
import {
  emailSchema,
  emailSummarySchema,
  presentEmailSummary,
  type EmailJson,
} from './outbox.presenter.ts';
import { pageSchema } from '../../shared/api-schemas.ts';
import { maskCredentialLinks } from './mask-links.ts';
import { retryableIds, retryEmail } from './retry-email.service.ts';
import { EMAIL_KINDS, EMAIL_STATUSES } from './email-kinds.ts';

const listSchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
  total: totalParam,
  transport: z.enum(['smtp', 'outbox']).optional(),
  invitationId: z.uuid().optional(),
  kind: z.enum(EMAIL_KINDS).optional().describe('Only emails of this kind'),
  status: z.enum(EMAIL_STATUSES).optional().describe('Only emails in this state'),
});

/** One email with its bodies; personal links are shown with their token masked. */
function presentEmail(row: EmailRow, retryable: boolean): EmailJson {
  const headers = JSON.parse(row.headers) as Record<string, string>;
  return {
    ...presentEmailSummary(row, retryable),
    headers: Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [name, maskCredentialLinks(value)]),
    ),
    text: maskCredentialLinks(row.text_body),
    html: maskCredentialLinks(row.html_body),
  };
}

/**
 * The email log, which is also the local outbox when no SMTP server is configured: staff who may
 * send surveys can read exactly what went (or would go) out, including the HTML — with the tokens
 * of personal links masked, so nobody can answer or unsubscribe as the customer from here.
 */
export async function outboxRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const db = deps.db.kysely;

  app.get(
    '/api/v1/outbox',
    describe({
      tag: 'email',
      summary: 'Emails sent or kept in the local outbox, newest first; by kind and status',
      query: listSchema,
      response: pageSchema(emailSummarySchema),
    }),
    async (request) => {
      const actor = authorize(request.actor, 'surveys:send');
      const input = parseInput(listSchema, request.query);
      const now = deps.now();
      const rows = await listEmails(
        db,
        actor.organisationId,
        {
          transport: input.transport,
          invitationId: input.invitationId,
          kind: input.kind,
          status: input.status,
          staffMailTo: await staffMailReader(db, actor),
        },
        pageRequest(input),
      );
      const retryable = await retryableIds(deps, db, actor.organisationId, rows.rows, now);
      return toPage(rows, input.limit, (row) => presentEmailSummary(row, retryable.has(row.id)));
    },
  );

  app.get(
    '/api/v1/outbox/:id',
    describe({
      tag: 'email',
      summary: 'One email with its text and HTML',
      response: emailSchema,
    }),
    async (request) => {
      const actor = authorize(request.actor, 'surveys:send');
      const { id } = parseInput(idParams, request.params);
      const row = await findEmail(db, actor.organisationId, id, await staffMailReader(db, actor));
      if (!row) throw notFound('email');
      const retryable = await retryableIds(deps, db, actor.organisationId, [row], deps.now());
      return presentEmail(row, retryable.has(row.id));
    },
  );

  app.post(
    '/api/v1/outbox/:id/retry',
    describe({
      tag: 'email',
      summary:
        'Try a delayed or failed email again now (not a refused recipient; per kind, as its module decides)',
      status: 200,
      response: emailSummarySchema,
    }),
    async (request) => {
      const actor = authorize(request.actor, 'surveys:send');
      const { id } = parseInput(idParams, request.params);
      return db.transaction().execute((trx) => retryEmail(deps, trx, actor, id, deps.now()));
    },
  );
}
