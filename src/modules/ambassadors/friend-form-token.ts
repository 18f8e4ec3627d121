import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  checkFormToken,
  formTokenPayload,
  formatFormToken,
  type FormScope,
  type FormTimingRule,
  type FormTokenCheck,
} from '../../domain/referrals/form-timing.ts';

/**
 * The signature of the friend form's timing token (rules in `domain/referrals/form-timing.ts`):
 * HMAC-SHA-256 under a key derived from SECRET_KEY with HKDF, for this use only, so the key that
 * seals SMTP passwords is never used as a MAC key itself.
 *
 * Without SECRET_KEY each process signs with its own random key made at start: nothing weaker is
 * derived, and the cost is small — a form opened before a restart, or served by another app
 * process, is sent back once with a fresh token ("send it again"). Installations with several app
 * processes set SECRET_KEY.
 */
let processKey: Buffer | null = null;
const derived = new WeakMap<Buffer, Buffer>();

export function friendFormKey(secretKey: Buffer | null): Buffer {
  if (!secretKey) {
    processKey ??= randomBytes(32);
    return processKey;
  }
  let key = derived.get(secretKey);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', secretKey, 'loyaal', 'friend-form token v1', 32));
    derived.set(secretKey, key);
  }
  return key;
}

const sign = (key: Buffer, payload: string): Buffer =>
  createHmac('sha256', key).update(payload, 'utf8').digest();

/** The token the friend's page carries: when it was served, signed for this link. */
export function issueFriendFormToken(key: Buffer, scope: FormScope, now: number): string {
  return formatFormToken(now, sign(key, formTokenPayload(scope, now)).toString('base64url'));
}

/** Checks a submitted token against this link, its signature in constant time, then its timing. */
export function checkFriendFormToken(
  key: Buffer,
  value: string,
  scope: FormScope,
  now: number,
  rule: FormTimingRule,
): FormTokenCheck {
  return checkFormToken(value, scope, now, rule, (payload, signature) => {
    // Compared as text, so a second spelling of the same bytes (the last character's unused
    // bits) is not a second valid token.
    const given = Buffer.from(signature, 'utf8');
    const expected = Buffer.from(sign(key, payload).toString('base64url'), 'utf8');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
