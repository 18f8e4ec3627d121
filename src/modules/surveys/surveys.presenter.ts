import { LOCALES } from '../../i18n/locale.ts';
import type { Locale } from '../../db/schema.ts';
import type { Formality } from '../../domain/greeting/greeting.ts';
import {
  defaultTexts,
  parseSurveySettings,
  surveyTexts,
  type SurveyTexts,
} from './survey-settings.ts';
import type { SurveyRow } from './surveys.repository.ts';
import { iso } from '../../shared/time.ts';
import { z } from 'zod';
import { timestamp } from '../../shared/api-schemas.ts';
import { surveySettingsSchema, textsSchema } from './survey-settings.ts';

const byLocale = z.object({ nl: textsSchema, en: textsSchema });

/** The one JSON shape of a survey, for the API and the admin app (see `presentSurvey`). */
export const surveySchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(['draft', 'active', 'archived']),
  settings: surveySettingsSchema.describe(
    "The survey's own settings; `texts` holds overrides only",
  ),
  texts: byLocale.describe('What respondents read, per language'),
  defaultTexts: byLocale.describe("The defaults in the organisation's voice (u or je)"),
  anonymousToken: z.string().nullable().describe('The anonymous link `/s/{anonymousToken}`'),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type SurveyJson = z.output<typeof surveySchema>;

/** A rendered preview: the email (with its subject) or a page, as HTML. */
export const surveyPreviewSchema = z.object({
  subject: z.string().nullable(),
  html: z.string(),
});

/**
 * The one JSON shape of a survey. `settings.texts` holds only the survey's own overrides, so the
 * admin app can tell a customised text from a default; `texts` is what respondents will read, and
 * `defaultTexts` what a text goes back to — both in the organisation's voice ("u" or "je").
 */
export function presentSurvey(row: SurveyRow, formality: Formality = 'u'): SurveyJson {
  const settings = parseSurveySettings(row.settings);
  const texts = Object.fromEntries(
    LOCALES.map((l) => [l, surveyTexts(settings, l, formality)]),
  ) as Record<Locale, SurveyTexts>;
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    settings,
    texts,
    /** The defaults in the organisation's voice: what a text returns to when reset. */
    defaultTexts: { nl: defaultTexts('nl', formality), en: defaultTexts('en', formality) },
    anonymousToken: row.anonymous_token,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}
