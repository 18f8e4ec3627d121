import type { Deps } from '../../platform/deps.ts';
import { messageIdHost } from '../email/mail-transport.ts';

/** The Message-ID of one member's digest of one week: every attempt sends the same message. */
export const digestMessageId = (deps: Pick<Deps, 'config'>, week: string, membershipId: string) =>
  `<digest.${week}.${membershipId}@${messageIdHost(deps.config.publicUrl)}>`;
