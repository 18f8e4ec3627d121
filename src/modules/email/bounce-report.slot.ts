import { defineSlot } from '../../platform/slots.ts';
import type { MailReport } from './bounces.service.ts';

/**
 * A bounce or complaint the bounce webhook received about mail the email module delivers for
 * another module and cannot settle itself: its Message-ID, and the invitation its email row names
 * (`null` when no email row names one: the owner may still know the Message-ID).
 */
export interface BounceReportInput extends Omit<MailReport, 'organisationId'> {
  messageId: string;
  invitation: { organisationId: string; invitationId: string } | null;
}

export type BounceReportResult = 'suppressed' | 'recorded' | 'ignored';

/**
 * The bounce webhook's answer about mail of another module: the module whose mail it is records
 * what follows and says what it did (the invitations module: an NPS invitation or reminder).
 * Contributions answer null for mail that is not theirs; the email module imports none of them.
 */
export const bounceReportSlot = defineSlot<BounceReportInput, BounceReportResult>('email.bounce');
