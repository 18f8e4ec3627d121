import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Locale } from '../../db/schema.ts';
import { localeFromHeader } from '../../i18n/locale.ts';
import { t } from '../../i18n/messages.ts';
import { errorHandler } from '../../server/errors.ts';
import type { Deps } from '../../server/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { newToken } from '../../shared/ids.ts';
import { parseInput } from '../../shared/validation.ts';
import { findOrganisation } from '../organisations/organisations.repository.ts';
import { findSurveyByAnonymousToken } from '../surveys/surveys.repository.ts';
import {
  messagePageStatus,
  renderMessagePage,
  type MessagePageKind,
} from '../public-pages/message-page.view.ts';
import { newNonce, setPublicPageHeaders } from '../public-pages/public-headers.ts';
import { surveyQrRoutes } from './survey-qr.routes.ts';
import { createResponseWriter, type SubmissionOutcome } from './response-writer.ts';
import { renderResponseForm, renderThanks, type ResponseFormModel } from './response-page.view.ts';
import {
  branding,
  invitationFormModel,
  pageTexts,
  thanksText,
} from './response-pages.presenter.ts';
import type { LinkState } from './response-rules.ts';
import {
  answerFromForm,
  answerFromJson,
  formAnswerSchema,
  isFullJsonAnswer,
  jsonAnswerSchema,
  langQuery,
  MAX_COMMENT_LENGTH,
  scoreFromQuery,
  TOKEN_PATTERN,
} from './responses.schemas.ts';
import * as service from './responses.service.ts';

const DEVICE_COOKIE = 'loyaal_device';
const DEVICE_COOKIE_DAYS = 400;

/** Personal-link POSTs per IP and minute: generous (a shop's wifi or an office NAT shares an IP). */
const PUBLIC_POST_LIMIT = { rateLimit: { max: 600, timeWindow: 60_000 } };
/**
 * Anonymous-link POSTs per IP and minute: much lower, because every POST without a device cookie
 * stores a new answer, so one address could otherwise stuff the walk-in survey. Thirty a minute is
 * still more than a shop counter full of customers sharing one wifi answers in person.
 */
const ANONYMOUS_POST_LIMIT = { rateLimit: { max: 30, timeWindow: 60_000 } };
/** A form carries at most a 5,000-character comment (≤ 45 KB URL-encoded); larger bodies are refused. */
const PUBLIC_BODY_LIMIT = 64 * 1024;

const LINK_ERRORS: Record<Exclude<LinkState, 'open'>, AppError['code']> = {
  unknown: 'response_link_unknown',
  expired: 'response_link_expired',
  closed: 'response_closed',
  survey_closed: 'survey_closed',
};

const isJsonRequest = (request: FastifyRequest): boolean =>
  String(request.headers['content-type'] ?? '').startsWith('application/json');

const tokenOf = (request: FastifyRequest): string | null => {
  const token = (request.params as { token?: unknown }).token;
  return typeof token === 'string' && TOKEN_PATTERN.test(token) ? token : null;
};

function sendPage(reply: FastifyReply, nonce: string, status: number, page: string) {
  return setPublicPageHeaders(reply, nonce).status(status).send(page);
}

function sendMessage(
  reply: FastifyReply,
  kind: MessagePageKind,
  locale: Locale,
  extra: { brandColor?: string; organisationName?: string } = {},
) {
  const nonce = newNonce();
  return sendPage(
    reply,
    nonce,
    messagePageStatus(kind),
    renderMessagePage({
      kind,
      locale,
      nonce,
      ...extra,
      params: { max: MAX_COMMENT_LENGTH },
    }),
  );
}

/**
 * Errors on public pages: the JSON endpoint answers with the usual JSON error; a person with a
 * browser gets a friendly page in their language that reveals nothing about the link.
 */
function publicErrorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  if (isJsonRequest(request)) {
    errorHandler(error, request, reply);
    return;
  }
  const locale = localeFromHeader(request.headers['accept-language']);
  const code = error instanceof AppError ? error.code : (error as FastifyError).code;
  const status = error instanceof AppError ? 0 : ((error as FastifyError).statusCode ?? 500);
  let kind: MessagePageKind;
  if (code === 'response_link_unknown' || code === 'not_found') kind = 'unknown';
  else if (code === 'payload_too_large' || code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    kind = 'too_large';
  else if (code === 'rate_limited' || status === 429) kind = 'rate_limited';
  else if (error instanceof AppError ? error.code !== 'internal' : status >= 400 && status < 500)
    kind = 'bad_request';
  else {
    request.log.error({ err: error }, 'unhandled error on a public page');
    kind = 'internal';
  }
  const nonce = newNonce();
  void setPublicPageHeaders(reply, nonce)
    .status(kind === 'bad_request' && status === 415 ? 415 : messagePageStatus(kind))
    .send(renderMessagePage({ kind, locale, nonce, params: { max: MAX_COMMENT_LENGTH } }));
}

/** Turns a form's validation problems into the sentences shown above the fields. */
function formErrors(
  locale: Locale,
  issues: z.core.$ZodIssue[],
): NonNullable<ResponseFormModel['errors']> {
  const errors: NonNullable<ResponseFormModel['errors']> = {
    form: t(locale, 'page.response.errorForm'),
  };
  for (const issue of issues) {
    const field = String(issue.path[0] ?? '');
    if (field === 'score') errors.score = t(locale, 'page.response.errorScore');
    else if (field === 'employeeScore')
      errors.employeeScore = t(locale, 'page.response.errorEmployeeScore');
    else if (field === 'comment')
      errors.comment = t(locale, 'page.response.errorCommentTooLong', { max: MAX_COMMENT_LENGTH });
  }
  return errors;
}

/** What the respondent typed, echoed back into a form that failed validation (never stored). */
function submittedValues(body: Record<string, unknown>): ResponseFormModel['values'] {
  return {
    score: scoreFromQuery(body.score),
    comment: typeof body.comment === 'string' ? body.comment : '',
    employeeScore: scoreFromQuery(body.employeeScore),
    mayContact: body.mayContact === '1',
    ambassadorOptIn: body.ambassadorOptIn === '1',
  };
}

/**
 * The public doors for respondents: the personal link of an email invitation (`/r/:token`) and the
 * anonymous link / QR code of a survey (`/s/:token`). GET only ever renders (a mail scanner that
 * opens every score link records nothing); answers are stored by POST, through the group-commit
 * writer for personal links.
 */
export async function responseRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  // The QR code and poster are staff routes with the usual JSON errors: their own scope.
  await app.register(async (scope) => surveyQrRoutes(scope, deps));
  const db = deps.db.kysely;
  const writer = createResponseWriter(db, {
    concurrency: deps.db.dialect === 'sqlite' ? 1 : 4,
  });
  app.addHook('onClose', async () => writer.close());
  app.setErrorHandler(publicErrorHandler);

  const acceptLocale = (request: FastifyRequest): Locale =>
    localeFromHeader(request.headers['accept-language']);

  // ---- Personal links ----

  app.get('/r/:token', async (request, reply) => {
    const token = tokenOf(request);
    if (!token) return sendMessage(reply, 'unknown', acceptLocale(request));
    const clickedScore = scoreFromQuery((request.query as { score?: unknown }).score);
    const page = await db
      .transaction()
      .execute((trx) => service.openInvitationLink(trx, token, deps.now()));
    if (!page.ctx || page.state !== 'open') {
      return sendLinkState(reply, page.state, page.ctx, acceptLocale(request));
    }
    const nonce = newNonce();
    return sendPage(
      reply,
      nonce,
      200,
      renderResponseForm(invitationFormModel(page.ctx, { token, nonce, clickedScore })),
    );
  });

  app.post(
    '/r/:token',
    { config: PUBLIC_POST_LIMIT, bodyLimit: PUBLIC_BODY_LIMIT },
    async (request, reply) => {
      const token = tokenOf(request);
      if (isJsonRequest(request)) {
        if (!token) throw new AppError('response_link_unknown');
        const input = parseInput(jsonAnswerSchema, request.body);
        const outcome = await writer.submit({
          token,
          mode: isFullJsonAnswer(input) ? 'full' : 'score',
          answer: answerFromJson(input),
          now: deps.now(),
        });
        if (outcome.status !== 'saved') throw new AppError(LINK_ERRORS[outcome.status]);
        return { status: 'saved', category: outcome.category };
      }
      if (!token) return sendMessage(reply, 'unknown', acceptLocale(request));
      const body = (request.body && typeof request.body === 'object' ? request.body : {}) as Record<
        string,
        unknown
      >;
      const parsed = formAnswerSchema.safeParse(body);
      if (!parsed.success) {
        const page = await service.readInvitationLink(db, token, deps.now());
        if (!page.ctx || page.state !== 'open') {
          return sendLinkState(reply, page.state, page.ctx, acceptLocale(request));
        }
        const nonce = newNonce();
        const model = invitationFormModel(page.ctx, {
          token,
          nonce,
          clickedScore: null,
          values: submittedValues(body),
          errors: formErrors(page.ctx.contact_language, parsed.error.issues),
        });
        return sendPage(reply, nonce, 400, renderResponseForm(model));
      }
      const outcome: SubmissionOutcome = await writer.submit({
        token,
        mode: 'full',
        answer: answerFromForm(parsed.data),
        now: deps.now(),
      });
      if (outcome.status !== 'saved') {
        const page = await service.readInvitationLink(db, token, deps.now());
        return sendLinkState(reply, outcome.status, page.ctx, acceptLocale(request));
      }
      return reply.redirect(`/r/${token}/thanks`, 303);
    },
  );

  app.get('/r/:token/thanks', async (request, reply) => {
    const token = tokenOf(request);
    if (!token) return sendMessage(reply, 'unknown', acceptLocale(request));
    const { state, ctx } = await service.readInvitationLink(db, token, deps.now());
    if (ctx && ctx.response_score !== null && (state === 'open' || state === 'closed')) {
      const nonce = newNonce();
      return sendPage(
        reply,
        nonce,
        200,
        renderThanks({
          locale: ctx.contact_language,
          nonce,
          ...branding(ctx.survey_settings, ctx.organisation_settings),
          organisationName: ctx.organisation_name,
          thanks: thanksText({
            surveySettings: ctx.survey_settings,
            organisationName: ctx.organisation_name,
            locale: ctx.contact_language,
            score: ctx.response_score,
          }),
          changeHref: `/r/${token}`,
          editableUntil: state === 'open' ? ctx.response_closes_at : null,
        }),
      );
    }
    if (ctx && state === 'open') return reply.redirect(`/r/${token}`, 303);
    return sendLinkState(reply, state, ctx, acceptLocale(request));
  });

  // ---- Anonymous link and QR code ----

  /** The survey behind an anonymous token, or the friendly page already sent. */
  async function anonymousSurvey(request: FastifyRequest, reply: FastifyReply) {
    const token = tokenOf(request);
    const survey = token ? await findSurveyByAnonymousToken(db, token) : undefined;
    const lang = langQuery.parse((request.query as { lang?: unknown }).lang);
    if (!token || !survey) {
      await sendMessage(reply, 'unknown', lang ?? acceptLocale(request));
      return null;
    }
    const organisation = await findOrganisation(db, survey.organisation_id);
    const organisationSettings = organisation?.settings ?? '{}';
    const locale =
      lang ?? localeFromHeader(request.headers['accept-language'], survey.organisation_locale);
    if (survey.status !== 'active') {
      await sendMessage(reply, 'survey_closed', locale, {
        ...branding(survey.settings, organisationSettings),
        organisationName: survey.organisation_name,
      });
      return null;
    }
    return { token, survey, organisationSettings, locale };
  }

  const readDeviceId = (request: FastifyRequest): string | null => {
    const value = request.cookies[DEVICE_COOKIE];
    return value && TOKEN_PATTERN.test(value) ? value : null;
  };
  const setDeviceId = (reply: FastifyReply, token: string): string => {
    const id = newToken(24);
    void reply.setCookie(DEVICE_COOKIE, id, {
      httpOnly: true,
      sameSite: 'lax',
      secure: deps.config.COOKIE_SECURE,
      path: `/s/${token}`,
      maxAge: DEVICE_COOKIE_DAYS * 24 * 60 * 60,
    });
    return id;
  };

  function anonymousFormModel(
    a: NonNullable<Awaited<ReturnType<typeof anonymousSurvey>>>,
    nonce: string,
    values: ResponseFormModel['values'],
    editableUntil: number | null,
    errors: ResponseFormModel['errors'],
  ): ResponseFormModel {
    const other: Locale = a.locale === 'nl' ? 'en' : 'nl';
    return {
      locale: a.locale,
      nonce,
      ...branding(a.survey.settings, a.organisationSettings),
      organisationName: a.survey.organisation_name,
      action: `/s/${a.token}?lang=${a.locale}`,
      texts: pageTexts({
        surveySettings: a.survey.settings,
        organisationSettings: a.organisationSettings,
        organisationName: a.survey.organisation_name,
        locale: a.locale,
        employeeName: null,
        withOptIns: false,
      }),
      values,
      autosave: false,
      autosaveScore: null,
      editableUntil,
      errors,
      languageSwitch: { href: `/s/${a.token}?lang=${other}`, locale: other },
    };
  }

  app.get('/s/:token', async (request, reply) => {
    const a = await anonymousSurvey(request, reply);
    if (!a) return reply;
    const deviceId = readDeviceId(request);
    let current = deviceId ? await service.findAnonymousResponse(db, a.survey, deviceId) : null;
    if (!deviceId || (current && current.closes_at <= deps.now())) {
      // First visit, or this browser's earlier answer is final: a new answer from a new device id.
      setDeviceId(reply, a.token);
      current = null;
    }
    const nonce = newNonce();
    const values = current
      ? {
          score: current.score,
          comment: current.comment ?? '',
          employeeScore: null,
          mayContact: false,
          ambassadorOptIn: false,
        }
      : {
          score: null,
          comment: '',
          employeeScore: null,
          mayContact: false,
          ambassadorOptIn: false,
        };
    return sendPage(
      reply,
      nonce,
      200,
      renderResponseForm(
        anonymousFormModel(a, nonce, values, current ? current.closes_at : null, null),
      ),
    );
  });

  app.post(
    '/s/:token',
    { config: ANONYMOUS_POST_LIMIT, bodyLimit: PUBLIC_BODY_LIMIT },
    async (request, reply) => {
      const a = await anonymousSurvey(request, reply);
      if (!a) return reply;
      const body = (request.body && typeof request.body === 'object' ? request.body : {}) as Record<
        string,
        unknown
      >;
      const parsed = formAnswerSchema.safeParse(body);
      if (!parsed.success) {
        const nonce = newNonce();
        const model = anonymousFormModel(
          a,
          nonce,
          submittedValues(body),
          null,
          formErrors(a.locale, parsed.error.issues),
        );
        return sendPage(reply, nonce, 400, renderResponseForm(model));
      }
      const answer = answerFromForm(parsed.data);
      let deviceId = readDeviceId(request) ?? setDeviceId(reply, a.token);
      const now = deps.now();
      const saved = await db.transaction().execute(async (trx) => {
        if (await service.recordAnonymousResponse(trx, a.survey, deviceId, answer, a.locale, now)) {
          return true;
        }
        deviceId = setDeviceId(reply, a.token);
        return service.recordAnonymousResponse(trx, a.survey, deviceId, answer, a.locale, now);
      });
      if (!saved) throw new AppError('internal');
      return reply.redirect(`/s/${a.token}/thanks?lang=${a.locale}`, 303);
    },
  );

  app.get('/s/:token/thanks', async (request, reply) => {
    const a = await anonymousSurvey(request, reply);
    if (!a) return reply;
    const deviceId = readDeviceId(request);
    const current = deviceId ? await service.findAnonymousResponse(db, a.survey, deviceId) : null;
    if (!current) return reply.redirect(`/s/${a.token}?lang=${a.locale}`, 303);
    const nonce = newNonce();
    const open = current.closes_at > deps.now();
    return sendPage(
      reply,
      nonce,
      200,
      renderThanks({
        locale: a.locale,
        nonce,
        ...branding(a.survey.settings, a.organisationSettings),
        organisationName: a.survey.organisation_name,
        thanks: thanksText({
          surveySettings: a.survey.settings,
          organisationName: a.survey.organisation_name,
          locale: a.locale,
          score: current.score,
        }),
        changeHref: open ? `/s/${a.token}?lang=${a.locale}` : null,
        editableUntil: open ? current.closes_at : null,
      }),
    );
  });
}

/** The page for a link that cannot take an answer now, in the contact's language when known. */
function sendLinkState(
  reply: FastifyReply,
  state: LinkState,
  ctx:
    | {
        contact_language: Locale;
        organisation_name: string;
        survey_settings: string;
        organisation_settings: string;
      }
    | undefined,
  fallbackLocale: Locale,
) {
  const kind: MessagePageKind = state === 'open' ? 'unknown' : state;
  if (!ctx || kind === 'unknown') return sendMessage(reply, 'unknown', fallbackLocale);
  return sendMessage(reply, kind, ctx.contact_language, {
    ...branding(ctx.survey_settings, ctx.organisation_settings),
    organisationName: ctx.organisation_name,
  });
}
