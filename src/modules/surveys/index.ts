import { defineModule } from '../../platform/define-module.ts';
import { surveyRoutes } from './surveys.routes.ts';

/** NPS surveys and their texts (Dutch and English defaults). */
export const surveysModule = defineModule({ name: 'surveys', routes: surveyRoutes });
