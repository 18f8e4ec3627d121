import type { InvitationStatus, SurveyStatus } from '../../db/schema.ts';

export const DAY_MS = 24 * 60 * 60 * 1000;

/** What a personal or anonymous link can do right now. */
export type LinkState = 'open' | 'unknown' | 'expired' | 'closed' | 'survey_closed';

/**
 * The state of a personal link. A link works until the invitation expires; once answered, the
 * answer stays editable until `closes_at` (editableDays after the first answer), then it is final.
 * A cancelled or skipped invitation was never sent and an erased contact no longer exists: those
 * links are as unknown as a forged one.
 */
export function invitationLinkState(
  ctx:
    | {
        invitation_status: InvitationStatus;
        contact_erased_at: number | null;
        survey_status: SurveyStatus;
        expires_at: number;
        response_closes_at: number | null;
      }
    | undefined,
  now: number,
): LinkState {
  if (!ctx) return 'unknown';
  if (ctx.invitation_status === 'cancelled' || ctx.invitation_status === 'skipped') {
    return 'unknown';
  }
  if (ctx.contact_erased_at !== null) return 'unknown';
  if (ctx.survey_status !== 'active') return 'survey_closed';
  if (ctx.response_closes_at !== null) return now < ctx.response_closes_at ? 'open' : 'closed';
  return now < ctx.expires_at ? 'open' : 'expired';
}

/** The end of the edit window of an answer first given at `answeredAt`. */
export const closesAt = (answeredAt: number, editableDays: number): number =>
  answeredAt + editableDays * DAY_MS;
