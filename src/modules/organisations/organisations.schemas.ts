import { z } from 'zod';
import { settingsSchema } from './organisation-settings.ts';

export const emailSchema = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email())
  .transform((e) => e.toLowerCase());

export const passwordSchema = z
  .string()
  .max(200)
  .refine((p) => p.length >= 10, { params: { problem: 'weak_password' } });

export const setupSchema = z.strictObject({
  organisationName: z.string().trim().min(1).max(200),
  locale: z.enum(['nl', 'en']).default('nl'),
  name: z.string().trim().min(1).max(200),
  email: emailSchema,
  password: passwordSchema,
});
export type SetupInput = z.infer<typeof setupSchema>;

export const updateOrganisationSchema = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  locale: z.enum(['nl', 'en']).optional(),
  // `demo` is the seeder's to set: an owner cannot turn a real organisation into a simulation.
  settings: settingsSchema.omit({ demo: true }).partial().strict().optional(),
});
export type UpdateOrganisationInput = z.infer<typeof updateOrganisationSchema>;
