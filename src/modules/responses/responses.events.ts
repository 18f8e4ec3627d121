import { z } from 'zod';
import { NPS_CATEGORIES } from '../../domain/scoring/nps.ts';
import { defineEvent } from '../../platform/events/define-event.ts';

const category = z.enum(NPS_CATEGORIES);

/**
 * An answer was stored: a new one (`created`) or one the respondent changed within its edit window
 * (`updated`, with the score, category and ambassador opt-in it had before). Emitted in the transaction that stores
 * it, by every path an answer takes — the personal link (form, one-click score, JSON), the
 * anonymous link — so a module that reacts to answers (cases, rollups, webhooks, ambassadors)
 * subscribes here and never edits the responses module. The comment itself is not in the event
 * (job payloads are not personal-data holders): a subscriber that needs it reads the response.
 */
export const responseSaved = defineEvent(
  'response.saved',
  z.object({
    responseId: z.string(),
    surveyId: z.string(),
    /** Null for the anonymous link. */
    contactId: z.string().nullable(),
    invitationId: z.string().nullable(),
    channel: z.enum(['email', 'anonymous']),
    kind: z.enum(['created', 'updated']),
    score: z.number().int().min(0).max(10),
    category,
    previousScore: z.number().int().min(0).max(10).nullable(),
    previousCategory: category.nullable(),
    hasComment: z.boolean(),
    mayContact: z.boolean(),
    ambassadorOptIn: z.boolean(),
    /**
     * The opt-in the answer had before this save (null for a new answer): consent is given when it
     * goes from not given to given, not on every save of an answer that carries it.
     */
    previousAmbassadorOptIn: z.boolean().nullable(),
    employeeScore: z.number().int().min(0).max(10).nullable(),
    /**
     * Snapshots taken at the first answer: who owned the customer, which account, segment and
     * location (the contact's, or the one an anonymous link or QR poster names).
     */
    ownerEmployeeId: z.string().nullable(),
    accountId: z.string().nullable(),
    segment: z.string().nullable(),
    locationId: z.string().nullable(),
    answeredAt: z.number(),
  }),
);

export type ResponseSaved = z.infer<typeof responseSaved.data>;
