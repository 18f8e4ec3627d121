import { z } from 'zod';
import { defineEvent } from '../../platform/events/define-event.ts';

/**
 * What happens to a case, for other modules (webhooks, later a CRM sync). Facts and ids only: no
 * names, comments or notes (event data lands in job payloads, which are not personal-data holders).
 */
export const caseFacts = z.object({
  caseId: z.string(),
  contactId: z.string(),
  responseId: z.string(),
  kind: z.enum(['recovery', 'thanks']),
  status: z.enum(['open', 'contacted', 'resolved', 'unresolvable', 'changed_by_customer']),
  priority: z.enum(['low', 'normal', 'high', 'urgent']),
  reasons: z.array(z.string()),
  score: z.number().int(),
  ownerEmployeeId: z.string().nullable(),
  openedAt: z.number(),
  dueAt: z.number(),
});

/** A case was opened (a detractor answered, or a 9 was edited to 3). */
export const caseOpened = defineEvent('case.opened', caseFacts);

/** What changed, in a `case.updated`. */
export const caseChange = z.enum([
  'contacted',
  'assigned',
  'escalated',
  'answer-joined',
  'answer-changed',
  'note',
  'closed-by-customer',
  'follow-up-answered',
]);

/** A case changed: contacted, assigned, escalated, joined by another answer, a note. */
export const caseUpdated = defineEvent('case.updated', caseFacts.extend({ change: caseChange }));

/** A case was closed by staff: resolved, or not resolvable. */
export const caseOutcome = z.enum(['resolved', 'unresolvable']);

export const caseResolved = defineEvent(
  'case.resolved',
  caseFacts.extend({ outcome: caseOutcome }),
);

export type CaseEventFacts = z.infer<typeof caseFacts>;
