import type { Executor } from '../../db/database.ts';
import { parseProgrammeSettings } from './programme-settings.ts';

/** What the thank-you page says after a 9 or 10 about the ambassador programme. */
export interface AmbassadorNextStep {
  /** The programme's offer in the organisation's words. */
  offer: string;
  /** The respondent's own share page (`/a/:token`) when they are an active ambassador. */
  sharePath: string | null;
}

/**
 * The promoter's next step (issue 12): when the organisation runs a programme, what being an
 * ambassador means, and for a respondent who opted in the way to their own share page. Null when
 * there is no running programme: then the page says nothing about it.
 */
export async function ambassadorNextStep(
  db: Executor,
  organisationId: string,
  contactId: string | null,
): Promise<AmbassadorNextStep | null> {
  const programme = await db
    .selectFrom('referral_programmes')
    .select(['enabled', 'settings'])
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
  if (!programme || programme.enabled !== 1) return null;
  const ambassador = contactId
    ? await db
        .selectFrom('ambassadors')
        .select(['share_token', 'status'])
        .where('organisation_id', '=', organisationId)
        .where('contact_id', '=', contactId)
        .executeTakeFirst()
    : undefined;
  return {
    offer: parseProgrammeSettings(programme.settings).offer,
    sharePath: ambassador && ambassador.status === 'active' ? `/a/${ambassador.share_token}` : null,
  };
}
