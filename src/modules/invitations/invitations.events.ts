import { z } from 'zod';
import { defineEvent } from '../../platform/events/define-event.ts';

/**
 * An invitation (or its reminder) was accepted by the mail server — or put in the local outbox
 * when no mail server is configured (`transport` says which). Emitted in the transaction that
 * marks it sent; ids only, no address.
 */
export const invitationSent = defineEvent(
  'invitation.sent',
  z.object({
    invitationId: z.string(),
    surveyId: z.string(),
    contactId: z.string(),
    kind: z.enum(['invitation', 'reminder']),
    transport: z.enum(['smtp', 'outbox']),
    sentAt: z.number(),
  }),
);
