/**
 * The credential in a personal link: `/r/<token>` answers as the customer, `/u/<token>`
 * unsubscribes them (`/rv/<token>` from review requests only), `/u/digest/<token>` stops a member's weekly digest, an invite link makes a staff account. Staff reading an email in the outbox
 * must not be able to use them (a manager could otherwise answer for a customer and raise an
 * employee's NPS), so the outbox shows them with the token replaced by this placeholder — which no
 * token pattern accepts, so a masked link opens the "unknown link" page.
 */
export const MASKED_TOKEN = 'hidden';

const CREDENTIAL_LINK =
  /(\/(?:r|u|rv)\/|\/u\/digest\/|\/admin\/invite\/|\/api\/v1\/public\/invites\/)[A-Za-z0-9_-]{16,128}/g;

/** Replaces the token of every personal link in an email's text, HTML or header value. */
export function maskCredentialLinks(text: string): string {
  return text.replace(CREDENTIAL_LINK, `$1${MASKED_TOKEN}`);
}
