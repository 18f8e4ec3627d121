/**
 * Bot protection of the public friend form without a third-party CAPTCHA (issue 12, must-show 5):
 * a hidden field people never fill (the honeypot) and a signed timing token. The page carries a
 * token that says when it was served, signed for one ambassador's link; a submit is accepted only
 * between `minMs` after that moment (a person reads and types; software posts at once) and `maxMs`
 * after it (an old page, or a token collected once and replayed for days).
 *
 * Only the rules live here, as pure functions: the signature itself (HMAC-SHA-256 under a key
 * derived from SECRET_KEY) is computed by the ambassadors module and passed in as `verify`.
 */

/** The form's timing: the least a person takes, and how long an opened form stays valid. */
export interface FormTimingRule {
  minMs: number;
  maxMs: number;
}

export const DEFAULT_FORM_TIMING: FormTimingRule = { minMs: 2_000, maxMs: 24 * 60 * 60 * 1000 };

const VERSION = 'v1';
/** Base36 milliseconds: 8 or 9 digits for any date this product will see; more is not a time. */
const TOKEN = /^v1\.([0-9a-z]{1,11})\.([A-Za-z0-9_-]{43})$/;

/** What a token is signed for: one organisation's one ambassador link. */
export interface FormScope {
  organisationId: string;
  linkToken: string;
}

/** The exact text the signature covers; the version first so a later format never collides. */
export function formTokenPayload(scope: FormScope, issuedAt: number): string {
  return `${VERSION}|friend-form|${scope.organisationId}|${scope.linkToken}|${issuedAt}`;
}

/** `v1.<issued at, base36 ms>.<signature, base64url of 32 bytes>`. */
export function formatFormToken(issuedAt: number, signature: string): string {
  return `${VERSION}.${issuedAt.toString(36)}.${signature}`;
}

/** The parts of a token, or null when it is not one (any length, any characters). */
export function parseFormToken(value: string): { issuedAt: number; signature: string } | null {
  const m = TOKEN.exec(value);
  if (!m) return null;
  const issuedAt = parseInt(m[1] ?? '', 36);
  if (!Number.isSafeInteger(issuedAt)) return null;
  return { issuedAt, signature: m[2] ?? '' };
}

export type FormTiming = 'ok' | 'too_fast' | 'expired';

/**
 * Whether a form opened at `issuedAt` may be sent at `now`. A moment in the future (another
 * server's clock a little ahead) counts as too fast: the person simply sends again.
 */
export function judgeFormTiming(issuedAt: number, now: number, rule: FormTimingRule): FormTiming {
  const elapsed = now - issuedAt;
  if (elapsed < rule.minMs) return 'too_fast';
  if (elapsed > rule.maxMs) return 'expired';
  return 'ok';
}

export type FormTokenCheck = 'ok' | 'missing' | 'malformed' | 'forged' | 'too_fast' | 'expired';

/**
 * Checks a submitted token: present, well formed, signed for this link (`verify` compares the
 * signature of the payload in constant time), then its timing.
 */
export function checkFormToken(
  value: string,
  scope: FormScope,
  now: number,
  rule: FormTimingRule,
  verify: (payload: string, signature: string) => boolean,
): FormTokenCheck {
  if (value === '') return 'missing';
  const token = parseFormToken(value);
  if (!token) return 'malformed';
  if (!verify(formTokenPayload(scope, token.issuedAt), token.signature)) return 'forged';
  return judgeFormTiming(token.issuedAt, now, rule);
}

/**
 * What a submit gets:
 * - `store`: a person, in time — the form is validated and the lead stored;
 * - `pretend`: the honeypot was filled, which no person does — the same "thank you" a person gets
 *   and nothing stored, so software learns nothing from the answer;
 * - `ask_again`: the timing token is missing, wrong, too fresh or too old — this can be a person
 *   (a form filled by the browser in a second, a page left open overnight, a server restarted
 *   without SECRET_KEY), so the form comes back with what they typed, a fresh token and one
 *   sentence asking to send it again; nothing stored. The sentence is the same for every reason.
 */
export type BotVerdict = 'store' | 'pretend' | 'ask_again';

export function botVerdict(o: { honeypot: string; token: FormTokenCheck }): BotVerdict {
  if (o.honeypot !== '') return 'pretend';
  return o.token === 'ok' ? 'store' : 'ask_again';
}
