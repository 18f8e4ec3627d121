import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../platform/deps.ts';
import { describe } from '../../platform/http/operation.ts';
import { localeFromHeader } from '../../i18n/locale.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { unsubscribeContact } from '../contacts/contacts.service.ts';
import { findInvitationByToken } from './invitations.repository.ts';
import { parseSettings } from '../organisations/organisation-settings.ts';
import type { Formality } from '../../i18n/messages.ts';
import { newNonce, setPublicPageHeaders } from '../public-pages/public-headers.ts';
import { renderUnsubscribePage, type UnsubscribePage } from './unsubscribe-page.ts';

const TOKEN = /^[A-Za-z0-9_-]{20,100}$/;

function send(
  reply: FastifyReply,
  status: number,
  page: UnsubscribePage,
  locale: 'nl' | 'en',
  color: string,
  formality: Formality = 'u',
) {
  const nonce = newNonce();
  return setPublicPageHeaders(reply, nonce)
    .status(status)
    .header('x-robots-tag', 'noindex')
    .send(renderUnsubscribePage(page, locale, color, nonce, formality));
}

/**
 * One-click unsubscribe (RFC 8058) behind every email: `GET /u/:token` only shows a confirmation
 * form (link scanners and prefetchers fetch GETs, so a GET never changes anything); `POST /u/:token`
 * unsubscribes, whether it comes from that form or from a mail client's one-click button posting
 * `List-Unsubscribe=One-Click`. Idempotent. The invitation token is the credential, so these routes
 * resolve no session (see `needsActor` in the auth plugin) and need no CSRF token.
 */
export async function unsubscribeRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const db = deps.db.kysely;
  // Mail clients may post the one-click body as multipart or text; the body is not needed.
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 16 * 1024 }, (_req, _body, done) =>
    done(null, {}),
  );
  const config = { rateLimit: { max: 60, timeWindow: '1 minute' } };

  async function lookup(request: FastifyRequest) {
    const { token } = request.params as { token: string };
    const fallback = localeFromHeader(request.headers['accept-language']);
    const invitation = TOKEN.test(token) ? await findInvitationByToken(db, token) : undefined;
    if (!invitation) {
      const formality: Formality = 'u';
      return { invitation: undefined, locale: fallback, color: '#1f6f5c', formality, token };
    }
    const settings = parseSettings(invitation.organisation_settings);
    return {
      invitation,
      locale: invitation.contact_language,
      color: settings.brandColor,
      formality: settings.formality,
      token,
    };
  }

  app.get(
    '/u/:token',
    describe(
      {
        tag: 'email',
        summary: 'Unsubscribe page behind every email: asks to confirm, changes nothing',
        description:
          'The `List-Unsubscribe` address of every email (`https://…/u/<token>`, the token of one invitation). A GET only shows a confirmation page in the customer’s language, or “you are unsubscribed” when that is already so: link scanners and prefetchers fetch GETs, so a GET never unsubscribes. An unknown token gets a page saying so (404, HTML).',
        produces: 'text/html',
        public: true,
      },
      { config },
    ),
    async (request, reply) => {
      const { invitation, locale, color, formality, token } = await lookup(request);
      if (!invitation) return send(reply, 404, { kind: 'unknown' }, locale, color);
      const organisationName = invitation.organisation_name;
      if (invitation.unsubscribed_at !== null) {
        return send(reply, 200, { kind: 'done', organisationName }, locale, color, formality);
      }
      return send(
        reply,
        200,
        { kind: 'confirm', organisationName, action: `/u/${encodeURIComponent(token)}` },
        locale,
        color,
        formality,
      );
    },
  );

  app.post(
    '/u/:token',
    describe(
      {
        tag: 'email',
        summary: 'One-click unsubscribe (RFC 8058): unsubscribes the contact of the invitation',
        description:
          'What a mail client’s unsubscribe button posts (`List-Unsubscribe-Post: List-Unsubscribe=One-Click`), and what the confirmation page’s button posts. Any body and media type is accepted and ignored: the token is the credential. Idempotent; the contact is unsubscribed from every survey of the organisation and the change is in the audit log. Answers the page “you are unsubscribed” (HTML); an unknown token 404 (HTML).',
        status: 200,
        consumes: 'application/x-www-form-urlencoded',
        produces: 'text/html',
        public: true,
      },
      { config },
    ),
    async (request, reply) => {
      const { invitation, locale, color, formality } = await lookup(request);
      if (!invitation) return send(reply, 404, { kind: 'unknown' }, locale, color);
      await db.transaction().execute(async (trx) => {
        const now = deps.now();
        const changed = await unsubscribeContact(
          trx,
          invitation.organisation_id,
          invitation.contact_id,
          `email:${invitation.id}`,
          now,
        );
        if (changed) {
          await recordAudit(
            trx,
            { kind: 'system', organisationId: invitation.organisation_id },
            {
              action: 'contact.unsubscribed',
              entityType: 'contact',
              entityId: invitation.contact_id,
              data: { invitationId: invitation.id, via: 'email' },
            },
            now,
          );
        }
      });
      return send(
        reply,
        200,
        { kind: 'done', organisationName: invitation.organisation_name },
        locale,
        color,
        formality,
      );
    },
  );
}
