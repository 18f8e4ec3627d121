import { z } from 'zod';
import type { Role } from '../../db/schema.ts';

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

export const localeResponseSchema = z.object({ locale: localeSchema });
