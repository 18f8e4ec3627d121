import type { OrganisationSettings } from './organisation-settings.ts';

export function presentOrganisation(org: {
  id: string;
  name: string;
  locale: string;
  settings: OrganisationSettings;
  created_at: number;
}) {
  return {
    id: org.id,
    name: org.name,
    locale: org.locale,
    settings: org.settings,
    createdAt: new Date(org.created_at).toISOString(),
  };
}
