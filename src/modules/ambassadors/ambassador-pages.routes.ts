import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import type { Locale } from '../../db/schema.ts';
import { formatCode } from '../../domain/referrals/codes.ts';
import { customerT, t as translate } from '../../i18n/messages.ts';
import type { Deps } from '../../platform/deps.ts';
import { parseSettings as parseOrganisationSettings } from '../organisations/organisation-settings.ts';
import { organisationLogo } from '../organisations/logos.service.ts';
import { formatMoment } from '../public-pages/format.ts';
import { newNonce } from '../public-pages/public-headers.ts';
import {
  ANONYMOUS_POST_LIMIT,
  formBody,
  pageLocale,
  PUBLIC_BODY_LIMIT,
  PUBLIC_POST_LIMIT,
  sendMessage,
  sendPage,
  tokenOf,
} from '../public-pages/public-replies.ts';
import * as repo from './ambassadors.repository.ts';
import {
  renderCounterPage,
  renderFriendPage,
  renderFriendThanks,
  renderSharePage,
  renderSimpleMessage,
  renderVoucherPage,
  type CounterPageModel,
  type Frame,
  type FriendPageModel,
} from './ambassador-pages.view.ts';
import { parseProgrammeSettings } from './programme-settings.ts';
import { createLead, friendFormSchema } from './referrals.service.ts';
import { lookUpVoucher, redeem } from './rewards.service.ts';
import { effectiveStatus } from '../../domain/referrals/reward-rules.ts';
import { botVerdict, DEFAULT_FORM_TIMING } from '../../domain/referrals/form-timing.ts';
import { isFriendPageVisit } from '../../domain/referrals/page-views.ts';
import { checkFriendFormToken, friendFormKey, issueFriendFormToken } from './friend-form-token.ts';

function frameFor(locale: Locale, org: { name: string; settings: string }, base: string): Frame {
  const settings = parseOrganisationSettings(org.settings);
  return {
    locale,
    nonce: newNonce(),
    brandColor: settings.brandColor,
    organisationName: org.name,
    logoUrl: organisationLogo(settings, base) ?? null,
    t: customerT(locale, settings.formality),
  };
}

const qrSvg = (text: string): Promise<string> =>
  QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });

/** Counter codes and form tokens are short text; anything else is refused before parsing. */
const field = (body: Record<string, unknown>, name: string, max = 300): string => {
  const v = body[name];
  return typeof v === 'string' ? v.slice(0, max) : '';
};

/**
 * The programme's public pages (issue 12), each behind an unguessable token:
 * - `/a/:token` the ambassador's own page (from the programme email), `/a/:token/name` the
 *   consent to show their name, `/a/:token/unsubscribe` (RFC 8058) no more programme emails;
 * - `/f/:token` the friend's page and form (the link an ambassador shares);
 * - `/v/:token` a voucher, `/v/:token/unsubscribe` the friend's "do not contact me again" (on
 *   an ambassador's own voucher: no more programme emails, as `/a/:token/unsubscribe`);
 * - `/k/:token` the counter's redeem screen (a secret link the business keeps on its phone).
 */
export async function ambassadorPageRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const db = deps.db.kysely;
  const base = (): string => deps.config.publicUrl.replace(/\/+$/, '');
  // Mail clients may post the one-click unsubscribe body in any type; it is not needed.
  app.addContentTypeParser(
    ['multipart/form-data', 'text/plain'],
    { parseAs: 'buffer', bodyLimit: 16 * 1024 },
    (_req, _body, done) => done(null, {}),
  );

  async function ambassadorBy(
    request: FastifyRequest,
    reply: FastifyReply,
    by: 'share_token' | 'link_token',
  ) {
    const token = tokenOf(request);
    const a = token ? await repo.findAmbassadorPage(db, by, token) : undefined;
    if (!token || !a || a.status === 'removed') {
      await sendMessage(reply, 'unknown', pageLocale(request));
      return null;
    }
    return { token, a };
  }

  // ---- The ambassador's own page ----

  async function sendSharePage(
    reply: FastifyReply,
    a: repo.AmbassadorPageRow,
    notice: string | null,
  ) {
    const locale = a.contact_language;
    const frame = frameFor(
      locale,
      { name: a.organisation_name, settings: a.organisation_settings },
      base(),
    );
    const programme = parseProgrammeSettings(a.programme_settings ?? '{}');
    const linkUrl = `${base()}/f/${a.link_token}`;
    const referrals = await repo.listReferrals(db, {
      organisationId: a.organisation_id,
      // The ambassador's own page: their referrals, whoever their account manager is.
      scope: { kind: 'all' },
      ambassadorId: a.id,
      limit: 1000,
    });
    const rewards = await repo.rewardsOfAmbassador(db, a.organisation_id, a.id);
    const now = deps.now();
    const message = frame.t('page.amb.share.whatsappText', {
      organisation: a.organisation_name,
      link: linkUrl,
    });
    return sendPage(
      reply,
      frame.nonce,
      200,
      renderSharePage({
        frame,
        firstName: a.contact_first_name,
        offer: programme.offer,
        friendOffer: programme.friendOffer,
        linkUrl,
        code: formatCode(a.code),
        qrSvg: await qrSvg(linkUrl),
        whatsappUrl: `https://wa.me/?text=${encodeURIComponent(message)}`,
        showName: a.show_name === 1,
        fullName: a.contact_name,
        nameAction: `/a/${a.share_token}/name`,
        unsubscribeUrl: `/a/${a.share_token}/unsubscribe`,
        paused: a.status === 'paused',
        referrals: referrals.length,
        conversions: referrals.filter((r) => r.status === 'converted').length,
        rewards: rewards
          .filter((r) => r.status !== 'voided')
          .map((r) => {
            const status = effectiveStatus({ status: r.status, validUntil: r.valid_until }, now);
            return {
              description: r.description,
              status: frame.t(`page.amb.reward.${status}`),
              url: status === 'issued' ? `/v/${r.token}` : null,
              validUntil:
                status === 'issued' && r.valid_until ? formatMoment(r.valid_until, locale) : null,
            };
          }),
        notice,
      }),
    );
  }

  app.get('/a/:token', async (request, reply) => {
    const found = await ambassadorBy(request, reply, 'share_token');
    if (!found) return reply;
    return sendSharePage(reply, found.a, null);
  });

  app.post(
    '/a/:token/name',
    { config: PUBLIC_POST_LIMIT, bodyLimit: PUBLIC_BODY_LIMIT },
    async (request, reply) => {
      const found = await ambassadorBy(request, reply, 'share_token');
      if (!found) return reply;
      const show = field(formBody(request), 'showName') === '1';
      const now = deps.now();
      await repo.updateAmbassador(db, found.a.organisation_id, found.a.id, {
        show_name: show ? 1 : 0,
        updated_at: now,
      });
      const a = { ...found.a, show_name: show ? 1 : 0 };
      const frame = frameFor(
        a.contact_language,
        { name: a.organisation_name, settings: a.organisation_settings },
        base(),
      );
      return sendSharePage(
        reply,
        a,
        frame.t(show ? 'page.amb.share.nameShown' : 'page.amb.share.nameHidden'),
      );
    },
  );

  const unsubscribeConfig = { rateLimit: { max: 60, timeWindow: 60_000 } };

  /**
   * "No more programme emails": the question, with a button posting to `askTo`, while the
   * ambassador still gets them; `askTo` null once they do not: then the page says so. The
   * ambassador's own page and a voucher of theirs both lead here.
   */
  function sendProgrammeUnsubscribe(
    reply: FastifyReply,
    frame: Frame,
    organisation: string,
    askTo: string | null,
  ) {
    const title = askTo ? 'page.amb.unsubscribe.title' : 'page.amb.unsubscribe.doneTitle';
    const text = askTo ? 'page.amb.unsubscribe.question' : 'page.amb.unsubscribe.doneText';
    return sendPage(
      reply,
      frame.nonce,
      200,
      renderSimpleMessage(
        frame,
        frame.t(title),
        frame.t(text, { organisation }),
        askTo ? { action: askTo, button: frame.t('page.amb.unsubscribe.button') } : undefined,
      ),
    );
  }

  /** Stops the programme's emails to an ambassador (an earlier moment stays), and says so. */
  async function unsubscribeFromProgramme(
    reply: FastifyReply,
    frame: Frame,
    a: { organisation_id: string; id: string; organisation_name: string },
  ) {
    await repo.markAmbassadorUnsubscribed(db, a.organisation_id, a.id, deps.now());
    return sendProgrammeUnsubscribe(reply, frame, a.organisation_name, null);
  }

  const shareFrame = (a: repo.AmbassadorPageRow) =>
    frameFor(
      a.contact_language,
      { name: a.organisation_name, settings: a.organisation_settings },
      base(),
    );

  app.get('/a/:token/unsubscribe', { config: unsubscribeConfig }, async (request, reply) => {
    const found = await ambassadorBy(request, reply, 'share_token');
    if (!found) return reply;
    const a = found.a;
    const askTo = a.unsubscribed_at === null ? `/a/${a.share_token}/unsubscribe` : null;
    return sendProgrammeUnsubscribe(reply, shareFrame(a), a.organisation_name, askTo);
  });

  app.post('/a/:token/unsubscribe', { config: unsubscribeConfig }, async (request, reply) => {
    const found = await ambassadorBy(request, reply, 'share_token');
    if (!found) return reply;
    return unsubscribeFromProgramme(reply, shareFrame(found.a), found.a);
  });

  // ---- The friend's page ----

  function friendFrame(request: FastifyRequest, a: repo.AmbassadorPageRow): Frame {
    return frameFor(
      pageLocale(request, a.organisation_locale),
      { name: a.organisation_name, settings: a.organisation_settings },
      base(),
    );
  }

  const recommender = (a: repo.AmbassadorPageRow): string | null =>
    a.show_name === 1 ? a.contact_name : null;

  // Bot protection without a third-party CAPTCHA: the page carries a token signed for this link
  // with the moment it was served; see botVerdict in domain/referrals/form-timing.ts.
  const formKey = friendFormKey(deps.config.secretKey);
  const formTiming = {
    ...DEFAULT_FORM_TIMING,
    minMs: deps.config.FRIEND_FORM_MIN_SECONDS * 1000,
  };
  const formScope = (a: repo.AmbassadorPageRow, linkToken: string) => ({
    organisationId: a.organisation_id,
    linkToken,
  });

  /**
   * The friend's page with its form for this link and a freshly signed form token: empty (200), or
   * as the friend typed it with what is wrong (400).
   */
  const sendFriendForm = (
    reply: FastifyReply,
    frame: Frame,
    found: { a: repo.AmbassadorPageRow; token: string },
    status: 200 | 400,
    form: Pick<FriendPageModel, 'values' | 'errors'>,
  ) =>
    sendPage(
      reply,
      frame.nonce,
      status,
      renderFriendPage({
        frame,
        recommender: recommender(found.a),
        friendOffer: parseProgrammeSettings(found.a.programme_settings ?? '{}').friendOffer,
        action: `/f/${found.token}?lang=${frame.locale}`,
        formToken: issueFriendFormToken(formKey, formScope(found.a, found.token), deps.now()),
        ...form,
      }),
    );

  /** The friend's page of a paused or removed ambassador, or of a programme switched off. */
  const closedPage = (reply: FastifyReply, frame: Frame, a: { organisation_name: string }) =>
    sendPage(
      reply,
      frame.nonce,
      200,
      renderSimpleMessage(
        frame,
        frame.t('page.amb.friend.closedTitle'),
        frame.t('page.amb.friend.closedText', { organisation: a.organisation_name }),
      ),
    );

  app.get('/f/:token', async (request, reply) => {
    const found = await ambassadorBy(request, reply, 'link_token');
    if (!found) return reply;
    const a = found.a;
    const frame = friendFrame(request, a);
    if (a.status !== 'active' || a.programme_enabled !== 1) return closedPage(reply, frame, a);
    // A person's visit only: not a HEAD request, nor WhatsApp or Slack drawing the link's preview,
    // nor a browser's prefetch.
    const { method, headers } = request;
    if (isFriendPageVisit({ method, userAgent: headers['user-agent'], headers })) {
      await repo.countFriendPageView(db, a.organisation_id, a.id);
    }
    return sendFriendForm(reply, frame, found, 200, {
      values: { name: '', email: '', phone: '', consent: false },
      errors: [],
    });
  });

  app.post(
    '/f/:token',
    { config: ANONYMOUS_POST_LIMIT, bodyLimit: PUBLIC_BODY_LIMIT },
    async (request, reply) => {
      const found = await ambassadorBy(request, reply, 'link_token');
      if (!found) return reply;
      const a = found.a;
      const frame = friendFrame(request, a);
      if (a.status !== 'active' || a.programme_enabled !== 1) return closedPage(reply, frame, a);
      const body = formBody(request);
      const values = {
        name: field(body, 'name', 400),
        email: field(body, 'email', 400),
        phone: field(body, 'phone', 80),
        consent: field(body, 'consent') === '1',
      };
      const thanks = () => reply.redirect(`/f/${found.token}/thanks?lang=${frame.locale}`, 303);
      const verdict = botVerdict({
        honeypot: field(body, 'website'),
        token: checkFriendFormToken(
          formKey,
          field(body, 'formToken', 100),
          formScope(a, found.token),
          deps.now(),
          formTiming,
        ),
      });
      // Software fills the field people never see: it gets the same answer, and nothing is stored.
      if (verdict === 'pretend') return thanks();
      const parsed = friendFormSchema.safeParse({
        name: values.name,
        email: values.email,
        phone: values.phone,
        consent: values.consent ? '1' : undefined,
      });
      const errors: { field: string; message: string }[] = [];
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          const name = String(issue.path[0] ?? 'name');
          if (errors.some((e) => e.field === name)) continue;
          errors.push({
            field: name,
            message: frame.t(
              `page.amb.friend.error.${name === 'consent' ? 'consent' : name === 'email' ? 'email' : name === 'phone' ? 'phone' : 'name'}`,
              { organisation: a.organisation_name },
            ),
          });
        }
      } else if (!parsed.data.email && !parsed.data.phone) {
        errors.push({ field: 'email', message: frame.t('page.amb.friend.error.contact') });
      }
      // Too fast, too old or no good token: perhaps a person, so the form comes back as typed.
      if (verdict === 'ask_again') {
        errors.unshift({ field: 'form', message: frame.t('page.amb.friend.error.again') });
      }
      if (!parsed.success || errors.length > 0) {
        return sendFriendForm(reply, frame, found, 400, { values, errors });
      }
      const now = deps.now();
      const consentText = frame.t('page.amb.friend.consent', { organisation: a.organisation_name });
      await db.transaction().execute((trx) =>
        createLead(
          trx,
          deps,
          a,
          {
            name: parsed.data.name,
            email: parsed.data.email,
            phone: parsed.data.phone,
            locale: frame.locale,
            consentText,
            source: 'link',
          },
          now,
        ),
      );
      return thanks();
    },
  );

  app.get('/f/:token/thanks', async (request, reply) => {
    const found = await ambassadorBy(request, reply, 'link_token');
    if (!found) return reply;
    const frame = friendFrame(request, found.a);
    return sendPage(reply, frame.nonce, 200, renderFriendThanks(frame));
  });

  // ---- Vouchers ----

  async function voucherBy(request: FastifyRequest, reply: FastifyReply) {
    const token = tokenOf(request);
    const v = token ? await repo.findVoucherPage(db, token) : undefined;
    if (!token || !v) {
      await sendMessage(reply, 'unknown', pageLocale(request));
      return null;
    }
    const locale = v.recipient === 'friend' ? v.friend_locale : v.ambassador_language;
    const frame = frameFor(
      locale,
      { name: v.organisation_name, settings: v.organisation_settings },
      base(),
    );
    return { token, v, frame };
  }

  app.get('/v/:token', async (request, reply) => {
    const found = await voucherBy(request, reply);
    if (!found) return reply;
    const { v, frame } = found;
    const status = effectiveStatus({ status: v.status, validUntil: v.valid_until }, deps.now());
    return sendPage(
      reply,
      frame.nonce,
      200,
      renderVoucherPage({
        frame,
        description: v.description,
        code: formatCode(v.code),
        qrSvg: await qrSvg(formatCode(v.code)),
        status,
        validUntil: v.valid_until ? formatMoment(v.valid_until, frame.locale) : null,
        redeemedAt: v.redeemed_at ? formatMoment(v.redeemed_at, frame.locale) : null,
      }),
    );
  });

  // The friend's welcome mail links here ("do not contact me again"). A voucher of the
  // ambassador's own was never in such a mail; its holder gets what an unsubscribe link promises
  // them: no more of the programme's emails, the only mail the programme sends an ambassador.
  app.get('/v/:token/unsubscribe', { config: unsubscribeConfig }, async (request, reply) => {
    const found = await voucherBy(request, reply);
    if (!found) return reply;
    const { frame, token, v } = found;
    if (v.recipient === 'ambassador') {
      const askTo = v.ambassador_unsubscribed_at === null ? `/v/${token}/unsubscribe` : null;
      return sendProgrammeUnsubscribe(reply, frame, v.organisation_name, askTo);
    }
    return sendPage(
      reply,
      frame.nonce,
      200,
      renderSimpleMessage(
        frame,
        frame.t('page.amb.friendStop.title'),
        frame.t('page.amb.friendStop.question', { organisation: v.organisation_name }),
        { action: `/v/${token}/unsubscribe`, button: frame.t('page.amb.friendStop.button') },
      ),
    );
  });

  app.post('/v/:token/unsubscribe', { config: unsubscribeConfig }, async (request, reply) => {
    const found = await voucherBy(request, reply);
    if (!found) return reply;
    const { frame, v } = found;
    if (v.recipient === 'ambassador') {
      return unsubscribeFromProgramme(reply, frame, {
        organisation_id: v.organisation_id,
        id: v.ambassador_id,
        organisation_name: v.organisation_name,
      });
    }
    await repo.withdrawFriendContact(db, v.organisation_id, v.referral_id, deps.now());
    return sendPage(
      reply,
      frame.nonce,
      200,
      renderSimpleMessage(
        frame,
        frame.t('page.amb.friendStop.doneTitle'),
        frame.t('page.amb.friendStop.doneText', { organisation: v.organisation_name }),
      ),
    );
  });

  // ---- The counter ----

  async function counterBy(request: FastifyRequest, reply: FastifyReply) {
    const token = tokenOf(request);
    const p = token ? await repo.findProgrammeByCounterToken(db, token) : undefined;
    if (!token || !p) {
      await sendMessage(reply, 'unknown', pageLocale(request));
      return null;
    }
    const frame = frameFor(
      pageLocale(request, p.organisation_locale),
      { name: p.organisation_name, settings: p.organisation_settings },
      base(),
    );
    return { token, p, frame };
  }

  const counterLimit = { rateLimit: { max: 30, timeWindow: 60_000 } };

  function sendCounter(
    reply: FastifyReply,
    status: number,
    m: Omit<CounterPageModel, 'action'> & { token: string },
  ) {
    return sendPage(
      reply,
      m.frame.nonce,
      status,
      renderCounterPage({ ...m, action: `/k/${m.token}?lang=${m.frame.locale}` }),
    );
  }

  app.get('/k/:token', async (request, reply) => {
    const found = await counterBy(request, reply);
    if (!found) return reply;
    const code = field(request.query as Record<string, unknown>, 'code', 40);
    return sendCounter(reply, 200, { frame: found.frame, token: found.token, code, result: null });
  });

  /** Checks a code and says what it is worth and for whom, or why it cannot be redeemed. */
  async function check(request: FastifyRequest, reply: FastifyReply, redeemNow: boolean) {
    const found = await counterBy(request, reply);
    if (!found) return reply;
    const { frame, token, p } = found;
    const typed = field(formBody(request), 'code', 40);
    const now = deps.now();
    const ft = frame.t;
    const message = (tone: 'error' | 'ok' | 'notice', text: string, status = 200) =>
      sendCounter(reply, status, {
        frame,
        token,
        code: typed,
        result: { kind: 'message', tone, text },
      });
    return db.transaction().execute(async (trx) => {
      const found = await lookUpVoucher(trx, p.organisation_id, request.ip, typed, now);
      if (found.kind === 'locked') return message('error', ft('page.amb.counter.locked'), 429);
      if (found.kind === 'typo')
        return message('error', ft(`page.amb.counter.typo.${found.problem}`), 400);
      if (found.kind === 'unknown') return message('error', ft('page.amb.counter.unknown'), 404);
      const reward = found.reward;
      if (!found.check.ok) {
        const at = found.check.at ? formatMoment(found.check.at, frame.locale) : '';
        return message(
          'error',
          ft(`page.amb.counter.refused.${found.check.reason}`, { date: at }),
          409,
        );
      }
      if (!redeemNow) {
        const name = (await repo.voucherHolderName(trx, p.organisation_id, reward)) ?? '—';
        return sendCounter(reply, 200, {
          frame,
          token,
          code: '',
          result: {
            kind: 'found',
            description: reward.description,
            holder: name,
            validUntil: reward.valid_until ? formatMoment(reward.valid_until, frame.locale) : null,
            redeemAction: `/k/${token}/redeem?lang=${frame.locale}`,
            code: formatCode(reward.code),
          },
        });
      }
      const done = await redeem(trx, deps, reward, 'counter', now);
      if (!done) {
        return message(
          'error',
          ft('page.amb.counter.refused.already_redeemed', {
            date: formatMoment(now, frame.locale),
          }),
          409,
        );
      }
      return message('ok', ft('page.amb.counter.done', { description: reward.description }));
    });
  }

  app.post('/k/:token', { config: counterLimit, bodyLimit: PUBLIC_BODY_LIMIT }, (request, reply) =>
    check(request, reply, false),
  );
  app.post(
    '/k/:token/redeem',
    { config: counterLimit, bodyLimit: PUBLIC_BODY_LIMIT },
    (request, reply) => check(request, reply, true),
  );
}

export { translate };
