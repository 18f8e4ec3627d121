import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../platform/deps.ts';
import { describe } from '../../platform/http/operation.ts';
import { findLocation } from '../locations/locations.repository.ts';
import { findOrganisation } from '../organisations/organisations.repository.ts';
import { newNonce } from '../public-pages/public-headers.ts';
import { findSurveyByAnonymousToken } from '../surveys/surveys.repository.ts';
import {
  formBody,
  pageLoadPostLimit,
  pageLocale,
  PUBLIC_BODY_LIMIT,
  sendMessage,
  sendPage,
  tokenOf,
} from '../public-pages/public-replies.ts';
import {
  anonymousPageKey,
  anonymousPageLoadOf,
  issueAnonymousPageToken,
} from './anonymous-page-token.ts';
import { renderResponseForm, renderThanks } from './response-page.view.ts';
import {
  anonymousFormModel,
  anonymousThanksModel,
  branding,
  formErrors,
  submittedValues,
} from './response-pages.presenter.ts';
import {
  answerFromForm,
  formAnswerSchema,
  locationQuery,
  TOKEN_PATTERN,
} from './responses.schemas.ts';
import * as service from './responses.service.ts';

const DEVICE_COOKIE = 'loyaal_device';
const DEVICE_COOKIE_DAYS = 400;

/** A device id may carry a time this far ahead of the server's clock (several servers' clocks). */
const DEVICE_TIME_SKEW_MS = 24 * 60 * 60 * 1000;

/**
 * The device id in the browser's cookie for this link, if it holds a well-formed one. One that
 * claims to be made in the future is not: its time places the browser's answer in a month's
 * partition (answer-ids.ts), and a month must never fill up in the default partition before its own
 * partition is created.
 */
const readDeviceId = (request: FastifyRequest, now: number): string | null => {
  const value = request.cookies[DEVICE_COOKIE];
  if (!value || !TOKEN_PATTERN.test(value)) return null;
  return (service.deviceIdTime(value) ?? 0) > now + DEVICE_TIME_SKEW_MS ? null : value;
};

/** Keeps a device id in the browser, for this anonymous link only. */
const setDeviceCookie = (reply: FastifyReply, token: string, id: string, secure: boolean): void => {
  void reply.setCookie(DEVICE_COOKIE, id, {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: `/s/${token}`,
    maxAge: DEVICE_COOKIE_DAYS * 24 * 60 * 60,
  });
};

/**
 * The anonymous link / QR code of a survey (`/s/:token`), for walk-in customers: one answer per
 * browser (a device cookie) and location a poster names, editable until it closes. GET only ever
 * renders; POST stores.
 */
export function anonymousPageRoutes(app: FastifyInstance, deps: Deps) {
  const db = deps.db.kysely;
  const pageKey = anonymousPageKey(deps.config.secretKey);

  /** The page-load id of the POST's page token when it is valid for this link, else null. */
  const pageLoadOf = (request: FastifyRequest): string | null => {
    const token = tokenOf(request);
    return token
      ? anonymousPageLoadOf(pageKey, formBody(request).pageToken, token, deps.now())
      : null;
  };

  /** The survey behind an anonymous token, or the friendly page already sent. */
  async function anonymousSurvey(request: FastifyRequest, reply: FastifyReply) {
    const token = tokenOf(request);
    const survey = token ? await findSurveyByAnonymousToken(db, token) : undefined;
    if (!token || !survey) {
      await sendMessage(reply, 'unknown', pageLocale(request));
      return null;
    }
    const organisation = await findOrganisation(db, survey.organisation_id);
    const organisationSettings = organisation?.settings ?? '{}';
    const locale = pageLocale(request, survey.organisation_locale);
    if (survey.status !== 'active') {
      await sendMessage(reply, 'survey_closed', locale, {
        ...branding(survey.settings, organisationSettings),
        organisationName: survey.organisation_name,
      });
      return null;
    }
    // A location's link or QR poster (`?v=<location id>`): the answer keeps that location. An id
    // that is not one of this organisation's locations is ignored, never an error for a customer.
    const named = locationQuery.parse((request.query as { v?: unknown }).v);
    const location = named ? await findLocation(db, survey.organisation_id, named) : undefined;
    return {
      token,
      survey: { ...survey, location_id: location?.id ?? null },
      organisationSettings,
      locale,
      location: location?.id ?? null,
    };
  }

  /**
   * This browser's answer on the link while it can still be changed (the form says until when);
   * null for a browser without one, or whose answer here is final (the form is a new answer).
   */
  async function openAnswerOf(
    survey: service.AnonymousSurvey,
    deviceId: string | null,
    now: number,
  ) {
    const found = deviceId
      ? await service.findAnonymousResponse(db, survey, deviceId, now)
      : undefined;
    return found && found.closes_at > now ? found : null;
  }

  app.get(
    '/s/:token',
    describe({
      tag: 'responses',
      summary: 'Anonymous survey page: the QR code, a poster or a link on a website',
      description:
        'The survey’s anonymous link (`/s/<token>`, shown with its QR code in the admin app): for walk-in customers and anyone without a personal invitation. An HTML page that works without JavaScript. `?lang=nl|en` picks the language (else the browser’s), `?v=<locationId>` records the answers for that location (one QR code per location). A cookie keeps one answer per browser (per location on a location’s link), changeable within the survey’s change window. A draft or archived survey, or an unknown token, gets a page saying so (HTML).',
      produces: 'text/html',
      public: true,
    }),
    async (request, reply) => {
      const a = await anonymousSurvey(request, reply);
      if (!a) return reply;
      const now = deps.now();
      const deviceId = readDeviceId(request, now);
      // First visit: the browser gets its device id. One whose answer here is final keeps its id
      // (its open answers at other locations stay its own) and gets a fresh form: a new answer.
      if (!deviceId) {
        setDeviceCookie(reply, a.token, service.newDeviceId(now), deps.config.COOKIE_SECURE);
      }
      const nonce = newNonce();
      const model = anonymousFormModel(a, {
        nonce,
        pageToken: issueAnonymousPageToken(pageKey, a.token, now),
        current: await openAnswerOf(a.survey, deviceId, now),
      });
      return sendPage(reply, nonce, 200, renderResponseForm(model));
    },
  );

  app.post(
    '/s/:token',
    describe(
      {
        tag: 'responses',
        summary: 'Answer the anonymous survey (the page’s form)',
        description:
          'The form of `GET /s/<token>` posts here: `score` (0–10), optionally `comment`, `employeeScore`, `mayContact`, `ambassadorOptIn`. A saved answer is 303 to the thank-you page; problems are 400 with the form and its messages (HTML). Rate-limited per page load (the form’s signed `pageToken`: 10 a minute), without a valid `pageToken` per address (30 a minute), and at most 600 a minute per address in all. There is no JSON variant: an integrator records answers through invitations (`POST /r/<token>`).',
        status: 303,
        consumes: 'application/x-www-form-urlencoded',
        public: true,
      },
      { ...pageLoadPostLimit(app, pageLoadOf), bodyLimit: PUBLIC_BODY_LIMIT },
    ),
    async (request, reply) => {
      const a = await anonymousSurvey(request, reply);
      if (!a) return reply;
      const body = formBody(request);
      const parsed = formAnswerSchema.safeParse(body);
      if (!parsed.success) {
        const nonce = newNonce();
        // The same page load goes on: a valid token stays, a missing or stale one is replaced.
        const pageToken =
          pageLoadOf(request) !== null
            ? String(body.pageToken)
            : issueAnonymousPageToken(pageKey, a.token, deps.now());
        // The answer this browser is changing, if any: its "change until …" notice stays.
        const model = anonymousFormModel(a, {
          nonce,
          pageToken,
          current: await openAnswerOf(a.survey, readDeviceId(request, deps.now()), deps.now()),
          values: submittedValues(body),
          errors: formErrors(a.locale, a.organisationSettings, parsed.error.issues),
        });
        return sendPage(reply, nonce, 400, renderResponseForm(model));
      }
      const answer = answerFromForm(parsed.data);
      const cookieId = readDeviceId(request, deps.now());
      const now = deps.now();
      const usedId = await db
        .transaction()
        .execute((trx) =>
          service.saveAnonymousAnswer(trx, deps, a.survey, cookieId, answer, a.locale, now),
        );
      if (usedId !== cookieId) setDeviceCookie(reply, a.token, usedId, deps.config.COOKIE_SECURE);
      return reply.redirect(
        `/s/${a.token}/thanks?lang=${a.locale}${a.location ? `&v=${a.location}` : ''}`,
        303,
      );
    },
  );

  app.get('/s/:token/thanks', async (request, reply) => {
    const a = await anonymousSurvey(request, reply);
    if (!a) return reply;
    const now = deps.now();
    const deviceId = readDeviceId(request, now);
    const current = deviceId
      ? await service.findAnonymousResponse(db, a.survey, deviceId, now)
      : undefined;
    if (!current) {
      return reply.redirect(
        `/s/${a.token}?lang=${a.locale}${a.location ? `&v=${a.location}` : ''}`,
        303,
      );
    }
    const nonce = newNonce();
    const open = current.closes_at > now;
    return sendPage(
      reply,
      nonce,
      200,
      renderThanks(anonymousThanksModel(a, { nonce, current, open })),
    );
  });
}
