import type { Locale } from '../../db/schema.ts';
import type { NpsCategory } from '../../domain/scoring/nps.ts';
import type { Formality } from '../../i18n/messages.ts';
import { defineSlot } from '../../platform/slots.ts';

/** What a module gets to decide what it adds to the thank-you page of one answer. */
export interface ThankYouInput {
  organisationId: string;
  organisationName: string;
  /** Null on the anonymous link. */
  contactId: string | null;
  responseId: string;
  score: number;
  category: NpsCategory;
  /** The respondent agreed to be contacted (the opt-in on the form). */
  mayContact: boolean;
  locale: Locale;
  formality: Formality;
  /** Where the answer can still be changed, while it can; null once it closed. */
  changeHref: string | null;
  /** The survey's form has the ambassador opt-in box (a survey may leave it out). */
  asksAmbassadorOptIn: boolean;
  /** The answer carries the ambassador opt-in (the box is ticked). */
  ambassadorOptIn: boolean;
}

/** A link on the thank-you page; `external` opens elsewhere (a review site). */
export interface ThankYouLink {
  label: string;
  href: string;
  external?: boolean;
}

/**
 * A block another module adds to the thank-you page: texts final (placeholders filled), not yet
 * escaped — the responses module renders and escapes them, so a contributor writes no HTML.
 */
export interface ThankYouBlock {
  /** A stable name for the section (CSS class and heading id). */
  key: string;
  title: string;
  paragraphs: { text: string; strong?: boolean; link?: ThankYouLink }[];
  /** Shown as buttons, one under the other on a phone. */
  buttons: ThankYouLink[];
}

/**
 * The thank-you page's contributions slot: the ambassador programme's next step, the review
 * request, … each a module of its own that contributes through `defineModule({ contributions })`.
 * Responses renders what they give back and imports none of them.
 */
export const thankYouSlot = defineSlot<ThankYouInput, ThankYouBlock>('responses.thank-you');
