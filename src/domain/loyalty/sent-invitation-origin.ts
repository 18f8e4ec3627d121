/**
 * What a sent invitation does to its contact's loyalty origin (the moment the loyalty report
 * follows a customer from), judged from the contact's kept facts row alone.
 *
 * A contact's origin is their latest answer; a contact who never answered (a non-respondent) is
 * followed from the latest invitation a mail server accepted. So a sent invitation can only move
 * the origin of a non-respondent, and only forward. A reminder keeps its invitation's moment and
 * never moves it.
 */

/** The contact's kept row, as far as the origin goes; undefined when the contact has none. */
export type KeptOrigin = Readonly<{ originAt: number | null; category: string | null }>;

export type SentInvitation = Readonly<{ kind: 'invitation' | 'reminder'; sentAt: number }>;

/**
 * - `unchanged`: the origin stays (an answer is it, or a later invitation already is);
 * - `later`: the invitation is the non-respondent's new origin;
 * - `unknown`: the row cannot tell — the contact has no origin kept, because they were never
 *   invited before or because retention anonymised their answers (then they are no
 *   non-respondent) — so their facts are recomputed from the answers and invitations.
 */
export type OriginEffect = 'unchanged' | 'later' | 'unknown';

export function originEffect(kept: KeptOrigin | undefined, sent: SentInvitation): OriginEffect {
  if (sent.kind === 'reminder') return 'unchanged';
  if (kept === undefined || kept.originAt === null) return 'unknown';
  if (kept.category !== 'non_respondent') return 'unchanged';
  return sent.sentAt > kept.originAt ? 'later' : 'unchanged';
}
