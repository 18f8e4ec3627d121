import { z } from 'zod';
import type { Executor } from '../../db/database.ts';
import { REVIEW_EMAIL_DEFAULT_HOURS } from '../../domain/reviews/review-email.ts';
import {
  MAX_REVIEW_SITES,
  reviewSiteSchema,
  type ReviewSite,
} from '../../domain/reviews/review-sites.ts';

/** Where an organisation asks for reviews; the defaults when it never said. */
export interface ReviewSettings {
  sites: ReviewSite[];
  askOnThanks: boolean;
  /** Hours after an answer when the review email goes; null: no review email. */
  emailAfterHours: number | null;
}

const storedSites = z.array(reviewSiteSchema).max(MAX_REVIEW_SITES);

/** Stored JSON read back leniently: a site that no longer validates is left out, not a 500. */
function parseSites(json: string): ReviewSite[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return [];
  }
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((s) => {
    const r = reviewSiteSchema.safeParse(s);
    return r.success ? [r.data] : [];
  });
}

export async function findReviewSettings(
  db: Executor,
  organisationId: string,
): Promise<ReviewSettings> {
  const row = await db
    .selectFrom('review_settings')
    .select(['sites', 'ask_on_thanks', 'email_after_hours'])
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
  return row
    ? {
        sites: parseSites(row.sites),
        askOnThanks: row.ask_on_thanks === 1,
        emailAfterHours: row.email_after_hours,
      }
    : { sites: [], askOnThanks: true, emailAfterHours: REVIEW_EMAIL_DEFAULT_HOURS };
}

export async function saveReviewSettings(
  db: Executor,
  organisationId: string,
  settings: ReviewSettings,
  now: number,
): Promise<void> {
  const values = {
    sites: JSON.stringify(storedSites.parse(settings.sites)),
    ask_on_thanks: settings.askOnThanks ? 1 : 0,
    email_after_hours: settings.emailAfterHours,
    updated_at: now,
  };
  await db
    .insertInto('review_settings')
    .values({ organisation_id: organisationId, ...values })
    .onConflict((oc) => oc.column('organisation_id').doUpdateSet(values))
    .execute();
}
