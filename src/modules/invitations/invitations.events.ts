import { z } from 'zod';
import { defineEvent } from '../../platform/events/define-event.ts';

/**
 * An invitation (or its reminder) was accepted by a mail server. Emitted in the transaction that
 * marks it sent; ids only, no address. Mail kept in the local outbox (no mail server) was not sent
 * and emits nothing: the invitation is `outbox`, not `sent`.
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
