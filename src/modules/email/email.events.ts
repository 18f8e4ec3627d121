import { z } from 'zod';
import { defineEvent } from '../../platform/events/define-event.ts';
import { EMAIL_KINDS } from './email-kinds.ts';

/**
 * The mail provider reported an email of an organisation as spam (`complaint`) or as
 * undeliverable for good (`bounce`, a hard bounce), through the bounce webhook. Emitted in the
 * webhook's transaction for staff mail that the email module cannot stop itself, so the module
 * that sends that kind of mail stops it without the email module knowing it (the weekly digest
 * switches its member's digest off). Ids and facts only: the recipient is named by the message
 * itself (a digest's Message-ID carries its membership), never by its address.
 */
export const emailReported = defineEvent(
  'email.reported',
  z.object({
    emailId: z.string(),
    kind: z.enum(EMAIL_KINDS),
    messageId: z.string(),
    report: z.enum(['complaint', 'bounce']),
    /** Where the report came from, e.g. `webhook:complaint`. */
    source: z.string(),
  }),
);

export type EmailReported = z.output<typeof emailReported.data>;
