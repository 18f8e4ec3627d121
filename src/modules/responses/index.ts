import { defineModule } from '../../platform/define-module.ts';
import { responsesHolder } from './responses.personal-data.ts';
import { responsePageRoutes } from './responses.routes.ts';
import { surveyPreviewRoutes } from './survey-preview.routes.ts';
import { surveyQrRoutes } from './survey-qr.routes.ts';

/**
 * Answers: the respondent's pages (personal and anonymous link), the writer that stores answers and
 * emits `response.saved`, the survey's QR code and poster, and the survey editor's preview and
 * test mail.
 */
export const responsesModule = defineModule({
  name: 'responses',
  routes: async (app, deps) => {
    await surveyQrRoutes(app, deps);
    await surveyPreviewRoutes(app, deps);
  },
  publicRoutes: responsePageRoutes,
  personalData: [responsesHolder],
});
