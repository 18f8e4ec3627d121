import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { customerT } from '../../i18n/messages.ts';
import type { Deps } from '../../platform/deps.ts';
import { describe } from '../../platform/http/operation.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { recordReviewUnsubscribe } from '../contacts/contacts.service.ts';
import { organisationLogo } from '../organisations/logos.service.ts';
import { parseSettings } from '../organisations/organisation-settings.ts';
import { escapeHtml, html } from '../public-pages/html.ts';
import { renderPage } from '../public-pages/page-layout.ts';
import { newNonce } from '../public-pages/public-headers.ts';
import { pageLocale, sendMessage, sendPage, tokenOf } from '../public-pages/public-replies.ts';
import * as repo from './review-requests.repository.ts';

/**
 * One-click unsubscribe from review requests (RFC 8058), behind every review email:
 * `GET /rv/:token` only shows a confirmation form (link scanners fetch GETs, so a GET never
 * changes anything); `POST /rv/:token` — the form's button or a mail client's one-click button
 * posting `List-Unsubscribe=One-Click` — stops review requests to the contact, and only those: the
 * NPS surveys go on. Recorded on the request and as a consent event. Idempotent; the 256-bit token
 * is the credential, so no session and no CSRF token.
 */
export async function reviewUnsubscribeRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const db = deps.db.kysely;
  // Mail clients may post the one-click body as multipart or text; the body is not needed.
  app.addContentTypeParser(
    ['multipart/form-data', 'text/plain'],
    { parseAs: 'buffer', bodyLimit: 16 * 1024 },
    (_req, _body, done) => done(null, {}),
  );
  const config = { rateLimit: { max: 60, timeWindow: 60_000 } };

  async function lookup(request: FastifyRequest, reply: FastifyReply) {
    const token = tokenOf(request);
    const r = token ? await repo.findReviewRequestByToken(db, token) : undefined;
    if (!token || !r || r.contact_erased_at !== null) {
      await sendMessage(reply, 'unknown', pageLocale(request));
      return null;
    }
    return { token, r };
  }

  function page(
    reply: FastifyReply,
    r: NonNullable<Awaited<ReturnType<typeof repo.findReviewRequestByToken>>>,
    form: string | null,
  ) {
    const settings = parseSettings(r.organisation_settings);
    const t = customerT(r.contact_language, settings.formality);
    const organisation = r.organisation_name;
    const done = form === null;
    const title = t(done ? 'page.reviewStop.doneTitle' : 'page.reviewStop.title');
    const text = t(done ? 'page.reviewStop.doneText' : 'page.reviewStop.question', {
      organisation,
    });
    const nonce = newNonce();
    return sendPage(
      reply.header('x-robots-tag', 'noindex'),
      nonce,
      200,
      renderPage({
        locale: r.contact_language,
        title,
        nonce,
        brandColor: settings.brandColor,
        organisationName: organisation,
        logoUrl: organisationLogo(settings),
        body: html([
          `<h1>${escapeHtml(title)}</h1>`,
          `<p>${escapeHtml(text)}</p>`,
          form &&
            `<form method="post" action="${escapeHtml(form)}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">${escapeHtml(t('page.reviewStop.button'))}</button></form>`,
        ]),
      }),
    );
  }

  app.get(
    '/rv/:token',
    describe(
      {
        tag: 'reviews',
        summary: 'Unsubscribe page behind every review email: asks to confirm, changes nothing',
        description:
          'The `List-Unsubscribe` address of a review-request email (`https://…/rv/<token>`, the token of that one request). A GET only shows a confirmation page in the customer’s language, or “you are unsubscribed from review requests” when that is already so. An unknown token gets a page saying so (404, HTML).',
        produces: 'text/html',
        public: true,
      },
      { config },
    ),
    async (request, reply) => {
      const found = await lookup(request, reply);
      if (!found) return reply;
      return page(
        reply,
        found.r,
        found.r.unsubscribed_at === null ? `/rv/${encodeURIComponent(found.token)}` : null,
      );
    },
  );

  app.post(
    '/rv/:token',
    describe(
      {
        tag: 'reviews',
        summary: 'One-click unsubscribe (RFC 8058) from review requests only',
        description:
          'What a mail client’s unsubscribe button posts (`List-Unsubscribe-Post: List-Unsubscribe=One-Click`), and what the confirmation page’s button posts. Any body is accepted and ignored: the token is the credential. Idempotent; the contact gets no more review-request emails from the organisation — the NPS surveys go on — and the change is recorded as a consent event and in the audit log. Answers the page “you are unsubscribed” (HTML); an unknown token 404 (HTML).',
        status: 200,
        consumes: 'application/x-www-form-urlencoded',
        produces: 'text/html',
        public: true,
      },
      { config },
    ),
    async (request, reply) => {
      const found = await lookup(request, reply);
      if (!found) return reply;
      const r = found.r;
      await db.transaction().execute(async (trx) => {
        const now = deps.now();
        if (!(await repo.markReviewRequestUnsubscribed(trx, r.organisation_id, r.id, now))) return;
        await recordReviewUnsubscribe(
          trx,
          r.organisation_id,
          r.contact_id,
          `review-email:${r.id}`,
          now,
        );
        await recordAudit(
          trx,
          { kind: 'system', organisationId: r.organisation_id },
          {
            action: 'contact.review_unsubscribed',
            entityType: 'contact',
            entityId: r.contact_id,
            data: { reviewRequestId: r.id, via: 'email' },
          },
          now,
        );
      });
      return page(reply, r, null);
    },
  );
}
