import { z } from 'zod';

/**
 * Organisation settings live in one JSON column so later waves (contact rules, branding, the works
 * council switch for per-employee NPS) add fields without a migration. Parsing fills defaults.
 */
export const settingsSchema = z.object({
  brandColor: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/)
    .default('#1f6f5c'),
  logoUrl: z.string().url().max(500).nullable().default(null),
  senderName: z.string().max(100).nullable().default(null),
  /** Per-employee NPS may need the works council's consent (PRODUCT.md); it can be switched off. */
  employeeNpsEnabled: z.boolean().default(true),
  retentionMonths: z.number().int().min(6).max(120).default(36),
});

export type OrganisationSettings = z.infer<typeof settingsSchema>;

export function parseSettings(json: string): OrganisationSettings {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    raw = {};
  }
  const parsed = settingsSchema.safeParse(raw);
  return parsed.success ? parsed.data : settingsSchema.parse({});
}
