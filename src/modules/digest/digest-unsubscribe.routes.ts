import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Locale } from '../../db/schema.ts';
import { t } from '../../i18n/messages.ts';
import { localeFromHeader } from '../../i18n/locale.ts';
import type { Deps } from '../../platform/deps.ts';
import { describe } from '../../platform/http/operation.ts';
import { sha256 } from '../../shared/ids.ts';
import { parseSettings } from '../organisations/organisation-settings.ts';
import { escapeHtml } from '../public-pages/html.ts';
import { renderPage } from '../public-pages/page-layout.ts';
import { newNonce, setPublicPageHeaders } from '../public-pages/public-headers.ts';
import { findMemberByTokenHash } from './digest.repository.ts';
import { stopDigest, wantsDigest } from './digest.service.ts';

const TOKEN = /^[A-Za-z0-9_-]{20,100}$/;

type Page =
  | { kind: 'confirm'; organisationName: string; action: string }
  | { kind: 'done'; organisationName: string }
  | { kind: 'unknown' };

function renderDigestPage(page: Page, locale: Locale, color: string, nonce: string): string {
  const title = t(
    locale,
    page.kind === 'confirm'
      ? 'digest.page.title'
      : page.kind === 'done'
        ? 'digest.page.done_title'
        : 'digest.page.unknown_title',
  );
  const text =
    page.kind === 'unknown'
      ? t(locale, 'digest.page.unknown_body')
      : t(locale, page.kind === 'confirm' ? 'digest.page.question' : 'digest.page.done_body', {
          organisation: page.organisationName,
        });
  const form =
    page.kind === 'confirm'
      ? `<form method="post" action="${escapeHtml(page.action)}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">${escapeHtml(t(locale, 'digest.page.button'))}</button></form>`
      : '';
  return renderPage({
    locale,
    title,
    nonce,
    brandColor: color,
    organisationName: page.kind === 'unknown' ? null : page.organisationName,
    body: `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(text)}</p>\n${form}`,
  });
}

/**
 * The weekly digest's one-click unsubscribe (RFC 8058): `GET /u/digest/:token` only asks to
 * confirm (link scanners fetch GETs), `POST` — the confirmation form, or a mail client posting
 * `List-Unsubscribe=One-Click` — turns that member's digest off, and nothing else. The token is
 * the credential (only its SHA-256 is stored); each digest brings its own, and every digest's
 * link keeps working (until the organisation's retention period has passed).
 */
export async function digestUnsubscribeRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const db = deps.db.kysely;
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 16 * 1024 }, (_req, _body, done) =>
    done(null, {}),
  );
  const config = { rateLimit: { max: 60, timeWindow: '1 minute' } };

  async function lookup(request: FastifyRequest) {
    const { token } = request.params as { token: string };
    const member = TOKEN.test(token) ? await findMemberByTokenHash(db, sha256(token)) : undefined;
    return { member, token, fallback: localeFromHeader(request.headers['accept-language']) };
  }

  function send(reply: FastifyReply, status: number, page: Page, locale: Locale, color: string) {
    const nonce = newNonce();
    return setPublicPageHeaders(reply, nonce)
      .status(status)
      .header('x-robots-tag', 'noindex')
      .send(renderDigestPage(page, locale, color, nonce));
  }

  app.get(
    '/u/digest/:token',
    describe(
      {
        tag: 'email',
        summary: 'Unsubscribe page of the weekly digest: asks to confirm, changes nothing',
        description:
          'The `List-Unsubscribe` address of a weekly digest (`https://…/u/digest/<token>`). A GET only shows a confirmation page in the member’s language, or “stopped” when that is already so. Every digest carries its own token and each keeps working; an unknown token gets a page saying so (404, HTML).',
        produces: 'text/html',
        public: true,
      },
      { config },
    ),
    async (request, reply) => {
      const { member, token, fallback } = await lookup(request);
      if (!member) return send(reply, 404, { kind: 'unknown' }, fallback, '#1f6f5c');
      const color = parseSettings(member.organisation_settings).brandColor;
      const organisationName = member.organisation_name;
      if (!wantsDigest(member.role, member.weekly_digest)) {
        return send(reply, 200, { kind: 'done', organisationName }, member.locale, color);
      }
      const action = `/u/digest/${encodeURIComponent(token)}`;
      return send(reply, 200, { kind: 'confirm', organisationName, action }, member.locale, color);
    },
  );

  app.post(
    '/u/digest/:token',
    describe(
      {
        tag: 'email',
        summary: 'One-click unsubscribe (RFC 8058) of the weekly digest: stops that digest only',
        description:
          'What a mail client’s unsubscribe button posts (`List-Unsubscribe-Post: List-Unsubscribe=One-Click`), and what the confirmation page’s button posts. Any body is accepted and ignored: the token is the credential. Turns off the weekly digest of that one membership — no other email, no other organisation; audited. Idempotent. Answers the page “stopped” (HTML); an unknown token 404 (HTML).',
        status: 200,
        consumes: 'application/x-www-form-urlencoded',
        produces: 'text/html',
        public: true,
      },
      { config },
    ),
    async (request, reply) => {
      const { member, fallback } = await lookup(request);
      if (!member) return send(reply, 404, { kind: 'unknown' }, fallback, '#1f6f5c');
      await db
        .transaction()
        .execute((trx) => stopDigest(trx, member, { via: 'email' }, deps.now()));
      const color = parseSettings(member.organisation_settings).brandColor;
      return send(
        reply,
        200,
        { kind: 'done', organisationName: member.organisation_name },
        member.locale,
        color,
      );
    },
  );
}
