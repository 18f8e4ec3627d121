import { describe } from '../../platform/http/operation.ts';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.ts';
import { collectSlot } from '../../platform/slots.ts';
import { categorise } from '../../domain/scoring/nps.ts';
import { AppError } from '../../shared/errors.ts';
import { parseInput } from '../../platform/http/validation.ts';
import { newNonce } from '../public-pages/public-headers.ts';
import {
  pageLocale,
  formBody,
  isJsonRequest,
  PUBLIC_BODY_LIMIT,
  PUBLIC_POST_LIMIT,
  sendMessage,
  sendPage,
  tokenOf,
} from '../public-pages/public-replies.ts';
import { sendLinkState } from './link-state-reply.ts';
import { renderResponseForm, renderThanks } from './response-page.view.ts';
import {
  formErrors,
  invitationFormModel,
  invitationThanksModel,
  submittedValues,
} from './response-pages.presenter.ts';
import type { LinkState } from './response-rules.ts';
import type { ResponseWriter } from './response-writer.ts';
import {
  answerFromForm,
  answerFromJson,
  answerSavedJson,
  formAnswerSchema,
  isFullJsonAnswer,
  jsonAnswerSchema,
  scoreFromQuery,
  type AnswerSavedJson,
} from './responses.schemas.ts';
import * as service from './responses.service.ts';
import { thankYouSlot } from './thank-you.slot.ts';

const LINK_ERRORS: Record<Exclude<LinkState, 'open'>, AppError['code']> = {
  unknown: 'response_link_unknown',
  expired: 'response_link_expired',
  closed: 'response_closed',
  survey_closed: 'survey_closed',
};

/**
 * The personal link of an email invitation (`/r/:token`). GET only ever renders (a mail scanner
 * that opens every score link records nothing); answers are stored by POST, through the
 * group-commit writer, as a form or as JSON (the page's autosave).
 */
export function invitationPageRoutes(app: FastifyInstance, deps: Deps, writer: ResponseWriter) {
  const db = deps.db.kysely;

  app.get('/r/:token', async (request, reply) => {
    const token = tokenOf(request);
    if (!token) return sendMessage(reply, 'unknown', pageLocale(request));
    const clickedScore = scoreFromQuery((request.query as { score?: unknown }).score);
    const page = await db
      .transaction()
      .execute((trx) => service.openInvitationLink(trx, token, deps.now()));
    if (!page.ctx || page.state !== 'open') {
      return sendLinkState(reply, page.state, page.ctx, pageLocale(request));
    }
    const nonce = newNonce();
    const model = invitationFormModel(page.ctx, { token, nonce, clickedScore });
    return sendPage(reply, nonce, 200, renderResponseForm(model));
  });

  app.post(
    '/r/:token',
    describe(
      {
        tag: 'responses',
        summary: 'Answer through a personal link: JSON `{ score }` or the whole answer',
        description:
          'The token is the personal link of one invitation (`/r/<token>` in the email). With `Content-Type: application/json`, `{ "score": 9 }` records the score alone (as one click on a score in the email does) and any other field replaces the whole answer; the answer is 200 with the category. Within the organisation’s change window the customer may answer again: the last answer counts. Outside it: 410 `response_closed`; an unknown link 404 `response_link_unknown`, an expired one 410 `response_link_expired`, a closed survey 410 `survey_closed`. The page without JavaScript posts a form instead and gets the thank-you page (303) or the form with its problems (400), as HTML.',
        body: jsonAnswerSchema,
        status: 200,
        public: true,
        response: answerSavedJson,
        errors: [
          'response_link_unknown',
          'response_link_expired',
          'response_closed',
          'survey_closed',
        ],
      },
      { config: PUBLIC_POST_LIMIT, bodyLimit: PUBLIC_BODY_LIMIT },
    ),
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
        const saved: AnswerSavedJson = { status: 'saved', category: outcome.category };
        return saved;
      }
      if (!token) return sendMessage(reply, 'unknown', pageLocale(request));
      const body = formBody(request);
      const parsed = formAnswerSchema.safeParse(body);
      if (!parsed.success) {
        const page = await service.readInvitationLink(db, token, deps.now());
        if (!page.ctx || page.state !== 'open') {
          return sendLinkState(reply, page.state, page.ctx, pageLocale(request));
        }
        const nonce = newNonce();
        const model = invitationFormModel(page.ctx, {
          token,
          nonce,
          clickedScore: null,
          values: submittedValues(body),
          errors: formErrors(
            page.ctx.contact_language,
            page.ctx.organisation_settings,
            parsed.error.issues,
          ),
        });
        return sendPage(reply, nonce, 400, renderResponseForm(model));
      }
      const outcome = await writer.submit({
        token,
        mode: 'full',
        answer: answerFromForm(parsed.data),
        now: deps.now(),
      });
      if (outcome.status !== 'saved') {
        const page = await service.readInvitationLink(db, token, deps.now());
        return sendLinkState(reply, outcome.status, page.ctx, pageLocale(request));
      }
      return reply.redirect(`/r/${token}/thanks`, 303);
    },
  );

  app.get('/r/:token/thanks', async (request, reply) => {
    const token = tokenOf(request);
    if (!token) return sendMessage(reply, 'unknown', pageLocale(request));
    const { state, ctx } = await service.readInvitationLink(db, token, deps.now());
    if (ctx && ctx.response_score !== null && (state === 'open' || state === 'closed')) {
      const nonce = newNonce();
      const model = invitationThanksModel(ctx, {
        token,
        nonce,
        score: ctx.response_score,
        editable: state === 'open',
      });
      if (ctx.response_id) {
        const blocks = await collectSlot(deps, thankYouSlot, {
          organisationId: ctx.organisation_id,
          organisationName: ctx.organisation_name,
          contactId: ctx.contact_id,
          responseId: ctx.response_id,
          score: ctx.response_score,
          category: categorise(ctx.response_score),
          mayContact: ctx.response_may_contact === 1,
          locale: model.locale,
          formality: model.formality,
          changeHref: model.editableUntil !== null ? model.changeHref : null,
          asksAmbassadorOptIn: service.askedQuestions(ctx).ambassadorOptIn,
          ambassadorOptIn: ctx.response_ambassador_opt_in === 1,
        });
        model.blocks = blocks.map((b) => b.value);
      }
      return sendPage(reply, nonce, 200, renderThanks(model));
    }
    if (ctx && state === 'open') return reply.redirect(`/r/${token}`, 303);
    return sendLinkState(reply, state, ctx, pageLocale(request));
  });
}
