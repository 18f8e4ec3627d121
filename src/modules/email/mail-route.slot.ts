import { collectSlot, defineSlot } from '../../platform/slots.ts';
import type { Deps } from '../../platform/deps.ts';
import type { MailRoute } from './mail-transport.ts';

/**
 * Where an organisation's mail goes now (its own server, the installation's SMTP_URL, or the local
 * outbox) is the mail-server module's answer (`resolveMailRoute`), which it gives through this
 * slot: the email module delivers the mail and imports no mail-server code (mail-server sends its
 * test mail through email's transport).
 */
export const mailRouteSlot = defineSlot<{ organisationId: string }, MailRoute>('email.mail-route');

/**
 * The organisation's mail route, as the mail-server module resolves it; what it throws (a password
 * that cannot be read) reaches the caller. Without an answer mail must not quietly stay in the
 * outbox and look handled: that is a wiring error.
 */
export async function mailRouteOf(deps: Deps, organisationId: string): Promise<MailRoute> {
  const [answer] = await collectSlot(deps, mailRouteSlot, { organisationId });
  if (!answer)
    throw new Error('No module resolves the mail route (the mail-server module is missing)');
  return answer.value;
}
