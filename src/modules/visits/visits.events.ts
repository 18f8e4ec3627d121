import { z } from 'zod';
import { VISIT_STATUSES } from '../../domain/visits/visit-record.ts';
import { defineEvent } from '../../platform/events/define-event.ts';

const status = z.enum(VISIT_STATUSES);

/**
 * A visit or purchase was stored: a new one (`created`) or one whose number came again with new
 * facts (`updated`, with the status it had before). Emitted in the transaction that stores it, by
 * every door a visit comes in by — the import, the API (single and batch), the contact's page — so
 * a module that reacts to visits (a referred friend's first paid visit converts the lead)
 * subscribes here and never edits the visits module. All visits of one batch arrive together.
 */
export const visitRecorded = defineEvent(
  'visit.recorded',
  z.object({
    visitId: z.string(),
    contactId: z.string(),
    /**
     * For an `updated` visit whose number came again under another customer (a corrected invoice):
     * the customer it belonged to before; otherwise null.
     */
    previousContactId: z.string().nullable(),
    /** The workshop system's number, when it has one. */
    externalId: z.string().nullable(),
    kind: z.enum(['created', 'updated']),
    status,
    previousStatus: status.nullable(),
    visitedAt: z.number(),
    /** Integer cents; negative for a refund. */
    amountCents: z.number().int(),
    /** For an `updated` visit: its moment and amount before (what a rollup takes away); else null. */
    previousVisitedAt: z.number().nullable(),
    previousAmountCents: z.number().int().nullable(),
    source: z.enum(['import', 'api', 'manual']),
  }),
);
export type VisitRecorded = z.infer<typeof visitRecorded.data>;

/**
 * A visit no longer counts as paid: a completed visit was cancelled (its number came again as
 * cancelled or refunded) or a refund was recorded for the customer. Emitted in the same
 * transaction as the `visit.recorded` of the same change, after it.
 */
export const visitCancelled = defineEvent(
  'visit.cancelled',
  z.object({
    visitId: z.string(),
    contactId: z.string(),
    externalId: z.string().nullable(),
    /** `cancelled`: the visit itself; `refunded`: money back, on this visit or as a credit note. */
    how: z.enum(['cancelled', 'refunded']),
    /** When the visit (or the refund) took place. */
    visitedAt: z.number(),
    amountCents: z.number().int(),
  }),
);
export type VisitCancelled = z.infer<typeof visitCancelled.data>;
