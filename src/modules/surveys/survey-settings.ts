import { z } from 'zod';
import { imageUrlSchema } from '../../platform/http/validation.ts';
import type { Locale } from '../../db/schema.ts';
import type { Formality } from '../../domain/greeting/greeting.ts';

/**
 * The texts and options of an NPS survey, stored as JSON on the survey. Every text has a Dutch and
 * an English default; `{organisation}` and `{employee}` are filled in when a page or email renders.
 * The ultimate question is asked about the company, never about a product (PRODUCT.md principle 1).
 */
export const textsSchema = z.strictObject({
  question: z.string().trim().min(1).max(300),
  promoterFollowUp: z.string().trim().min(1).max(300),
  otherFollowUp: z.string().trim().min(1).max(300),
  employeeQuestion: z.string().trim().min(1).max(300),
  contactOptIn: z.string().trim().min(1).max(300),
  ambassadorOptIn: z.string().trim().min(1).max(300),
  thanksPromoter: z.string().trim().min(1).max(500),
  thanksPassive: z.string().trim().min(1).max(500),
  thanksDetractor: z.string().trim().min(1).max(500),
  emailSubject: z.string().trim().min(1).max(200),
  emailIntro: z.string().trim().min(1).max(1000),
});
export type SurveyTexts = z.infer<typeof textsSchema>;

/**
 * The default texts. Dutch has two voices, by the organisation's choice: "u" (formal, the default)
 * and "je"; English has one. The ultimate question is asked about the company (principle 1).
 */
export const DEFAULT_TEXTS: { nl: Record<Formality, SurveyTexts>; en: SurveyTexts } = {
  nl: {
    u: {
      question:
        'Hoe waarschijnlijk is het dat u {organisation} aanbeveelt bij vrienden, familie of collega’s?',
      promoterFollowUp: 'Wat is de belangrijkste reden dat u {organisation} aanbeveelt?',
      otherFollowUp: 'Wat moet {organisation} veranderen zodat u een hoger cijfer geeft?',
      employeeQuestion: 'Hoe tevreden bent u over {employee}?',
      contactOptIn: 'Mogen we contact met u opnemen over uw antwoord?',
      ambassadorOptIn: 'Wilt u zich bekendmaken als ambassadeur van {organisation}?',
      thanksPromoter: 'Hartelijk dank! Fijn dat u {organisation} zou aanbevelen.',
      thanksPassive: 'Hartelijk dank voor uw antwoord. We gaan ermee aan de slag.',
      thanksDetractor: 'Hartelijk dank voor uw eerlijke antwoord. We nemen het serieus.',
      emailSubject: 'Eén vraag van {organisation}',
      emailIntro:
        'We willen graag weten hoe u over {organisation} denkt. Het kost u maar een paar seconden: klik op een cijfer.',
    },
    je: {
      question:
        'Hoe waarschijnlijk is het dat je {organisation} aanbeveelt bij vrienden, familie of collega’s?',
      promoterFollowUp: 'Wat is de belangrijkste reden dat je {organisation} aanbeveelt?',
      otherFollowUp: 'Wat moet {organisation} veranderen zodat je een hoger cijfer geeft?',
      employeeQuestion: 'Hoe tevreden ben je over {employee}?',
      contactOptIn: 'Mogen we contact met je opnemen over je antwoord?',
      ambassadorOptIn: 'Wil je je bekendmaken als ambassadeur van {organisation}?',
      thanksPromoter: 'Dank je wel! Fijn dat je {organisation} zou aanbevelen.',
      thanksPassive: 'Dank je wel voor je antwoord. We gaan ermee aan de slag.',
      thanksDetractor: 'Dank je wel voor je eerlijke antwoord. We nemen het serieus.',
      emailSubject: 'Eén vraag van {organisation}',
      emailIntro:
        'We willen graag weten hoe je over {organisation} denkt. Het kost je maar een paar seconden: klik op een cijfer.',
    },
  },
  en: {
    question:
      'How likely is it that you would recommend {organisation} to friends, family or colleagues?',
    promoterFollowUp: 'What is the main reason you would recommend {organisation}?',
    otherFollowUp: 'What should {organisation} change for you to give a higher score?',
    employeeQuestion: 'How satisfied were you with {employee}?',
    contactOptIn: 'May we contact you about your answer?',
    ambassadorOptIn: 'Would you like to make yourself known as an ambassador of {organisation}?',
    thanksPromoter: 'Thank you! We are glad you would recommend {organisation}.',
    thanksPassive: 'Thank you for your answer. We will put it to work.',
    thanksDetractor: 'Thank you for your honest answer. We take it seriously.',
    emailSubject: 'One question from {organisation}',
    emailIntro:
      'We would like to know what you think of {organisation}. It takes only a few seconds: click a number.',
  },
};

/** The default texts of one language in the organisation's voice. */
export function defaultTexts(locale: Locale, formality: Formality): SurveyTexts {
  return locale === 'nl' ? DEFAULT_TEXTS.nl[formality] : DEFAULT_TEXTS.en;
}

export const surveySettingsSchema = z.strictObject({
  texts: z
    .strictObject({ nl: textsSchema.partial().default({}), en: textsSchema.partial().default({}) })
    .default({ nl: {}, en: {} }),
  askEmployee: z.boolean().default(false),
  askContactOptIn: z.boolean().default(true),
  askAmbassadorOptIn: z.boolean().default(true),
  brandColor: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/)
    .nullable()
    .default(null),
  logoUrl: imageUrlSchema.nullable().default(null),
  /** Days a respondent may still change their answer after first answering. */
  editableDays: z.number().int().min(1).max(30).default(7),
});
export type SurveySettings = z.infer<typeof surveySettingsSchema>;

export function parseSurveySettings(json: string): SurveySettings {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    raw = {};
  }
  const parsed = surveySettingsSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  // A logo address stored before only https: was allowed (`javascript:`…) is dropped, not the rest.
  const withoutLogo = surveySettingsSchema.safeParse({ ...(raw as object), logoUrl: null });
  return withoutLogo.success ? withoutLogo.data : surveySettingsSchema.parse({});
}

/**
 * The effective texts of a survey in one language: the survey's own overrides, else the defaults in
 * the organisation's voice.
 */
export function surveyTexts(
  settings: SurveySettings,
  locale: Locale,
  formality: Formality = 'u',
): SurveyTexts {
  return { ...defaultTexts(locale, formality), ...settings.texts[locale] };
}
