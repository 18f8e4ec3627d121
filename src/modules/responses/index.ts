import { defineModule } from '../../platform/define-module.ts';
import { responsesHolder } from './responses.personal-data.ts';
import { responsePageRoutes } from './responses.routes.ts';
import { surveyQrRoutes } from './survey-qr.routes.ts';

/**
 * Answers: the respondent's pages (personal and anonymous link), the writer that stores answers and
 * emits `response.saved`, and the survey's QR code and poster.
 */
export const responsesModule = defineModule({
  name: 'responses',
  routes: surveyQrRoutes,
  publicRoutes: responsePageRoutes,
  personalData: [responsesHolder],
});
