import { z } from 'zod';
import { localeSchema, roleSchema } from '../auth/auth.schemas.ts';
import { organisationSchema } from './organisations.presenter.ts';

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
