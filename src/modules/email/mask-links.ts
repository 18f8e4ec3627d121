import { maskPersonalLinks } from '../../shared/credential-links.ts';

/**
 * Staff reading an email in the outbox must not be able to use the personal links in it (a manager
 * could otherwise answer for a customer and raise an employee's NPS), so the outbox shows them with
 * the token replaced by this placeholder — which no token pattern accepts, so a masked link opens
 * the "unknown link" page. Which links are personal: `src/shared/credential-links.ts`.
 */
export const MASKED_TOKEN = 'hidden';

/** Replaces the token of every personal link in an email's text, HTML or header value. */
export function maskCredentialLinks(text: string): string {
  return maskPersonalLinks(text, MASKED_TOKEN);
}
