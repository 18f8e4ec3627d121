import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.ts';
import { requestLocale } from '../../platform/http/errors.ts';
import { describe } from '../../platform/http/operation.ts';
import { parseInput } from '../../platform/http/validation.ts';
import { authorize } from '../auth/policies.ts';
import { mailTestResultSchema } from '../mail-server/mail-server.schemas.ts';
import { sendMailToMe } from '../mail-server/mail-server.service.ts';
import { surveyPreviewSchema } from '../surveys/surveys.presenter.ts';
import {
  previewSurveySchema,
  surveyIdParams,
  surveyTestMailSchema,
} from '../surveys/surveys.schemas.ts';
import { previewSurvey, surveyTestMail } from './survey-preview.service.ts';

/**
 * The survey editor's live preview and "Testmail naar mij": the invitation email and the
 * respondent's pages, rendered by the code that renders the real ones (this module's pages, the
 * email module's invitation), with the editor's unsaved texts. Here rather than in surveys, which
 * the pages and the email build on.
 */
export async function surveyPreviewRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const db = deps.db.kysely;

  app.post(
    '/api/v1/surveys/:id/preview',
    describe({
      tag: 'surveys',
      summary:
        'Render the email, the response page or the thank-you page with unsaved texts (nothing is stored; links lead nowhere)',
      body: previewSurveySchema,
      status: 200,
      response: surveyPreviewSchema,
    }),
    async (request) => {
      const actor = authorize(request.actor, 'surveys:read');
      const { id } = parseInput(surveyIdParams, request.params);
      const input = parseInput(previewSurveySchema, request.body);
      return previewSurvey(db, deps.config, actor, id, input);
    },
  );

  app.post(
    '/api/v1/surveys/:id/test-mail',
    describe(
      {
        tag: 'surveys',
        summary:
          "Send the survey's email (with unsaved texts) to the logged-in user and report the mail server's answer",
        body: surveyTestMailSchema,
        status: 200,
        response: mailTestResultSchema,
      },
      { config: { rateLimit: { max: 10, timeWindow: '1 minute' } } },
    ),
    async (request) => {
      const actor = authorize(request.actor, 'surveys:write');
      const { id } = parseInput(surveyIdParams, request.params);
      const input = parseInput(surveyTestMailSchema, request.body);
      const mail = await surveyTestMail(db, deps.config, actor, id, input);
      return sendMailToMe(db, deps, actor, requestLocale(request), () => mail);
    },
  );
}
