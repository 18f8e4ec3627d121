import type { Deps } from '../../src/platform/deps.ts';
import {
  friendFormKey,
  issueFriendFormToken,
} from '../../src/modules/ambassadors/friend-form-token.ts';

/**
 * A friend-form body as a person's browser sends it: with the signed timing token the page
 * carries, issued as if the page had been opened ten seconds before the test clock's now. For
 * tests of what happens to a lead; the token itself is tested in ambassadors-bot.test.ts.
 */
export function asPersonSends(
  t: { deps: Deps; clock: { now: number } },
  organisationId: string,
  link: string,
  body: string,
): string {
  const linkToken = new URL(link, 'http://x').pathname.split('/')[2] ?? '';
  const token = issueFriendFormToken(
    friendFormKey(t.deps.config.secretKey),
    { organisationId, linkToken },
    t.clock.now - 10_000,
  );
  return `${body}${body ? '&' : ''}formToken=${encodeURIComponent(token)}`;
}
