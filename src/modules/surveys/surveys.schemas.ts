import { z } from 'zod';
import { totalParam } from '../../platform/http/validation.ts';
import { surveySettingsSchema, textsSchema } from './survey-settings.ts';

const name = z.string().trim().min(1).max(200);

/** A new survey: only the name is required; texts and options default to Dutch and English. */
export const createSurveySchema = z.strictObject({
  name,
  status: z.enum(['draft', 'active']).default('draft'),
  settings: surveySettingsSchema.default(() => surveySettingsSchema.parse({})),
});
export type CreateSurveyInput = z.infer<typeof createSurveySchema>;

/** Text overrides in a PATCH: a string replaces the text, `null` returns to the default. */
const textsPatch = z
  .strictObject(
    Object.fromEntries(
      Object.entries(textsSchema.shape).map(([key, schema]) => [key, schema.nullable().optional()]),
    ) as { [K in keyof typeof textsSchema.shape]: z.ZodOptional<z.ZodNullable<z.ZodString>> },
  )
  .optional();

export const updateSurveySchema = z.strictObject({
  name: name.optional(),
  status: z.enum(['draft', 'active', 'archived']).optional(),
  settings: z
    .strictObject({
      texts: z.strictObject({ nl: textsPatch, en: textsPatch }).optional(),
      askEmployee: z.boolean().optional(),
      askContactOptIn: z.boolean().optional(),
      askAmbassadorOptIn: z.boolean().optional(),
      brandColor: surveySettingsSchema.shape.brandColor.unwrap().optional(),
      logoUrl: surveySettingsSchema.shape.logoUrl.unwrap().optional(),
      editableDays: surveySettingsSchema.shape.editableDays.unwrap().optional(),
    })
    .optional(),
});
export type UpdateSurveyInput = z.infer<typeof updateSurveySchema>;

/** The survey editor's live preview: what to show, with the editor's unsaved settings. */
export const previewSurveySchema = z.strictObject({
  locale: z.enum(['nl', 'en']),
  view: z.enum(['email', 'reminder', 'form', 'thanks']),
  category: z.enum(['promoter', 'passive', 'detractor']).default('promoter'),
  settings: updateSurveySchema.shape.settings,
});
export type PreviewSurveyInput = z.infer<typeof previewSurveySchema>;

/** "Testmail naar mij" from the editor: the email in one language, with the unsaved settings. */
export const surveyTestMailSchema = z.strictObject({
  locale: z.enum(['nl', 'en']),
  settings: updateSurveySchema.shape.settings,
});

export const listSurveysSchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
  total: totalParam,
  status: z.enum(['draft', 'active', 'archived']).optional(),
});
export type ListSurveysInput = z.infer<typeof listSurveysSchema>;

export const surveyIdParams = z.strictObject({ id: z.uuid() });

/**
 * `Idempotency-Key` of a create: the admin app sends one per form, so a double click or a retry
 * after a lost answer returns the survey made the first time instead of a second identical one.
 */
export const idempotencyHeadersSchema = z.object({
  'idempotency-key': z
    .string()
    .trim()
    .min(8)
    .max(200)
    .refine((v) => /^[\x21-\x7e]+$/.test(v), { params: { problem: 'invalid_format' } })
    .optional(),
});
