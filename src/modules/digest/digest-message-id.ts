import type { Deps } from '../../platform/deps.ts';
import { messageIdHost } from '../email/mail-transport.ts';

/** The Message-ID of one member's digest of one week: every attempt sends the same message. */
export const digestMessageId = (deps: Pick<Deps, 'config'>, week: string, membershipId: string) =>
  `<digest.${week}.${membershipId}@${messageIdHost(deps.config.publicUrl)}>`;

/** The member and week of a digest's Message-ID (`digestMessageId`); null for any other. */
export function digestOfMessageId(
  messageId: string,
): { week: string; membershipId: string } | null {
  const match = /^<digest\.(\d{4}-W\d{2})\.([^@<>]+)@[^@<>]+>$/.exec(messageId);
  return match?.[1] && match[2] ? { week: match[1], membershipId: match[2] } : null;
}
