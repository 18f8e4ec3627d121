import { z } from 'zod';
import type { Role } from '../../db/schema.ts';
import { organisationSchema } from '../organisations/organisations.presenter.ts';

/** A member's role, from most to least rights. */
export const roleSchema = z.enum([
  'owner',
  'admin',
  'manager',
  'account_manager',
  'viewer',
]) satisfies z.ZodType<Role>;

export const localeSchema = z.enum(['nl', 'en']);

/** The answer of every route that starts a session (login, setup, accepting an invitation). */
export const sessionStartedSchema = z.object({
  csrfToken: z.string().describe('Send as `X-CSRF-Token` with every change of this session'),
});

/** Who am I (GET /auth/me): the admin app's first call. */
export const meResponseSchema = z.object({
  user: z
    .object({ id: z.string(), email: z.string(), name: z.string(), locale: localeSchema })
    .nullable()
    .describe('null for an API key'),
  role: roleSchema,
  employeeId: z.string().nullable().optional().describe('The employee a member is linked to'),
  organisation: organisationSchema,
  csrfToken: z.string().nullable().describe('null for an API key'),
});
export type MeJson = z.output<typeof meResponseSchema>;

export const localeResponseSchema = z.object({ locale: localeSchema });
