import { z } from 'zod';
import type { Locale } from '../../db/schema.ts';
import { timestamp } from '../../shared/api-schemas.ts';
import { settingsSchema, type OrganisationSettings } from './organisation-settings.ts';

/** The one JSON shape of an organisation and its settings, for the API and the admin app. */
export const organisationSchema = z.object({
  id: z.string(),
  name: z.string(),
  locale: z.enum(['nl', 'en']),
  settings: settingsSchema,
  createdAt: timestamp,
});
export type OrganisationJson = z.output<typeof organisationSchema>;

export function presentOrganisation(org: {
  id: string;
  name: string;
  locale: Locale;
  settings: OrganisationSettings;
  created_at: number;
}): OrganisationJson {
  return {
    id: org.id,
    name: org.name,
    locale: org.locale,
    settings: org.settings,
    createdAt: new Date(org.created_at).toISOString(),
  };
}
