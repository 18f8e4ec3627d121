import type { InvitationRow } from './invitations.repository.ts';

/** The Message-ID of an invitation's reminder: stable, and distinct from the invitation's own. */
export function reminderMessageId(invitation: Pick<InvitationRow, 'id' | 'message_id'>): string {
  const host = /@([^>]+)>$/.exec(invitation.message_id)?.[1] ?? 'localhost';
  return `<${invitation.id}.reminder@${host}>`;
}

/** The invitation id a reminder's Message-ID names (`reminderMessageId`), or null. */
export function reminderInvitationId(messageId: string): string | null {
  return /^<([^<>@.]+)\.reminder@[^<>@]+>$/.exec(messageId)?.[1] ?? null;
}
