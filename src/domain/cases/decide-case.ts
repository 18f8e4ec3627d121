import type { NpsCategory } from '../scoring/nps.ts';
import type { CaseSettings } from './case-settings.ts';

/** A follow-up of an unhappy or doubtful customer, or a thank-you task for a promoter. */
export type CaseKind = 'recovery' | 'thanks';

/** Why a case exists; a case lists every reason that applied. */
export type CaseReason = 'detractor' | 'passive' | 'contact-request' | 'theme-word' | 'promoter';

export const CASE_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type CasePriority = (typeof CASE_PRIORITIES)[number];

/** The facts of one answer that decide about a case. */
export type CaseAnswer = Readonly<{
  score: number;
  category: NpsCategory;
  /** The respondent ticked "you may contact me". */
  mayContact: boolean;
  comment: string | null;
  /** Customer value (contact attribute `value`), when known. */
  customerValue?: number | null;
}>;

export type CaseDecision = Readonly<{
  kind: CaseKind;
  reasons: readonly CaseReason[];
  priority: CasePriority;
  /** Theme words found in the comment (folded), for the case's log. */
  themeWords: readonly string[];
}>;

/** Lower case without accents, so "Klácht" finds "klacht". */
function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

/**
 * The theme words a comment contains, each at the start of a word: "klacht" finds "klachten" and
 * "Klácht!", not "aanklacht". Returned folded (lower case, no accents), once each.
 */
export function matchThemeWords(comment: string | null, words: readonly string[]): string[] {
  if (!comment || words.length === 0) return [];
  const tokens = fold(comment).split(/[^\p{L}\p{N}]+/u);
  const found: string[] = [];
  for (const word of words) {
    const w = fold(word.trim());
    if (w.length > 0 && tokens.some((t) => t.startsWith(w)) && !found.includes(w)) found.push(w);
  }
  return found;
}

function bump(priority: CasePriority, steps: number): CasePriority {
  const i = Math.min(CASE_PRIORITIES.length - 1, CASE_PRIORITIES.indexOf(priority) + steps);
  return CASE_PRIORITIES[i] ?? 'urgent';
}

/**
 * Whether an answer opens a case, which kind, why, and how urgent it is.
 *
 * - Every detractor (0–6) opens a recovery case; a passive does when the organisation chose so,
 *   or when they asked to be contacted (`openFor.contactRequests`), or when the comment names a
 *   theme word. A promoter with such a comment gets a recovery case too: "9, but the invoice was
 *   wrong again" is a complaint.
 * - A promoter who may be contacted gets a thank-you task (`promoterThanks`).
 * - Priority: 0–4 high, 5–6 normal, otherwise low; one step up for "asked to be contacted", one
 *   for a customer value at or above `highValueFrom`. Thank-you tasks stay low.
 *
 * Returns null when nothing is to be done (or cases are switched off).
 */
export function decideCase(answer: CaseAnswer, settings: CaseSettings): CaseDecision | null {
  if (!settings.enabled) return null;
  const reasons: CaseReason[] = [];
  if (answer.category === 'detractor') reasons.push('detractor');
  if (answer.category === 'passive' && settings.openFor.passives) reasons.push('passive');
  if (answer.mayContact && answer.category !== 'promoter' && settings.openFor.contactRequests) {
    reasons.push('contact-request');
  }
  const themeWords = matchThemeWords(answer.comment, settings.openFor.themeWords);
  if (themeWords.length > 0) reasons.push('theme-word');

  if (reasons.length > 0) {
    let priority: CasePriority = answer.score <= 4 ? 'high' : answer.score <= 6 ? 'normal' : 'low';
    if (answer.mayContact) priority = bump(priority, 1);
    if (
      settings.highValueFrom !== null &&
      answer.customerValue != null &&
      answer.customerValue >= settings.highValueFrom
    ) {
      priority = bump(priority, 1);
    }
    return { kind: 'recovery', reasons, priority, themeWords };
  }
  if (answer.category === 'promoter' && answer.mayContact && settings.promoterThanks) {
    return { kind: 'thanks', reasons: ['promoter'], priority: 'low', themeWords: [] };
  }
  return null;
}
